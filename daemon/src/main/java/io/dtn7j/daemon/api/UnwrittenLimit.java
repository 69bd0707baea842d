package io.dtn7j.daemon.api;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the text messages a WebSocket connection holds unwritten when they are sent without waiting (replies,
 * beacons, notifications): Jetty queues each one until the peer reads, so a peer that stops reading would otherwise
 * make the daemon hold every message for as long as the connection lasts. Past {@link #LIMIT} unwritten messages the
 * connection is dropped (not closed: a close frame would queue behind what the peer does not read).
 */
public final class UnwrittenLimit {
    private static final Logger LOG = LoggerFactory.getLogger(UnwrittenLimit.class);
    /** Unwritten messages a connection may hold. */
    public static final int LIMIT = 1024;

    private final String peer;
    private final AtomicInteger unwritten = new AtomicInteger();

    /**
     * A limit for one connection.
     *
     * @param peer what the other side is, for the log ("ECLA module")
     */
    public UnwrittenLimit(String peer) {
        this.peer = peer;
    }

    /**
     * Sends {@code text} without waiting for it to be written; drops the connection if it already holds
     * {@link #LIMIT} unwritten messages.
     *
     * @param session the connection
     * @param text the message
     */
    public void send(Session session, String text) {
        if (unwritten.incrementAndGet() > LIMIT) {
            unwritten.decrementAndGet();
            LOG.warn("dropping the {} connection {}: it has not read the last {} messages", peer,
                    session.getRemoteSocketAddress(), LIMIT);
            session.disconnect();
            return;
        }
        session.sendText(text, Callback.from(unwritten::decrementAndGet, failure -> unwritten.decrementAndGet()));
    }

    /** {@return messages sent and not written yet} */
    public int unwritten() {
        return unwritten.get();
    }
}
