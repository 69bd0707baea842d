package io.dtn7j.core.cla.tcpcl;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * A TCPCLv4 session or transfer extension item (RFC 9174 §4.8, §5.2.5): flags (bit 0 = CRITICAL),
 * a 16-bit type code and a value of at most 65535 bytes.
 *
 * @param flags the raw item flags; unknown bits are kept
 * @param type  the item type code (0..65535)
 * @param value the item value (copied; never shared)
 */
public record ExtensionItem(int flags, int type, byte[] value) {

    /** Flag bit: the receiver must understand this item or refuse/terminate. */
    public static final int FLAG_CRITICAL = 0x01;
    /** Transfer extension type "Transfer Length" (RFC 9174 §5.2.5.1): value is a U64 total length. */
    public static final int TYPE_TRANSFER_LENGTH = 0x0001;

    /** Validates ranges and copies the value. */
    public ExtensionItem {
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("extension item flags must fit in a U8, got " + flags);
        }
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("extension item type must fit in a U16, got " + type);
        }
        value = value.clone();
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("extension item value longer than 65535 bytes: " + value.length);
        }
    }

    /**
     * A critical Transfer Length item carrying {@code totalLength}.
     *
     * @param totalLength the transfer's total length in bytes
     * @return the item
     */
    public static ExtensionItem transferLength(long totalLength) {
        return new ExtensionItem(FLAG_CRITICAL, TYPE_TRANSFER_LENGTH,
                ByteBuffer.allocate(8).putLong(totalLength).array());
    }

    /** {@return true when the CRITICAL flag is set} */
    public boolean critical() {
        return (flags & FLAG_CRITICAL) != 0;
    }

    /** {@return the value (a copy)} */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** {@return bytes this item occupies on the wire} */
    public int encodedLength() {
        return 5 + value.length;
    }

    /**
     * {@return the total length of a Transfer Length item, empty if this is not one or its value is not 8 bytes}
     */
    public OptionalLong transferLengthValue() {
        if (type != TYPE_TRANSFER_LENGTH || value.length != 8) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionItem e && e.flags == flags && e.type == type && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return (flags * 31 + type) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ExtensionItem[flags=" + flags + ", type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
