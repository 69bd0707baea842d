package io.dtn7j.daemon.cli.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client session on the daemon's {@code /ws} application-agent WebSocket (dtn7-compat.md §6): text commands and
 * replies, binary data frames.
 *
 * <p>The caller's own thread reads the socket: {@link #next(Duration)} blocks in the socket read and parses the
 * frames itself, so a message is handed over the moment the kernel wakes that thread, with no selector or executor
 * thread in between (each such hand-off cost about a millisecond per message on a busy machine, several per ping
 * round trip with the JDK's WebSocket client). Server Pings are answered whenever the session reads; while the
 * caller does not read for a while (a slow trigger command, a long ping interval) a background thread reads for it,
 * answers the Pings that keep dtn7-rs and dtn7j from closing a silent session and keeps what arrives for
 * {@link #next(Duration)}.
 */
public final class WsSession implements AutoCloseable {

    /** Largest message accepted (dtn7-rs's limit). */
    static final int MAX_MESSAGE = 128 << 20;

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final int MAX_HANDSHAKE_REPLY = 16 * 1024;
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** How long the caller may leave the socket unread before the background reader steps in. */
    private static final long IDLE_BEFORE_BACKGROUND_READ_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The longest single blocking read: interrupts are noticed at least this often. */
    private static final int READ_SLICE_MS = 500;

    /** A received WebSocket message. */
    public sealed interface Message {
    }

    /**
     * A text frame (a command reply).
     *
     * @param text the frame's text
     */
    public record Text(String text) implements Message {
    }

    /**
     * A binary frame (a bundle or WsRecvData).
     *
     * @param data the frame's bytes
     */
    public record Binary(byte[] data) implements Message {
    }

    /**
     * The server closed the session (or it failed).
     *
     * @param code the WebSocket close code
     * @param reason the close reason
     */
    public record Closed(int code, String reason) implements Message {
    }

    private final Socket socket;
    private final OutputStream out;
    private final WsFrameReader reader;
    private final ReentrantLock readLock = new ReentrantLock();
    private final Object writeLock = new Object();
    private final SecureRandom maskKeys = new SecureRandom();
    /** Messages read but not yet taken (by the background reader, or put back by {@link #command}); readLock. */
    private final ArrayDeque<Message> kept = new ArrayDeque<>();
    private volatile long lastCallerRead = System.nanoTime();
    private volatile boolean closing;
    private boolean closeSent; // writeLock

    private WsSession(Socket socket, byte[] leftover) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        this.reader = new WsFrameReader((b, off, len, timeoutMillis) -> {
            socket.setSoTimeout(Math.min(timeoutMillis, READ_SLICE_MS));
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                return 0;
            }
        }, payload -> sendFrame(0xA, payload, 0, payload.length), MAX_MESSAGE, leftover);
        Thread.ofVirtual().name("dtn7j-ws-keepalive").start(this::readWhileIdle);
    }

    /**
     * Opens {@code uri} ({@code ws://host:port/ws}): connects with TCP_NODELAY and performs the opening handshake.
     *
     * @param uri the WebSocket's address
     * @param token the bearer token, or null
     * @param target how to name the daemon in an "unreachable" message
     * @return the open session
     * @throws ApiException if the daemon cannot be reached (exit 4), refuses the upgrade (exit 3) or answers with
     *     something that is not a WebSocket handshake (exit 1)
     */
    static WsSession open(URI uri, String token, String target) throws ApiException {
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        } catch (ConnectException | NoRouteToHostException | UnknownHostException | SocketTimeoutException e) {
            closeQuietly(socket);
            throw ApiException.unreachable(target, e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw ApiException.failure("cannot open the WebSocket " + uri + ": " + e, e);
        }
        try {
            byte[] leftover = handshake(socket, uri, token);
            return new WsSession(socket, leftover);
        } catch (ApiException e) {
            closeQuietly(socket);
            throw e;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw ApiException.failure("the WebSocket " + uri + " did not open within " + HANDSHAKE_TIMEOUT_MS / 1000 + " s", e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw ApiException.failure("cannot open the WebSocket " + uri + ": " + e, e);
        }
    }

    /** Sends the upgrade request and checks the reply (RFC 6455 §4.1); returns bytes read past the reply's head. */
    private static byte[] handshake(Socket socket, URI uri, String token) throws IOException, ApiException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder request = new StringBuilder()
                .append("GET ").append(path).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority())
                .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key)
                .append("\r\nSec-WebSocket-Version: 13\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        request.append("\r\n");
        socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        InputStream in = socket.getInputStream();
        byte[] head = new byte[MAX_HANDSHAKE_REPLY];
        int have = 0;
        int headEnd = -1;
        while (headEnd < 0) {
            if (have == head.length) {
                throw ApiException.failure("the reply to the WebSocket upgrade of " + uri + " has a head over "
                        + MAX_HANDSHAKE_REPLY + " bytes", null);
            }
            int n = in.read(head, have, head.length - have);
            if (n < 0) {
                throw ApiException.failure("the daemon closed the connection during the WebSocket upgrade of " + uri, null);
            }
            have += n;
            headEnd = indexOfBlankLine(head, have);
        }
        String[] lines = new String(head, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = statusLine.length >= 2 && statusLine[0].startsWith("HTTP/") ? Integer.parseInt(statusLine[1]) : -1;
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status < 0) {
            throw ApiException.failure("the reply to the WebSocket upgrade of " + uri + " is not HTTP: " + lines[0], null);
        }
        String accept = null;
        long contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("sec-websocket-accept")) {
                accept = value;
            } else if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    contentLength = -1;
                }
            }
        }
        int bodyStart = headEnd + 4;
        if (status != 101) {
            throw ApiException.rejected("the WebSocket upgrade of " + uri, status,
                    errorBody(in, head, bodyStart, have, contentLength));
        }
        if (!expectedAccept(key).equals(accept)) {
            throw ApiException.failure("the daemon's reply to the WebSocket upgrade of " + uri
                    + " has a wrong or missing Sec-WebSocket-Accept", null);
        }
        byte[] leftover = new byte[have - bodyStart];
        System.arraycopy(head, bodyStart, leftover, 0, leftover.length);
        return leftover;
    }

    /** The body of a refused upgrade, as far as it arrives quickly and fits in 4 KiB. */
    private static String errorBody(InputStream in, byte[] head, int bodyStart, int have, long contentLength) {
        int limit = (int) Math.min(contentLength < 0 ? 4096 : contentLength, 4096);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(head, bodyStart, Math.min(have - bodyStart, limit));
        try {
            byte[] more = new byte[1024];
            while (body.size() < limit && contentLength >= 0) {
                int n = in.read(more, 0, Math.min(more.length, limit - body.size()));
                if (n < 0) {
                    break;
                }
                body.write(more, 0, n);
            }
        } catch (IOException e) {
            // keep what arrived
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static int indexOfBlankLine(byte[] b, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** {@code base64(SHA-1(key + GUID))}, the server's proof that it understood the upgrade. */
    static String expectedAccept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    /**
     * Sends a text command such as {@code /data} or {@code /subscribe incoming}.
     *
     * @param command the command line
     * @throws ApiException if the session is closed or sending fails
     */
    public void sendText(String command) throws ApiException {
        byte[] b = command.getBytes(StandardCharsets.UTF_8);
        try {
            sendFrame(0x1, b, 0, b.length);
        } catch (IOException e) {
            throw ApiException.failure("cannot send \"" + command + "\" over the WebSocket: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a binary frame.
     *
     * @param data the frame's content
     * @throws ApiException if the session is closed or sending fails
     */
    public void sendBinary(byte[] data) throws ApiException {
        try {
            sendFrame(0x2, data, 0, data.length);
        } catch (IOException e) {
            throw ApiException.failure("cannot send " + data.length + " bytes over the WebSocket: " + e.getMessage(), e);
        }
    }

    /** Writes one masked frame (RFC 6455 §5.2-5.3); small frames go out in a single write. */
    private void sendFrame(int opcode, byte[] payload, int off, int len) throws IOException {
        int headerLength = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + 4;
        int chunk = Math.min(len, 64 * 1024);
        byte[] frame = new byte[headerLength + chunk];
        frame[0] = (byte) (0x80 | opcode);
        int p;
        if (len < 126) {
            frame[1] = (byte) (0x80 | len);
            p = 2;
        } else if (len < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (len >>> 8);
            frame[3] = (byte) len;
            p = 4;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) len >>> (56 - 8 * i));
            }
            p = 10;
        }
        byte[] mask = new byte[4];
        synchronized (writeLock) {
            if (closeSent) {
                throw new IOException("the WebSocket is closed");
            }
            maskKeys.nextBytes(mask);
            System.arraycopy(mask, 0, frame, p, 4);
            p += 4;
            int done = 0;
            while (true) {
                int n = Math.min(chunk, len - done);
                for (int i = 0; i < n; i++) {
                    frame[p + i] = (byte) (payload[off + done + i] ^ mask[(done + i) & 3]);
                }
                out.write(frame, 0, p + n);
                done += n;
                if (done >= len) {
                    break;
                }
                p = 0;
            }
            out.flush();
            if (opcode == 0x8) {
                closeSent = true;
            }
        }
    }

    /**
     * The next message, or null if none arrives within {@code timeout}. Once the session has ended every call
     * returns the same {@link Closed}.
     *
     * @param timeout how long to wait
     * @return the message, or null on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Message next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = timeout.toNanos();
        if (!readLock.tryLock(Math.max(0, left), TimeUnit.NANOSECONDS)) {
            return null;
        }
        try {
            Message kept = this.kept.poll();
            if (kept != null) {
                return kept;
            }
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                // read in slices, so that an interrupt is noticed
                long slice = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_SLICE_MS));
                Message m = readOne(slice);
                if (m != null) {
                    return m;
                }
                if (deadline - System.nanoTime() <= 0) {
                    return null;
                }
            }
        } finally {
            lastCallerRead = System.nanoTime();
            readLock.unlock();
        }
    }

    /** Reads one message until {@code deadline} (readLock held); answers a server's close. */
    private Message readOne(long deadline) {
        Message m;
        try {
            m = reader.next(deadline);
        } catch (IOException e) {
            return new Closed(1006, "the connection failed: " + e.getMessage());
        }
        if (m instanceof Closed c) {
            endAfter(c);
        }
        return m;
    }

    /** The session has ended: answer a close (or report a protocol error) and let the socket go. */
    private void endAfter(Closed c) {
        closing = true;
        int code = switch (c.code()) {
            case 1002, 1007, 1009 -> c.code(); // our own verdict on what the server sent
            default -> 1000;
        };
        try {
            sendClose(code, "");
        } catch (IOException e) {
            // gone already
        }
        closeQuietly(socket);
    }

    private void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + Math.min(r.length, 123)];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, p.length - 2);
        synchronized (writeLock) {
            if (closeSent) {
                return;
            }
            sendFrame(0x8, p, 0, p.length);
        }
    }

    /** The background reader: reads for a caller that has not read for a while, so Pings are answered. */
    private void readWhileIdle() {
        try {
            while (!closing) {
                Thread.sleep(1000);
                if (System.nanoTime() - lastCallerRead < IDLE_BEFORE_BACKGROUND_READ_NANOS || !readLock.tryLock()) {
                    continue;
                }
                try {
                    while (!closing && !readLock.hasQueuedThreads()) {
                        Message m = readOne(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
                        if (m == null) {
                            break;
                        }
                        kept.add(m);
                        if (m instanceof Closed) {
                            return;
                        }
                    }
                } finally {
                    readLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // nothing interrupts this thread; stop quietly if something does
        }
    }

    /**
     * Sends {@code command} and waits for its text reply; fails unless the reply starts with {@code
     * expectedPrefix}.
     * Binary messages arriving meanwhile are kept for later.
     *
     * @param command the command to send
     * @param expectedPrefix the prefix a successful reply starts with
     * @param timeout how long to wait for the reply
     * @return the reply
     * @throws ApiException if no reply comes in time, the session closes or the reply is a refusal
     */
    public String command(String command, String expectedPrefix, Duration timeout) throws ApiException {
        sendText(command);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Message> deferred = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Message m = left <= 0 ? null : next(Duration.ofNanos(left));
                if (m == null) {
                    throw ApiException.failure("no reply to \"" + command + "\" within " + timeout.toSeconds() + " s", null);
                }
                if (m instanceof Text t) {
                    if (t.text().startsWith(expectedPrefix)) {
                        return t.text();
                    }
                    throw ApiException.wsRejected(command, t.text());
                }
                if (m instanceof Closed c) {
                    throw ApiException.failure("the daemon closed the WebSocket (" + c.code() + " " + c.reason()
                            + ") after \"" + command + "\"", null);
                }
                deferred.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.failure("interrupted", e);
        } finally {
            if (!deferred.isEmpty()) {
                readLock.lock();
                try {
                    for (int i = deferred.size() - 1; i >= 0; i--) {
                        kept.addFirst(deferred.get(i));
                    }
                } finally {
                    readLock.unlock();
                }
            }
        }
    }

    /** Closes the session normally: sends a close frame, waits briefly for the daemon's, then drops the socket. */
    @Override
    public void close() {
        closing = true; // the background reader stops after its current short read (not interrupted: an interrupt
                        // would close the socket under a virtual thread blocked in it, before the close frame)
        try {
            sendClose(1000, "bye");
            if (readLock.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (reader.ended() == null && deadline - System.nanoTime() > 0) {
                        reader.next(deadline);
                    }
                } finally {
                    readLock.unlock();
                }
            }
        } catch (IOException e) {
            // already closed or broken
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
