package io.dtn7j.core.cla.tcpcl;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The TCPCLv4 messages that follow the contact header (RFC 9174 §4–§6). Each record encodes itself with
 * {@link #encode()}; an {@link XferSegment} here is the message <em>header</em> only (its data follows it on
 * the stream and is written/read separately so that large segments are streamed).
 */
public sealed interface TcpclMessage {

    /** Message type codes (RFC 9174 §4.1, Table 2). */
    int XFER_SEGMENT = 0x01, XFER_ACK = 0x02, XFER_REFUSE = 0x03, KEEPALIVE = 0x04, SESS_TERM = 0x05,
            MSG_REJECT = 0x06, SESS_INIT = 0x07;

    /** {@return the message type code} */
    int type();

    /**
     * {@return the message bytes on the wire (for XFER_SEGMENT: everything up to and including the data length)}
     */
    byte[] encode();

    /**
     * Human-readable name of a type code.
     *
     * @param type the message type code
     * @return its name, e.g. {@code XFER_SEGMENT}
     */
    static String typeName(int type) {
        return switch (type) {
            case XFER_SEGMENT -> "XFER_SEGMENT";
            case XFER_ACK -> "XFER_ACK";
            case XFER_REFUSE -> "XFER_REFUSE";
            case KEEPALIVE -> "KEEPALIVE";
            case SESS_TERM -> "SESS_TERM";
            case MSG_REJECT -> "MSG_REJECT";
            case SESS_INIT -> "SESS_INIT";
            default -> "unknown(0x" + Integer.toHexString(type) + ")";
        };
    }

    /**
     * SESS_INIT (§4.6).
     *
     * @param keepaliveSeconds  proposed keepalive interval, 0 disables keepalives
     * @param segmentMru        largest segment data this entity receives (U64, negative = above 2^63)
     * @param transferMru       largest transfer this entity receives
     * @param nodeId            the sender's node ID URI
     * @param extensions        session extension items
     */
    record SessInit(int keepaliveSeconds, long segmentMru, long transferMru, String nodeId,
                    List<ExtensionItem> extensions) implements TcpclMessage {
        /** Validates ranges. */
        public SessInit {
            if (keepaliveSeconds < 0 || keepaliveSeconds > 0xffff) {
                throw new IllegalArgumentException("keepalive must fit in a U16: " + keepaliveSeconds);
            }
            if (nodeId.getBytes(StandardCharsets.UTF_8).length > 0xffff) {
                throw new IllegalArgumentException("node ID longer than 65535 bytes");
            }
            extensions = List.copyOf(extensions);
        }

        @Override
        public int type() {
            return SESS_INIT;
        }

        @Override
        public byte[] encode() {
            byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
            return write(out -> {
                out.writeByte(SESS_INIT);
                out.writeShort(keepaliveSeconds);
                out.writeLong(segmentMru);
                out.writeLong(transferMru);
                out.writeShort(id.length);
                out.write(id);
                writeItems(out, extensions);
            });
        }
    }

    /**
     * XFER_SEGMENT header (§5.2.2): flags, transfer ID, extension items (only with START), data length.
     *
     * @param flags      raw flags ({@link #FLAG_START}, {@link #FLAG_END})
     * @param transferId the transfer this segment belongs to
     * @param extensions transfer extension items; must be empty unless START is set
     * @param dataLength number of data bytes that follow this header
     */
    record XferSegment(int flags, long transferId, List<ExtensionItem> extensions, long dataLength)
            implements TcpclMessage {
        /** Segment flag: last segment of a transfer. */
        public static final int FLAG_END = 0x01;
        /** Segment flag: first segment of a transfer. */
        public static final int FLAG_START = 0x02;

        /** Validates ranges. */
        public XferSegment {
            if (flags < 0 || flags > 0xff) {
                throw new IllegalArgumentException("segment flags must fit in a U8: " + flags);
            }
            extensions = List.copyOf(extensions);
            if (!extensions.isEmpty() && (flags & FLAG_START) == 0) {
                throw new IllegalArgumentException("only a START segment carries transfer extension items");
            }
        }

        /** {@return true when START is set} */
        public boolean start() {
            return (flags & FLAG_START) != 0;
        }

        /** {@return true when END is set} */
        public boolean end() {
            return (flags & FLAG_END) != 0;
        }

        @Override
        public int type() {
            return XFER_SEGMENT;
        }

        @Override
        public byte[] encode() {
            return write(out -> {
                out.writeByte(XFER_SEGMENT);
                out.writeByte(flags);
                out.writeLong(transferId);
                if (start()) {
                    writeItems(out, extensions);
                }
                out.writeLong(dataLength);
            });
        }
    }

