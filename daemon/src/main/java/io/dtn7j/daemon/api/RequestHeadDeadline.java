package io.dtn7j.daemon.api;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection whose next request head (request line and headers) is still arriving a set time after
 * its first byte came. Jetty's idle timeout restarts with every byte, so without this a client dripping a header
 * byte every few seconds held its connection for as long as it liked.
 *
 * <p>It watches every connection the connector opens: between requests, bytes received ({@link
 * Connection#getBytesIn()}) mean a request head has begun; the handler reports when a request's head was complete
 * ({@link #requestStarted}) and when the request ended ({@link #requestEnded}). A sweep every quarter of the limit
 * (at most every second) closes the connections whose head began longer than the limit ago; the limit is therefore
 * kept to within one sweep. Bodies have a deadline of their own ({@link ApiOptions#bodyGrace()}). Only HTTP
 * connections are watched: once one is upgraded to a WebSocket its bytes go to the WebSocket connection, which is
 * not.
 */
final class RequestHeadDeadline implements Connection.Listener {
    private static final System.Logger LOG = System.getLogger(RequestHeadDeadline.class.getName());

    private final Duration limit;
    private final Scheduler scheduler;
    private final Map<Connection, Watch> open = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private final AtomicLong cutOffs = new AtomicLong();

    /** What is known of one connection's current request. */
    private static final class Watch {
        /** A request's head is complete and the request not yet ended. */
        volatile boolean inRequest;
        /** Bytes received up to the end of the last request (0 before the first). */
        volatile long bytesBefore;
        /** {@link System#nanoTime()} of the sweep that first saw bytes of the next head, or 0 if none did yet. */
        volatile long headSeenAt;
        volatile boolean cutOff;
    }

    /**
     * A deadline for request heads; {@link #start()} begins its sweeps.
     *
     * @param limit how long a request head may take from its first byte
     * @param scheduler the server's scheduler, which runs the sweeps
     */
    RequestHeadDeadline(Duration limit, Scheduler scheduler) {
        this.limit = limit;
        this.scheduler = scheduler;
    }

    /** Begins the sweeps. */
    void start() {
        schedule();
    }

    /** {@return the deadline's samples for {@code /metrics}} */
    List<MetricSample> metrics() {
        return List.of(MetricSample.counter("dtn7j_api_connections_cut_total",
                "Connections closed because a request head did not arrive within the limit.", cutOffs.get()));
    }

    /** Ends the sweeps. */
    void stop() {
        stopped = true;
        open.clear();
    }

    private void schedule() {
        if (!stopped) {
            long every = Math.max(10, Math.min(1000, limit.toMillis() / 4));
            scheduler.schedule(this::sweep, every, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof AbstractMetaDataConnection) { // HTTP/1.1, not a WebSocket
            open.put(connection, new Watch());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /**
     * A request's head arrived whole on {@code connection}.
     *
     * @param connection the connection the request came on
     */
    void requestStarted(Connection connection) {
        Watch w = open.get(connection);
        if (w != null) {
            w.inRequest = true;
            w.headSeenAt = 0;
        }
    }

    /**
     * The request on {@code connection} ended: bytes received from now on belong to the next request's head.
     *
     * @param connection the connection the request came on
     */
    void requestEnded(Connection connection) {
        Watch w = open.get(connection);
        if (w != null) {
            w.bytesBefore = connection.getBytesIn();
            w.headSeenAt = 0;
            w.inRequest = false;
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            open.forEach((connection, w) -> {
                if (!connection.getEndPoint().isOpen()) {
                    open.remove(connection); // an upgraded connection's HTTP side ends without onClosed
                    return;
                }
                if (w.inRequest || w.cutOff || connection.getBytesIn() <= w.bytesBefore) {
                    return;
                }
                if (w.headSeenAt == 0) {
                    w.headSeenAt = now;
                } else if (now - w.headSeenAt > limit.toNanos()) {
                    w.cutOff = true;
                    cutOffs.incrementAndGet();
                    LOG.log(Level.INFO, "API: closing the connection from {0}: its request head did not arrive within"
                            + " {1} ms", connection.getEndPoint().getRemoteSocketAddress(), limit.toMillis());
                    connection.getEndPoint().close();
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "API: request-head sweep failed", e);
        } finally {
            schedule();
        }
    }
}
