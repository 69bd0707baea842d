package io.dtn7j.core.cla;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * The output side of a stream connection with a bound on every write: the peer must take {@code length} bytes within
 * the frame timeout plus their time at the convergence layer's minimum rate ({@link ClaOptions#minRate()}). A peer
 * that stops reading fills the socket's buffers, and a blocking write then waits for as long as the peer likes (Java
 * sockets have no write timeout): the
 * {@link IoWatchdog} closes the connection once the limit has passed, the writer gets
 * {@link TimedInput.PeerTimeoutException}, and the CLA ends the session and fails its transfers instead of holding
 * them (and every later send to that peer) for good.
 *
 * <p>A write costs two clock reads and two volatile stores on top of the write itself. One writing thread at a time;
 * without a watchdog the writes are not timed.
 */
public final class TimedOutput extends OutputStream {

    private final OutputStream out;
    private final Socket socket;
    private final long frameTimeoutNanos;
    private final Duration frameTimeout;
    private final long minRate;
    // the writing thread writes, the watchdog reads
    private volatile long writingUntil; // System.nanoTime() value; 0 = not writing
    private volatile long writingBytes;
    private volatile boolean expired;

    /**
     * Wraps the output stream of a connection.
     *
     * @param socket the connection to close when a write outlives its limit: the plain TCP socket, also under TLS
     *     (closing a TLS socket would itself wait for the blocked writer)
     * @param out the stream to write to (the socket's, or the TLS socket's)
     * @param frameTimeout the base of every write's limit
     * @param minRate bytes per second every write must be taken at, on top of the frame timeout
     * @param watchdog the convergence layer's watchdog, or null for writes without a limit
     */
    public TimedOutput(Socket socket, OutputStream out, Duration frameTimeout, long minRate, IoWatchdog watchdog) {
        if (minRate <= 0) {
            throw new IllegalArgumentException("minimum rate must be positive, got " + minRate);
        }
        this.minRate = minRate;
        this.socket = Objects.requireNonNull(socket);
        this.out = Objects.requireNonNull(out);
        this.frameTimeout = frameTimeout;
        this.frameTimeoutNanos = frameTimeout.toNanos();
        if (watchdog != null) {
            watchdog.watch(this);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        begin(len);
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw expired ? overdue() : e;
        } finally {
            writingUntil = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        begin(0);
        try {
            out.flush();
        } catch (IOException e) {
            throw expired ? overdue() : e;
        } finally {
            writingUntil = 0;
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void begin(long len) throws IOException {
        if (expired) {
            throw overdue();
        }
        writingBytes = len;
        writingUntil = System.nanoTime() + frameTimeoutNanos + len / minRate * 1_000_000_000L;
    }

    private TimedInput.PeerTimeoutException overdue() {
        return new TimedInput.PeerTimeoutException("peer did not take " + writingBytes + " bytes within "
                + frameTimeout.toMillis() + " ms plus their time at " + minRate / 1024
                + " KiB/s (it stopped reading, or the link is slower: then lower the convergence layer's min-rate);"
                + " the connection was closed");
    }

    boolean socketClosed() {
        return socket.isClosed();
    }

    /** Called by the watchdog: closes the connection when the write in progress has outlived its limit. */
    void expireIfDue(long now) {
        long until = writingUntil;
        if (until == 0 || now - until < 0 || expired) {
            return;
        }
        expired = true;
        Sockets.closeQuietly(socket);
    }
}
