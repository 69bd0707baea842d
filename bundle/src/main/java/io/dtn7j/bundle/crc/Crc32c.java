package io.dtn7j.bundle.crc;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli; check value of "123456789" is 0xE3069283), backed by {@link CRC32C}, which uses the
 * CPU's CRC instructions where available. Not CRC-32/ISO-HDLC ({@code java.util.zip.CRC32}).
 */
public final class Crc32c {
    /** The CRC-32C polynomial, bit-reversed (bit 31 is the coefficient of x^0). */
    private static final int POLY = 0x82F63B78;
    /** X2N[k] = x^(2^k) mod the polynomial, bit-reversed; k up to 66 covers x^(8n) for any long n. */
    private static final int[] X2N = new int[67];

    static {
        X2N[0] = 1 << 30; // x^1
        for (int k = 1; k < X2N.length; k++) {
            X2N[k] = multiply(X2N[k - 1], X2N[k - 1]);
        }
    }

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

    /**
     * The CRC-32C of {@code A} followed by {@code B}, from the CRC of each and the length of {@code B}, without the
     * bytes: CRC-32C is linear over GF(2), and appending {@code B} multiplies {@code A}'s CRC register by
     * x^(8·|B|) modulo the polynomial (the initial value and the final inversion cancel out). A receiver that
     * computed the CRCs of chunks as they arrived can so check a block spanning them without reading them again.
     *
     * @param crcA    CRC-32C of the first part (0 for no bytes)
     * @param crcB    CRC-32C of the second part
     * @param lengthB length of the second part in bytes (non-negative)
     * @return the CRC-32C of the two parts together, unsigned in an int
     */
    public static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length " + lengthB);
        }
        if (crcA == 0) {
            return crcB; // the zero register stays zero however far it is shifted
        }
        return multiply(xPow8n(lengthB), crcA) ^ crcB;
    }

    /**
     * x^(8n) mod the polynomial, bit-reversed: from {@link #POW8} for lengths below 4 GiB (at most three
     * multiplications), else one multiplication per bit of {@code n}.
     */
    private static int xPow8n(long n) {
        if (n >>> 32 != 0) {
            return xPow8nByBits(n);
        }
        int p = POW8[0][(int) n & 0xff];
        for (int j = 1; j < 4; j++) {
            int digit = (int) (n >>> (8 * j)) & 0xff;
            if (digit != 0) {
                p = multiply(POW8[j][digit], p);
            }
        }
        return p;
    }

    /** {@code POW8[j][i]} = x^(8·i·256^j) mod the polynomial, bit-reversed: x^(8n) by the base-256 digits of n. */
    private static final int[][] POW8 = new int[4][256];

    static {
        for (int j = 0; j < 4; j++) {
            int base = xPow8nByBits(1L << (8 * j));
            POW8[j][0] = 1 << 31; // x^0
            for (int i = 1; i < 256; i++) {
                POW8[j][i] = multiply(POW8[j][i - 1], base);
            }
        }
    }

    /** x^(8n) mod the polynomial, bit-reversed, one multiplication per bit of {@code n}. */
    private static int xPow8nByBits(long n) {
        int p = 1 << 31; // x^0
        int k = 3;       // 8n = n·2^3
        for (long m = n; m != 0; m >>>= 1, k++) {
            if ((m & 1) != 0) {
                p = multiply(X2N[k], p);
            }
        }
        return p;
    }

    /** a·b modulo the polynomial, both bit-reversed. */
    private static int multiply(int a, int b) {
        int product = 0;
        int factor = b;
        for (int bit = 1 << 31; bit != 0 && a != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= factor;
                a ^= bit;
            }
            factor = (factor & 1) != 0 ? (factor >>> 1) ^ POLY : factor >>> 1; // factor·x
        }
        return product;
    }
}
