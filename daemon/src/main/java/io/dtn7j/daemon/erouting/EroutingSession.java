package io.dtn7j.daemon.erouting;

import io.dtn7j.daemon.api.UnwrittenLimit;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One {@code /ws/erouting} connection: JSON packets in text frames. Public only because Jetty calls the listener
 * methods reflectively; created by {@link ExternalRouter#newSession()}.
 */
public final class EroutingSession implements Session.Listener.AutoDemanding {
    private final ExternalRouter router;
    private final Object sendLock = new Object();
    /** Packets sent without waiting that are not written yet: bounded. */
    private final UnwrittenLimit unwritten = new UnwrittenLimit("external router");
    private volatile Session session;

    EroutingSession(ExternalRouter router) {
        this.router = router;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        s.setMaxTextMessageSize(16L << 20);
        if (!router.connect(this)) {
            synchronized (sendLock) {
                s.sendText("{\"type\":\"Error\",\"reason\":\"external routing agent already registered\"}",
                        Callback.from(() -> s.close(1008, "external routing agent already registered", Callback.NOOP),
                                t -> s.close(1008, "external routing agent already registered", Callback.NOOP)));
            }
        }
    }

    @Override
    public void onWebSocketText(String message) {
        router.received(this, message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        router.received(this, "binary frame");
        callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        router.disconnected(this);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        router.disconnected(this);
    }

    /** Sends a packet without waiting; a failure only ends up in the log. */
    void trySend(String json) {
        Session s = session;
        if (s != null && s.isOpen()) {
            synchronized (sendLock) {
                unwritten.send(s, json);
            }
        }
    }

    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1001, "daemon shutting down", Callback.NOOP);
        }
    }
}
