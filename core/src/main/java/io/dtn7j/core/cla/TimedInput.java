package io.dtn7j.core.cla;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The input side of a stream connection with two time bounds: how long the peer may stay silent between
 * frames ({@link #awaitFrame}), and how long one frame may take once it started (a per-read stall limit from
 * the socket timeout plus an overall deadline), so a peer that stalls mid-frame (slowloris) or vanishes is
 * dropped after a bounded time.
 */
public final class TimedInput extends FilterInputStream {

    /** Minimum data rate a frame must keep up, in bytes per second, on top of the frame timeout. */
    public static final long MIN_RATE = 256 * 1024;

    private final BufferedInputStream buffered;
    private final Socket socket;
    private Duration frameTimeout;
    private long deadline; // System.nanoTime() value; 0 = none

    /**
     * Wraps the input stream of a connection.
     *
     *
     * @param socket       the connection; its SO_TIMEOUT is set to {@code frameTimeout}
     * @param in           the socket's (or TLS socket's) input stream
     * @param frameTimeout longest stall in one read, and base of the per-frame deadline
     * @throws IOException if the socket's timeout cannot be set
     */
    public TimedInput(Socket socket, InputStream in, Duration frameTimeout) throws IOException {
        super(new BufferedInputStream(in, 64 * 1024));
        this.buffered = (BufferedInputStream) super.in;
        this.socket = socket;
        frameTimeout(frameTimeout);
    }

    /**
     * Changes the frame timeout (e.g. from the handshake timeout to the session's).
     *
     * @param timeout the new frame timeout
     * @throws IOException if the socket's timeout cannot be set
     */
    public void frameTimeout(Duration timeout) throws IOException {
        this.frameTimeout = timeout;
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    /** Thrown when the peer was silent or too slow. */
    public static final class PeerTimeoutException extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what timed out
         */
        public PeerTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * Waits until the next frame starts, for at most {@code idle}.
     *
     *
     * @param idle how long to wait at most
     * @return false when the stream ended cleanly (peer closed)
     * @throws PeerTimeoutException when nothing arrived within {@code idle}
     */
    public boolean awaitFrame(Duration idle) throws IOException {
        deadline = 0;
        long end = System.nanoTime() + idle.toNanos();
        while (true) {
            try {
                buffered.mark(1);
                int b = buffered.read();
                if (b < 0) {
                    return false;
                }
                buffered.reset();
                return true;
            } catch (SocketTimeoutException e) {
                if (System.nanoTime() - end >= 0) {
                    throw new PeerTimeoutException("peer sent nothing for " + idle.toSeconds() + " s");
                }
            }
        }
    }

    /**
     * Starts the deadline for a frame (header plus {@code dataBytes} of content).
     *
     * @param dataBytes the frame's content length in bytes
     */
    public void beginFrame(long dataBytes) {
        long extra = Math.min(dataBytes / MIN_RATE, 365L * 24 * 3600);
        deadline = System.nanoTime() + frameTimeout.toNanos() + Duration.ofSeconds(extra).toNanos();
    }

    /**
     * Extends the running frame deadline for {@code moreBytes} of content announced inside it.
     *
     * @param moreBytes the additional content length in bytes
     */
    public void extendFrame(long moreBytes) {
        if (deadline != 0) {
            deadline += Duration.ofSeconds(Math.min(moreBytes / MIN_RATE, 365L * 24 * 3600)).toNanos();
        }
    }

    /** Ends the frame deadline. */
    public void endFrame() {
        deadline = 0;
    }

    private void check() throws PeerTimeoutException {
        if (deadline != 0 && System.nanoTime() - deadline > 0) {
            throw new PeerTimeoutException("peer did not complete a frame within the frame timeout of "
                    + frameTimeout.toSeconds() + " s (stalled or too slow)");
        }
    }

    @Override
    public int read() throws IOException {
        check();
        try {
            return super.read();
        } catch (SocketTimeoutException e) {
            throw new PeerTimeoutException("peer stalled inside a frame for " + frameTimeout.toMillis() + " ms");
        }
    }

    @Override
    public long skip(long n) throws IOException {
        check();
        try {
            return super.skip(n);
        } catch (SocketTimeoutException e) {
            throw new PeerTimeoutException("peer stalled inside a frame for " + frameTimeout.toMillis() + " ms");
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        try {
            return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw new PeerTimeoutException("peer stalled inside a frame for " + frameTimeout.toMillis() + " ms");
        }
    }
}
