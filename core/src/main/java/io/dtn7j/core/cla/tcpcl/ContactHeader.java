package io.dtn7j.core.cla.tcpcl;

/**
 * The TCPCLv4 contact header (RFC 9174 §4.2): magic {@code "dtn!"}, version, flags.
 *
 * @param version the protocol version (4 for TCPCLv4)
 * @param flags   raw flags; bit 0 is CAN_TLS
 */
public record ContactHeader(int version, int flags) {

    /** Length of a contact header on the wire. */
    public static final int LENGTH = 6;
    /** Flag bit: the sender is able to use TLS. */
    public static final int FLAG_CAN_TLS = 0x01;
    static final byte[] MAGIC = {'d', 't', 'n', '!'};

    /**
     * A version-4 contact header.
     *
     * @param canTls whether this entity offers TLS (the CAN_TLS flag)
     * @return the header
     */
    public static ContactHeader v4(boolean canTls) {
        return new ContactHeader(4, canTls ? FLAG_CAN_TLS : 0);
    }

    /** {@return true when CAN_TLS is set} */
    public boolean canTls() {
        return (flags & FLAG_CAN_TLS) != 0;
    }

    /** {@return the 6 bytes on the wire} */
    public byte[] encode() {
        return new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], (byte) version, (byte) flags};
    }

    /**
     * Parses 6 bytes.
     *
     *
     * @param b the 6 bytes received
     * @throws TcpclProtocolException with {@link TcpclProtocolException.Kind#BAD_MAGIC} if the magic is wrong
     * @return the header
     */
    public static ContactHeader decode(byte[] b) throws TcpclProtocolException {
        if (b.length != LENGTH) {
            throw new TcpclProtocolException(TcpclProtocolException.Kind.MALFORMED, -1,
                    "contact header must be 6 bytes, got " + b.length);
        }
        for (int i = 0; i < 4; i++) {
            if (b[i] != MAGIC[i]) {
                throw new TcpclProtocolException(TcpclProtocolException.Kind.BAD_MAGIC, -1,
                        "contact header does not start with 'dtn!': peer does not speak TCPCL");
            }
        }
        return new ContactHeader(b[4] & 0xff, b[5] & 0xff);
    }
}
