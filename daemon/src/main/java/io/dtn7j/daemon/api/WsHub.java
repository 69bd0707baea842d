package io.dtn7j.daemon.api;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open {@code /ws} sessions and which endpoint each is subscribed to. As in dtnd, one session
 * receives an endpoint's bundles: the latest subscriber wins.
 */
public final class WsHub {
    private final Map<String, WsSession> subscriber = new ConcurrentHashMap<>();
    private final Set<WsSession> sessions = ConcurrentHashMap.newKeySet();

    /** Creates a hub with no sessions. */
    public WsHub() {
    }

    void opened(WsSession s) {
        sessions.add(s);
    }

    void closed(WsSession s) {
        sessions.remove(s);
        subscriber.values().removeIf(x -> x == s);
    }

    void subscribe(String eid, WsSession s) {
        subscriber.put(eid, s);
    }

    void unsubscribe(String eid, WsSession s) {
        subscriber.remove(eid, s);
    }

    /**
     * True when a session currently receives this endpoint's bundles.
     *
     * @param eid the endpoint ID text
     * @return true if some session is subscribed to {@code eid}
     */
    public boolean isActive(String eid) {
        return subscriber.containsKey(eid);
    }

    boolean isSubscriber(String eid, WsSession s) {
        return subscriber.get(eid) == s;
    }

    /** {@return open sessions} */
    public int sessionCount() {
        return sessions.size();
    }

    /** Closes all sessions (server shutdown). */
    void closeAll() {
        for (WsSession s : sessions) {
            s.shutdown();
        }
    }
}
