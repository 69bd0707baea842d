package io.dtn7j.bundle.crc;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli; check value of "123456789" is 0xE3069283), backed by {@link CRC32C}, which uses the
 * CPU's CRC instructions where available. Not CRC-32/ISO-HDLC ({@code java.util.zip.CRC32}).
 */
public final class Crc32c {
    private final CRC32C crc = new CRC32C();

    /** Creates a CRC over no bytes yet. */
    public Crc32c() {
    }

    /**
     * Adds bytes.
     *
     * @param b the array holding the bytes
     * @param off index in {@code b} of the first byte
     * @param len number of bytes
     * @return this CRC
     */
    public Crc32c update(byte[] b, int off, int len) {
        crc.update(b, off, len);
        return this;
    }

    /**
     * Adds {@code n} zero bytes.
     *
     * @param n number of zero bytes
     * @return this CRC
     */
    public Crc32c updateZeros(int n) {
        for (int i = 0; i < n; i++) {
            crc.update(0);
        }
        return this;
    }

    /** {@return the CRC of the bytes added so far (unsigned 32-bit in an int)} */
    public int value() {
        return (int) crc.getValue();
    }

    /**
     * The CRC of a byte range.
     *
     * @param b the array holding the bytes
     * @param off index in {@code b} of the first byte
     * @param len number of bytes
     * @return the CRC of {@code b[off, off+len)}, unsigned in an int
     */
    public static int compute(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
