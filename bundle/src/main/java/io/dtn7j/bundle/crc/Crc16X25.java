package io.dtn7j.bundle.crc;

/**
 * CRC-16/X-25 (poly 0x1021 reflected, init 0xFFFF, xorout 0xFFFF; check value of "123456789" is 0x906E),
 * table-driven. Use {@link #update} repeatedly, then {@link #value()}.
 */
public final class Crc16X25 {
    private static final int[] TABLE = new int[256];
    /** Slicing-by-4 tables: T1..T3 give the effect of a byte followed by 1..3 more bytes. */
    private static final int[] T1 = new int[256], T2 = new int[256], T3 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            TABLE[i] = c;
        }
        for (int i = 0; i < 256; i++) {
            T1[i] = (TABLE[i] >>> 8) ^ TABLE[TABLE[i] & 0xff];
            T2[i] = (T1[i] >>> 8) ^ TABLE[T1[i] & 0xff];
            T3[i] = (T2[i] >>> 8) ^ TABLE[T2[i] & 0xff];
        }
    }

    private int crc = 0xFFFF;

    /** Creates a CRC over no bytes yet. */
    public Crc16X25() {
    }

    /**
     * Adds bytes.
     *
     * @param b the array holding the bytes
     * @param off index in {@code b} of the first byte
     * @param len number of bytes
     * @return this CRC
     */
    public Crc16X25 update(byte[] b, int off, int len) {
        int c = crc;
        int i = off;
        int end = off + len;
        for (int end4 = end - 3; i < end4; i += 4) {
            int x0 = (c ^ b[i]) & 0xff;
            int x1 = ((c >>> 8) ^ b[i + 1]) & 0xff;
            c = T3[x0] ^ T2[x1] ^ T1[b[i + 2] & 0xff] ^ TABLE[b[i + 3] & 0xff];
        }
        for (; i < end; i++) {
            c = (c >>> 8) ^ TABLE[(c ^ b[i]) & 0xff];
        }
        crc = c;
        return this;
    }

    /**
     * Adds {@code n} zero bytes.
     *
     * @param n number of zero bytes
     * @return this CRC
     */
    public Crc16X25 updateZeros(int n) {
        int c = crc;
        for (int i = 0; i < n; i++) {
            c = (c >>> 8) ^ TABLE[c & 0xff];
        }
        crc = c;
        return this;
    }

    /** {@return the CRC of the bytes added so far} */
    public int value() {
        return crc ^ 0xFFFF;
    }

    /**
     * The CRC of a byte range.
     *
     * @param b the array holding the bytes
     * @param off index in {@code b} of the first byte
     * @param len number of bytes
     * @return the CRC of {@code b[off, off+len)}
     */
    public static int compute(byte[] b, int off, int len) {
        return new Crc16X25().update(b, off, len).value();
    }
}
