package io.dtn7j.core.cla;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSocket;

/**
 * The buffered input side of a stream connection with two time bounds: how long the peer may stay silent between
 * frames ({@link #awaitFrame}), and how long one frame may take once it started (a per-read stall limit plus an
 * overall deadline), so a peer that stalls mid-frame (slowloris) or vanishes is dropped after a bounded time.
 *
 * <p>The limits are enforced in one of two ways. With a {@link IoWatchdog} (plain TCP connections), a read that
 * may block records until when it may, and the watchdog ends the input side of the connection once that time has
 * passed: no timer per read. Without one (and always for TLS, whose input side cannot be shut down on its own), the
 * socket's SO_TIMEOUT bounds each read. Either way the caller sees {@link PeerTimeoutException}. Reads served from
 * the buffer never block and are not timed.
 *
 * <p>The buffer is this class's own rather than a {@link java.io.BufferedInputStream} subclass: a subclass of that
 * falls back to {@code synchronized}, which on JDK 21 to 23 pins a virtual thread to its carrier while it blocks in
 * a socket read. One reading thread at a time.
 */
public final class TimedInput extends InputStream {

    /**
     * Default minimum data rate a frame must keep up, in bytes per second, on top of the frame timeout
     * ({@link #minRate(long)}; {@link ClaOptions#minRate()}).
     */
    public static final long MIN_RATE = 256 * 1024;

    private static final int BUFFER = 64 * 1024;
    private static final int NOT_BLOCKED = 0;
    private static final int IDLE = 1;
    private static final int STALL = 2;
    private static final int FRAME = 3;

    private final InputStream in;
    private final Socket socket;
    private final IoWatchdog watchdog; // null: SO_TIMEOUT
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int count;
    private Duration frameTimeout;
    private long frameTimeoutNanos;
    private long deadline; // System.nanoTime() value; 0 = none
    private long minRate = MIN_RATE;
    private Duration idle = Duration.ZERO;
    private Runnable beforeBlocking; // null = none
    private final BlockingRead fill = this::fill;

    // watchdog mode: the reading thread writes, the watchdog reads
    private volatile int blockedKind = NOT_BLOCKED;
    private volatile long blockedUntil;
    private volatile int expiredKind = NOT_BLOCKED;

