package io.dtn7j.daemon.ecla;

import io.dtn7j.daemon.api.UnwrittenLimit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One {@code /ws/ecla} connection. Until the module registers, only {@code Register} is accepted; afterwards
 * {@code ForwardData} and {@code Beacon}. Malformed packets are answered with an {@code Error} and otherwise ignored;
 * a failed registration ends the connection, as in dtnd. Public only because Jetty calls the listener methods
 * reflectively; created by {@link EclaService#newSession()}.
 */
public final class EclaSession extends EclaConnection implements Session.Listener.AutoDemanding {
    /** Largest packet a module may send (a ForwardData of a 32 MiB bundle in base64 fits). */
    static final long MAX_PACKET = 48L << 20;
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final EclaService service;
    private final Object sendLock = new Object();
    /** Packets sent without waiting (replies, beacons) that are not written yet: bounded. */
    private final UnwrittenLimit unwritten = new UnwrittenLimit("ECLA module");
    private volatile Session session;

    EclaSession(EclaService service) {
        this.service = service;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        s.setMaxTextMessageSize(MAX_PACKET);
        service.opened(this);
    }

    @Override
    public void onWebSocketText(String message) {
        EclaPacket packet;
        try {
            packet = EclaPacket.parse(message);
        } catch (EclaProtocolException e) {
            service.badPacket();
            trySend(new EclaPacket.Error(e.getMessage()));
            return;
        }
        service.handle(this, packet);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        service.badPacket();
        trySend(new EclaPacket.Error("ECLA packets are JSON in text frames, not binary frames"));
        callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        service.closed(this);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        service.closed(this);
    }

    @Override
    void send(EclaPacket packet) throws IOException {
        Session s = session;
        if (s == null || !s.isOpen()) {
            throw new IOException("the ECLA connection is closed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (sendLock) {
            s.sendText(packet.toJson(), Callback.from(() -> done.complete(null), done::completeExceptionally));
        }
        try {
            done.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("writing to the ECLA module failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            // the packet stays queued in the connection: a module that takes nothing would collect one per forwarding
            // attempt (a bundle each) until the heap ran out, so it is disconnected and its CLA leaves with it
            s.disconnect();
            throw new IOException("the ECLA module did not take the packet within " + SEND_TIMEOUT_SECONDS
                    + " s; disconnected it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing to the ECLA module");
        }
    }

    @Override
    void trySend(EclaPacket packet) {
        Session s = session;
        if (s != null && s.isOpen()) {
            synchronized (sendLock) {
                unwritten.send(s, packet.toJson());
            }
        }
    }

    @Override
    void closeWith(EclaPacket last) {
        Session s = session;
        if (s != null && s.isOpen()) {
            synchronized (sendLock) {
                s.sendText(last.toJson(), Callback.from(() -> s.close(1008, "registration refused", Callback.NOOP),
                        t -> s.close(1008, "registration refused", Callback.NOOP)));
            }
        }
    }

    @Override
    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1001, "daemon shutting down", Callback.NOOP);
        }
    }

    @Override
    public String toString() {
        Session s = session;
        EclaModuleCla m = module();
        return "ECLA session " + (s == null ? "?" : s.getRemoteSocketAddress()) + (m == null ? "" : " (" + m.name() + ")");
    }
}
