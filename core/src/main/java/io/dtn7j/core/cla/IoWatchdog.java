package io.dtn7j.core.cla;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Enforces the time limits of many {@link TimedInput}s with one thread, so that a blocking read needs no timer of its
 * own. A read with a socket timeout parks its virtual thread with a deadline, and the JDK arms and cancels a timer for
 * every such park: on a busy connection that is a timer per read and two thread wake-ups with it. Here a read only
 * records until when it may block; every tick the watchdog looks at the inputs that are blocked, and ends the input
 * side of a connection whose limit has passed ({@link java.net.Socket#shutdownInput()}), which wakes the reader with
 * the end of the stream. The input then reports the timeout as {@link TimedInput.PeerTimeoutException}, while the
 * output side stays open for a last message such as TCPCLv4's SESS_TERM.
 *
 * <p>It watches {@link TimedOutput}s the same way: a write the peer does not take within its limit (the peer stopped
 * reading, so the socket's buffers stay full) has its connection closed, which wakes the writer with an error; Java
 * has no write timeout of its own.
 *
 * <p>A limit is enforced at most one tick late. An input or output whose socket was closed is forgotten at the next
 * tick.
 */
public final class IoWatchdog implements AutoCloseable {

    /** A watched stream side: whether its socket was closed, and what ends its blocked operation when overdue. */
    private record Side(BooleanSupplier socketClosed, LongConsumer expireIfDue) {
    }

    private final Set<Side> watched = ConcurrentHashMap.newKeySet();
    private final long tickMillis;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts a watchdog.
     *
     * @param name the name of its thread (e.g. the convergence layer's name)
     * @param tick how often it looks; a limit is enforced at most this much late
     */
    public IoWatchdog(String name, Duration tick) {
        this.tickMillis = Math.max(1, tick.toMillis());
        this.thread = Thread.ofVirtual().name(name + "-watchdog").start(this::loop);
    }

    /**
     * A tick suited to limits of at least {@code shortest}: a quarter of it, between 10 and 250 ms.
     *
     * @param shortest the shortest limit the inputs will use
     * @return the tick
     */
    public static Duration tickFor(Duration shortest) {
        return Duration.ofMillis(Math.max(10, Math.min(250, shortest.toMillis() / 4)));
    }

    void watch(TimedInput input) {
        watch(new Side(input::socketClosed, input::expireIfDue));
    }

    void watch(TimedOutput output) {
        watch(new Side(output::socketClosed, output::expireIfDue));
    }

    private void watch(Side side) {
        if (closed) {
            throw new IllegalStateException("I/O watchdog is closed");
        }
        watched.add(side);
    }

    /** {@return the number of inputs and outputs watched (for tests)} */
    public int watched() {
        return watched.size();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
            long now = System.nanoTime();
            for (Side side : watched) {
                if (side.socketClosed().getAsBoolean()) {
                    watched.remove(side);
                } else {
                    side.expireIfDue().accept(now);
                }
            }
        }
    }

    /** Stops the thread. Inputs still open keep their data but are no longer timed. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        watched.clear();
    }
}