    /**
     * Wraps the input stream of a connection, its limits enforced by the socket's timeout.
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
    public TimedInput(Socket socket, InputStream in, Duration frameTimeout, IoWatchdog watchdog) throws IOException {
        this.in = Objects.requireNonNull(in);
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

    /**
     * Sets the minimum data rate a frame must keep up on top of the frame timeout (default {@link #MIN_RATE}).
     *
     * @param bytesPerSecond the rate, positive
     * @return this input
     */
    public TimedInput minRate(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("minimum rate must be positive, got " + bytesPerSecond);
        }
        this.minRate = bytesPerSecond;
        return this;
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
     * @param idle how long to wait at most
     * @return false when the stream ended cleanly (peer closed)
     * @throws PeerTimeoutException when nothing arrived within {@code idle}
     * @throws IOException if the connection fails
     */
    public boolean awaitFrame(Duration idle) throws IOException {
        deadline = 0;
        if (held() > 0) {
            return true;
        }
        this.idle = idle;
        aboutToBlock();
        long end = System.nanoTime() + idle.toNanos();
        if (watchdog != null) {
            return watched(IDLE, end, fill) > 0;
        }
        while (true) {
            try {
                return fill() > 0;
            } catch (SocketTimeoutException e) {
                if (System.nanoTime() - end >= 0) {
                    throw idleTimeout();
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
        deadline = System.nanoTime() + frameTimeoutNanos + atMinRate(dataBytes);
    }

    /**
     * Extends the running frame deadline for {@code moreBytes} of content announced inside it.
     *
     * @param moreBytes the additional content length in bytes
     */
    public void extendFrame(long moreBytes) {
        if (deadline != 0) {
            deadline += atMinRate(moreBytes);
        }
    }

    /** {@return nanoseconds {@code bytes} take at the minimum rate, in whole seconds, at most a year} */
    private long atMinRate(long bytes) {
        return Duration.ofSeconds(Math.min(bytes / minRate, 365L * 24 * 3600)).toNanos();
    }

    /** Ends the frame deadline. */
    public void endFrame() {
        deadline = 0;
    }

    @Override
    public int read() throws IOException {
        if (held() == 0 && timedInFrame(fill) <= 0) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int held = held();
        if (held == 0) {
            if (len >= BUFFER) {
                return timedInFrame(() -> in.read(b, off, len)); // large reads go straight to the caller's array
            }
            held = timedInFrame(fill);
            if (held <= 0) {
                return -1;
            }
        }
        int n = Math.min(held, len);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        int held = held();
        if (held == 0) {
            held = timedInFrame(fill);
            if (held <= 0) {
                return 0;
            }
        }
        int s = (int) Math.min(held, n);
        pos += s;
        return s;
    }

    /** {@return the bytes buffered, which can be read without blocking} */
    @Override
    public int available() {
        return held();
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }

    private int held() {
        return count - pos;
    }

    /** One read from the connection into the (empty) buffer: the bytes read, or -1 at the end of the stream. */
    private int fill() throws IOException {
        pos = 0;
        count = 0;
        int n = in.read(buf, 0, BUFFER);
        if (n > 0) {
            count = n;
        }
        return n;
    }

    @FunctionalInterface
    private interface BlockingRead {
        int read() throws IOException;
    }

    /** A read inside a frame that may block: bounded by the stall limit and the frame deadline. */
    private int timedInFrame(BlockingRead read) throws IOException {
        aboutToBlock();
        long now = System.nanoTime();
        if (deadline != 0 && now - deadline > 0) {
            throw frameOverdue();
        }
        if (watchdog != null) {
            long until = now + frameTimeoutNanos;
            return deadline != 0 && deadline - until < 0 ? watched(FRAME, deadline, read) : watched(STALL, until, read);
        }
        try {
            return read.read();
        } catch (SocketTimeoutException e) {
            throw stalled();
        }
    }

    /** Watchdog mode: runs a blocking read that the watchdog ends (input shut down) at {@code until}. */
    private int watched(int kind, long until, BlockingRead read) throws IOException {
        throwIfExpired();
        blockedUntil = until;
        blockedKind = kind;
        try {
            int n = read.read();
            if (n < 0) {
                throwIfExpired(); // the end of the stream was the watchdog's doing
            }
            return n;
        } catch (IOException e) {
            throwIfExpired();
            throw e;
        } finally {
            blockedKind = NOT_BLOCKED;
        }
    }

    private void aboutToBlock() {
        Runnable hook = beforeBlocking;
        if (hook != null) {
            hook.run();
        }
    }

    private PeerTimeoutException idleTimeout() {
        return new PeerTimeoutException("peer sent nothing for " + idle.toSeconds() + " s");
    }

    private PeerTimeoutException stalled() {
        return new PeerTimeoutException("peer stalled inside a frame for " + frameTimeout.toMillis() + " ms");
    }

    private PeerTimeoutException frameOverdue() {
        return new PeerTimeoutException("peer did not complete a frame within the frame timeout of "
                + frameTimeout.toSeconds() + " s plus its size at " + minRate / 1024 + " KiB/s (stalled or too slow;"
                + " on a slower link, lower the convergence layer's min-rate)");
    }

    private void throwIfExpired() throws PeerTimeoutException {
        switch (expiredKind) {
            case NOT_BLOCKED -> { }
            case IDLE -> throw idleTimeout();
            case FRAME -> throw frameOverdue();
            default -> throw stalled();
        }
    }

    boolean socketClosed() {
        return socket.isClosed();
    }

    /** Called by the watchdog: ends the input side when the read in progress has outlived its limit. */
    void expireIfDue(long now) {
        int kind = blockedKind;
        if (kind == NOT_BLOCKED || now - blockedUntil < 0 || expiredKind != NOT_BLOCKED) {
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
