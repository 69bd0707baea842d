package io.dtn7j.daemon.cli.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frames a WebSocket server sends (RFC 6455 §5) and joins them into messages. It keeps its state across
 * read timeouts, so a caller can wait for a message with a deadline and come back later without losing a frame that
 * had only partly arrived. Control frames are handled here: a Ping is answered through the {@link ControlSink}, a
 * Pong is dropped, a Close ends the stream. A frame that breaks the protocol ends it too, as a {@link
 * WsSession.Closed} with code 1002; a message over {@link WsSession#MAX_MESSAGE} bytes as one with code 1009 (its
 * bytes are skipped, never held). Nothing is allocated for what a length field merely claims: payloads grow as their
 * bytes arrive.
 */
final class WsFrameReader {

    /** Where the bytes come from. */
    interface Source {
        /**
         * Reads up to {@code len} bytes, waiting at most {@code timeoutMillis} (at least 1).
         *
         * @return the number of bytes read, 0 if none arrived in time (the reader then returns to its caller), -1 at
         *     end of stream
         */
        int read(byte[] b, int off, int len, int timeoutMillis) throws IOException;
    }

    /** Where control-frame answers go. */
    interface ControlSink {
        /** Answers a server Ping with a Pong carrying {@code payload}. */
        void pong(byte[] payload) throws IOException;
    }

    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;

    private final Source source;
    private final ControlSink control;
    private final int maxMessage;
    private final byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;

    // the frame being read
    private boolean inFrame;
    private int frameOpcode;
    private boolean frameFin;
    private long frameLeft;
    private final ByteArrayOutputStream controlPayload = new ByteArrayOutputStream(125);

    // the message being joined
    private int messageOpcode; // 0 = none
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private long messageSize;
    private boolean tooLarge;

    private WsSession.Closed ended;

    /**
     * A reader.
     *
     * @param source the bytes
     * @param control answers to Pings
     * @param maxMessage the largest message kept
     * @param initial bytes already read from the source (after the opening handshake)
     */
    WsFrameReader(Source source, ControlSink control, int maxMessage, byte[] initial) {
        this.source = source;
        this.control = control;
        this.maxMessage = maxMessage;
        if (initial.length > buf.length) {
            throw new IllegalArgumentException("more initial bytes than the buffer holds");
        }
        System.arraycopy(initial, 0, buf, 0, initial.length);
        end = initial.length;
    }

    /** {@return how the stream ended, or null while it is open} */
    WsSession.Closed ended() {
        return ended;
    }

    /**
     * The next complete text or binary message, or how the stream ended.
     *
     * @param deadlineNanos the {@link System#nanoTime()} after which to give up waiting
     * @return the message, a {@link WsSession.Closed} once the stream has ended (again on every later call), or
     *         null if no complete message arrived before the deadline or the source's wait ended without bytes
     *         (what has arrived of a message is kept for the next call)
     * @throws IOException if answering a Ping fails
     */
    WsSession.Message next(long deadlineNanos) throws IOException {
        while (ended == null) {
            if (!inFrame && !readHeader(deadlineNanos)) {
                return ended;
            }
            if (!readPayload(deadlineNanos)) {
                return ended;
            }
            inFrame = false;
            WsSession.Message m = frameDone();
            if (m != null) {
                return m;
            }
        }
        return ended;
    }

