package io.dtn7j.core.cla;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * The input side of a stream connection with two time bounds: how long the peer may stay silent between
 * frames ({@link #awaitFrame}), and how long one frame may take once it started (a per-read stall limit from
 * the socket timeout plus an overall deadline), so a peer that stalls mid-frame (slowloris) or vanishes is
 * dropped after a bounded time.
 *
 * <p>The limits are enforced in one of two ways. With a {@link ReadWatchdog} (plain TCP connections), a read that
 * may block records until when it may, and the watchdog ends the input side of the connection once that time has
 * passed: no timer per read. Without one (and always for TLS, whose input side cannot be shut down on its own), the
 * socket's SO_TIMEOUT bounds each read. Either way the caller sees {@link PeerTimeoutException}.
 */
public final class TimedInput extends FilterInputStream {

    /** Minimum data rate a frame must keep up, in bytes per second, on top of the frame timeout. */
    public static final long MIN_RATE = 256 * 1024;

    private static final int NOT_BLOCKED = 0;
    private static final int IDLE = 1;
    private static final int STALL = 2;
    private static final int FRAME = 3;

    private final Buffered buffered;
    private final Socket socket;
    private final ReadWatchdog watchdog; // null: SO_TIMEOUT
    private Duration frameTimeout;
    private long frameTimeoutNanos;
    private long deadline; // System.nanoTime() value; 0 = none
    private Duration idle = Duration.ZERO;
    private Runnable beforeBlocking; // reading thread only; null = none

    // watchdog mode: the reading thread writes, the watchdog reads
    private volatile int blockedKind = NOT_BLOCKED;
    private volatile long blockedUntil;
    private volatile int expiredKind = NOT_BLOCKED;

    /** A buffered stream that tells how many bytes it holds, so a read served from them is not timed. */
    private static final class Buffered extends BufferedInputStream {
        Buffered(InputStream in) {
            super(in, 64 * 1024);
        }

        int held() {
            return count - pos;
        }
    }

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
        this(socket, in, frameTimeout, null);
    }

    /**
     * Wraps the input stream of a connection, its limits enforced by {@code watchdog} (see the class description);
     * a TLS socket, or a null watchdog, uses the socket's timeout instead.
     *
     * @param socket       the connection
     * @param in           the socket's (or TLS socket's) input stream
     * @param frameTimeout longest stall in one read, and base of the per-frame deadline
     * @param watchdog     the watchdog of the convergence layer, or null
     * @throws IOException if the socket's timeout cannot be set
     */
    public TimedInput(Socket socket, InputStream in, Duration frameTimeout, ReadWatchdog watchdog) throws IOException {
        super(new Buffered(in));
        this.buffered = (Buffered) super.in;
        this.socket = socket;
        this.watchdog = socket instanceof SSLSocket ? null : watchdog;
        if (this.watchdog != null) {
            socket.setSoTimeout(0);
            this.watchdog.watch(this);
        }
        frameTimeout(frameTimeout);
    }

    /**
     * Sets an action run on the reading thread just before a read that may block (nothing buffered): the moment to
     * send what the reader has queued, e.g. acknowledgements of everything it has just parsed from one burst.
     *
     * @param hook the action, or null for none
     */
    public void beforeBlocking(Runnable hook) {
        this.beforeBlocking = hook;
    }

    private void aboutToBlock() {
        Runnable hook = beforeBlocking;
        if (hook != null) {
            hook.run();
        }
    }

    /**
     * Changes the frame timeout (e.g. from the handshake timeout to the session's).
     *
     * @param timeout the new frame timeout
     * @throws IOException if the socket's timeout cannot be set
     */
    public void frameTimeout(Duration timeout) throws IOException {
        this.frameTimeout = timeout;
        this.frameTimeoutNanos = timeout.toNanos();
        if (watchdog == null) {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        }
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
        if (watchdog != null) {
            if (buffered.held() > 0) {
                return true;
            }
            this.idle = idle;
            aboutToBlock();
            block(IDLE, System.nanoTime() + idle.toNanos());
            try {
                buffered.mark(1);
                int b = buffered.read();
                if (b < 0) {
                    throwIfExpired();
                    return false;
                }
                buffered.reset();
                return true;
            } catch (IOException e) {
                throwIfExpired();
                throw e;
            } finally {
                blockedKind = NOT_BLOCKED;
            }
        }
        if (buffered.held() == 0) {
            aboutToBlock();
        }
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
            throw frameOverdue();
        }
    }

    @Override
    public int read() throws IOException {
        if (watchdog != null) {
            if (buffered.held() > 0) {
                return buffered.read();
            }
            blockInFrame();
            try {
                int r = super.read();
                if (r < 0) {
                    throwIfExpired();
                }
                return r;
            } catch (IOException e) {
                throwIfExpired();
                throw e;
            } finally {
                blockedKind = NOT_BLOCKED;
            }
        }
        check();
        if (buffered.held() == 0) {
            aboutToBlock();
        }
        try {
            return super.read();
        } catch (SocketTimeoutException e) {
            throw stalled();
        }
    }

    @Override
    public long skip(long n) throws IOException {
        if (watchdog != null) {
            if (buffered.held() > 0) {
                return buffered.skip(n);
            }
            blockInFrame();
            try {
                return super.skip(n);
            } catch (IOException e) {
                throwIfExpired();
                throw e;
            } finally {
                blockedKind = NOT_BLOCKED;
            }
        }
        check();
        if (buffered.held() == 0) {
            aboutToBlock();
        }
        try {
            return super.skip(n);
        } catch (SocketTimeoutException e) {
            throw stalled();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (watchdog != null) {
            if (buffered.held() > 0 || len == 0) {
                return buffered.read(b, off, len); // served from the buffer: cannot block
            }
            blockInFrame();
            try {
                int r = super.read(b, off, len);
                if (r < 0) {
                    throwIfExpired();
                }
                return r;
            } catch (IOException e) {
                throwIfExpired();
                throw e;
            } finally {
                blockedKind = NOT_BLOCKED;
            }
        }
        check();
        if (buffered.held() == 0) {
            aboutToBlock();
        }
        try {
            return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw stalled();
        }
    }

    private PeerTimeoutException stalled() {
        return new PeerTimeoutException("peer stalled inside a frame for " + frameTimeout.toMillis() + " ms");
    }

    /** Watchdog mode: before a read that may block, records until when it may (the stall limit or the frame's). */
    private void blockInFrame() throws PeerTimeoutException {
        throwIfExpired();
        aboutToBlock();
        long now = System.nanoTime();
        if (deadline != 0 && now - deadline > 0) {
            throw frameOverdue();
        }
        long until = now + frameTimeoutNanos;
        if (deadline != 0 && deadline - until < 0) {
            block(FRAME, deadline);
        } else {
            block(STALL, until);
        }
    }

    private void block(int kind, long until) {
        blockedUntil = until;
        blockedKind = kind;
    }

    private PeerTimeoutException frameOverdue() {
        return new PeerTimeoutException("peer did not complete a frame within the frame timeout of "
                + frameTimeout.toSeconds() + " s (stalled or too slow)");
    }

    private void throwIfExpired() throws PeerTimeoutException {
        int kind = expiredKind;
        if (kind == NOT_BLOCKED) {
            return;
        }
        throw switch (kind) {
            case IDLE -> new PeerTimeoutException("peer sent nothing for " + idle.toSeconds() + " s");
            case FRAME -> frameOverdue();
            default -> stalled();
        };
    }

    boolean socketClosed() {
        return socket.isClosed();
    }

    /** Called by the watchdog: ends the input side when the read in progress has outlived its limit. */
    void expireIfDue(long now) {
        int kind = blockedKind;
        long until = blockedUntil;
        if (kind == NOT_BLOCKED || now - until < 0 || expiredKind != NOT_BLOCKED) {
            return;
        }
        expiredKind = kind;
        try {
            socket.shutdownInput(); // wakes the reader with the end of the stream; the output side stays open
        } catch (IOException e) {
            Sockets.closeQuietly(socket);
        }
    }
}
