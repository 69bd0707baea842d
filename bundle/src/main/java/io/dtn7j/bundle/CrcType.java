package io.dtn7j.bundle;

/** The CRC type of a block (RFC 9171 §4.2.1), with its code on the wire and its width in bytes. */
public enum CrcType {
    /** No CRC. */
    NONE(0, 0),
    /** CRC-16/X-25, 2 bytes. */
    CRC16(1, 2),
    /** CRC-32C (Castagnoli), 4 bytes. */
    CRC32C(2, 4);

    private final int code;
    private final int width;

    CrcType(int code, int width) {
        this.code = code;
        this.width = width;
    }

    /** {@return the code used in the encoding: 0, 1 or 2} */
    public int code() {
        return code;
    }

    /** {@return width of the CRC value in bytes: 0, 2 or 4} */
    public int width() {
        return width;
    }

    /**
     * The type with the given code.
     *
     *
     * @param code the code used in the encoding
     * @throws IllegalArgumentException for codes other than 0, 1 and 2
     * @return the CRC type
     */
    public static CrcType ofCode(long code) {
        if (code == 0) {
            return NONE;
        } else if (code == 1) {
            return CRC16;
        } else if (code == 2) {
            return CRC32C;
        }
        throw new IllegalArgumentException("unknown CRC type " + Long.toUnsignedString(code) + " (known: 0, 1, 2)");
    }
}