    /** Parses a frame header; false if it has not arrived in time or the stream ended. */
    private boolean readHeader(long deadlineNanos) throws IOException {
        if (!need(2, deadlineNanos)) {
            return false;
        }
        int b0 = buf[start] & 0xff;
        int b1 = buf[start + 1] & 0xff;
        int len7 = b1 & 0x7f;
        int headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
        if (!need(headerLength, deadlineNanos)) {
            return false;
        }
        long length = len7;
        if (len7 == 126) {
            length = ((buf[start + 2] & 0xffL) << 8) | (buf[start + 3] & 0xffL);
        } else if (len7 == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (buf[start + 2 + i] & 0xffL);
            }
        }
        start += headerLength;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        if ((b0 & 0x70) != 0) {
            return fail(1002, "the server set reserved bits (no extension was negotiated)");
        }
        if ((b1 & 0x80) != 0) {
            return fail(1002, "the server sent a masked frame");
        }
        if (length < 0) {
            return fail(1002, "the server sent a frame length with the most significant bit set");
        }
        switch (opcode) {
            case OP_CLOSE, OP_PING, OP_PONG -> {
                if (!fin || length > 125) {
                    return fail(1002, "the server sent a fragmented or over-long control frame (" + length + " bytes)");
                }
                controlPayload.reset();
            }
            case OP_TEXT, OP_BINARY -> {
                if (messageOpcode != 0) {
                    return fail(1002, "the server started a new message inside a fragmented one");
                }
                messageOpcode = opcode;
                messageSize = 0;
                tooLarge = false;
                message.reset();
            }
            case OP_CONTINUATION -> {
                if (messageOpcode == 0) {
                    return fail(1002, "the server sent a continuation frame outside a message");
                }
            }
            default -> {
                return fail(1002, "the server sent a frame with the unknown opcode " + opcode);
            }
        }
        if (opcode == OP_TEXT || opcode == OP_BINARY || opcode == OP_CONTINUATION) {
            messageSize += length;
            if (messageSize > maxMessage || messageSize < 0) {
                tooLarge = true;
            }
        }
        inFrame = true;
        frameOpcode = opcode;
        frameFin = fin;
        frameLeft = length;
        return true;
    }

    /** Consumes the current frame's payload; false if it has not all arrived in time or the stream ended. */
    private boolean readPayload(long deadlineNanos) throws IOException {
        boolean isControl = frameOpcode >= OP_CLOSE;
        while (frameLeft > 0) {
            if (start == end && !fill(deadlineNanos)) {
                return false;
            }
            int n = (int) Math.min(end - start, frameLeft);
            if (isControl) {
                controlPayload.write(buf, start, n);
            } else if (!tooLarge) {
                message.write(buf, start, n);
            }
            start += n;
            frameLeft -= n;
        }
        return true;
    }

    /** A frame has been read whole: a complete message, or null to read on. */
    private WsSession.Message frameDone() throws IOException {
        switch (frameOpcode) {
            case OP_PING -> {
                control.pong(controlPayload.toByteArray());
                return null;
            }
            case OP_PONG -> {
                return null;
            }
            case OP_CLOSE -> {
                byte[] p = controlPayload.toByteArray();
                if (p.length == 0) {
                    ended = new WsSession.Closed(1005, "");
                } else if (p.length == 1) {
                    fail(1002, "the server sent a one-byte close payload");
                } else {
                    int code = ((p[0] & 0xff) << 8) | (p[1] & 0xff);
                    ended = new WsSession.Closed(code, new String(p, 2, p.length - 2, StandardCharsets.UTF_8));
                }
                return ended;
            }
            default -> {
                if (!frameFin) {
                    return null;
                }
                int opcode = messageOpcode;
                messageOpcode = 0;
                if (tooLarge) {
                    message.reset();
                    fail(1009, "a message of " + messageSize + " bytes exceeded " + maxMessage + " bytes");
                    return ended;
                }
                byte[] bytes = message.toByteArray();
                message.reset();
                if (opcode == OP_BINARY) {
                    return new WsSession.Binary(bytes);
                }
                try {
                    return new WsSession.Text(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
                } catch (CharacterCodingException e) {
                    fail(1007, "the server sent a text message that is not UTF-8");
                    return ended;
                }
            }
        }
    }

    /** Makes {@code n} bytes available at {@code start}; false on timeout or end of stream. */
    private boolean need(int n, long deadlineNanos) throws IOException {
        while (end - start < n) {
            if (!fill(deadlineNanos)) {
                return false;
            }
        }
        return true;
    }

    /** Reads more bytes into the buffer; false on timeout or end of stream. */
    private boolean fill(long deadlineNanos) throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        } else if (end == buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            return false;
        }
        int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (leftNanos + 999_999) / 1_000_000));
        int n;
        try {
            n = source.read(buf, end, buf.length - end, timeout);
        } catch (IOException e) {
            ended = new WsSession.Closed(1006, "the connection failed: " + e.getMessage());
            return false;
        }
        if (n < 0) {
            ended = new WsSession.Closed(1006, "the daemon closed the connection without a close frame");
            return false;
        }
        end += n;
        return n > 0; // 0: the source's wait ended without bytes; the caller decides whether to wait more
    }

    private boolean fail(int code, String reason) {
        ended = new WsSession.Closed(code, reason);
        return false;
    }
}