    /**
     * XFER_ACK (§5.2.3).
     *
     * @param flags              the flags of the segment being acknowledged
     * @param transferId         the transfer
     * @param acknowledgedLength total bytes of the transfer received so far
     */
    record XferAck(int flags, long transferId, long acknowledgedLength) implements TcpclMessage {
        @Override
        public int type() {
            return XFER_ACK;
        }

        @Override
        public byte[] encode() {
            byte[] b = new byte[18]; // sent for every segment: encoded without stream objects
            b[0] = XFER_ACK;
            b[1] = (byte) flags;
            putLong(b, 2, transferId);
            putLong(b, 10, acknowledgedLength);
            return b;
        }
    }

    /**
     * XFER_REFUSE (§5.2.4).
     *
     * @param reason     refusal reason code (see {@link #REASON_COMPLETED} and friends)
     * @param transferId the refused transfer
     */
    record XferRefuse(int reason, long transferId) implements TcpclMessage {
        /** Reason codes (RFC 9174 Table 6). */
        public static final int REASON_UNKNOWN = 0, REASON_COMPLETED = 1, REASON_NO_RESOURCES = 2,
                REASON_RETRANSMIT = 3, REASON_NOT_ACCEPTABLE = 4, REASON_EXTENSION_FAILURE = 5,
                REASON_SESSION_TERMINATING = 6;

        @Override
        public int type() {
            return XFER_REFUSE;
        }

        @Override
        public byte[] encode() {
            byte[] b = new byte[10];
            b[0] = XFER_REFUSE;
            b[1] = (byte) reason;
            putLong(b, 2, transferId);
            return b;
        }
    }

    /** KEEPALIVE (§5.1.1). */
    record Keepalive() implements TcpclMessage {
        @Override
        public int type() {
            return KEEPALIVE;
        }

        @Override
        public byte[] encode() {
            return new byte[] {KEEPALIVE};
        }
    }

    /**
     * SESS_TERM (§6.1).
     *
     * @param flags  raw flags ({@link #FLAG_REPLY})
     * @param reason reason code ({@link #REASON_IDLE_TIMEOUT} and friends)
     */
    record SessTerm(int flags, int reason) implements TcpclMessage {
        /** Flag: this SESS_TERM answers one received. */
        public static final int FLAG_REPLY = 0x01;
        /** Reason codes (RFC 9174 Table 9). */
        public static final int REASON_UNKNOWN = 0, REASON_IDLE_TIMEOUT = 1, REASON_VERSION_MISMATCH = 2,
                REASON_BUSY = 3, REASON_CONTACT_FAILURE = 4, REASON_RESOURCE_EXHAUSTION = 5;

        /** {@return true when REPLY is set} */
        public boolean reply() {
            return (flags & FLAG_REPLY) != 0;
        }

        @Override
        public int type() {
            return SESS_TERM;
        }

        @Override
        public byte[] encode() {
            return new byte[] {SESS_TERM, (byte) flags, (byte) reason};
        }
    }

    /**
     * MSG_REJECT (§5.1.2).
     *
     * @param reason         reason code ({@link #REASON_TYPE_UNKNOWN} and friends)
     * @param rejectedHeader the message header (type code) being rejected
     */
    record MsgReject(int reason, int rejectedHeader) implements TcpclMessage {
        /** Reason codes (RFC 9174 Table 5). */
        public static final int REASON_TYPE_UNKNOWN = 1, REASON_UNSUPPORTED = 2, REASON_UNEXPECTED = 3;

        @Override
        public int type() {
            return MSG_REJECT;
        }

        @Override
        public byte[] encode() {
            return new byte[] {MSG_REJECT, (byte) reason, (byte) rejectedHeader};
        }
    }

    // ---- encoding helpers ----

    /** Writes {@code v} big-endian at {@code b[at..at+7]}. */
    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** Writes a U32 total length followed by the items. */
    private static void writeItems(DataOutputStream out, List<ExtensionItem> items) throws IOException {
        long total = 0;
        for (ExtensionItem item : items) {
            total += item.encodedLength();
        }
        out.writeInt((int) total);
        for (ExtensionItem item : items) {
            byte[] v = item.value();
            out.writeByte(item.flags());
            out.writeShort(item.type());
            out.writeShort(v.length);
            out.write(v);
        }
    }

    /** Something that writes to a DataOutputStream. */
    @FunctionalInterface
    interface Writer {
        /**
         * Writes.
         *
         * @param out the stream
         * @throws IOException if writing fails
         */
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for an in-memory stream
        }
        return bytes.toByteArray();
    }
}
