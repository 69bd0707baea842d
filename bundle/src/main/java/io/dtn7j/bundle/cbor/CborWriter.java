package io.dtn7j.bundle.cbor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A deterministic CBOR writer into a growable array: every head uses the shortest form (RFC 8949
 * §4.2.1); indefinite-length arrays only when asked for explicitly (RFC 9171's outer bundle array).
 */
public final class CborWriter {
    private byte[] buf;
    private int size;

    /** A writer with a small initial buffer. */
    public CborWriter() {
        this(64);
    }

    /**
     * A writer with the given initial capacity.
     *
     * @param capacity the initial size of the buffer in bytes; it grows as needed
     */
    public CborWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /**
     * Number of bytes the head of an item with argument {@code value} takes (1, 2, 3, 5 or 9).
     *
     * @param value the argument of the head
     * @return the size of the head in bytes
     */
    public static int headSize(long value) {
        if (Long.compareUnsigned(value, 24) < 0) {
            return 1;
        } else if (Long.compareUnsigned(value, 0x100) < 0) {
            return 2;
        } else if (Long.compareUnsigned(value, 0x10000) < 0) {
            return 3;
        } else if (Long.compareUnsigned(value, 0x1_0000_0000L) < 0) {
            return 5;
        }
        return 9;
    }

    /**
     * Encoded size of a text string.
     *
     * @param s the string
     * @return its size in bytes (head plus UTF-8 content) once encoded as a CBOR text string
     */
    public static int textSize(String s) {
        int n = utf8Length(s);
        return headSize(n) + n;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++; // a lone surrogate is encoded as '?'
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void ensure(int n) {
        if (buf.length - size < n) {
            long want = Math.max((long) size + n, (long) buf.length * 2);
            if (want > Integer.MAX_VALUE - 8) {
                want = (long) size + n;
                if (want > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("encoding exceeds the maximum array size");
                }
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    /**
     * Writes a head: major type and argument, shortest form.
     *
     * @param major the major type (0 to 7)
     * @param value the argument
     * @return this writer
     */
    public CborWriter writeHead(int major, long value) {
        if (value >= 0 && value < 24 && size < buf.length) {
            buf[size++] = (byte) ((major << 5) | (int) value);
            return this;
        }
        return writeLongHead(major, value);
    }

    private CborWriter writeLongHead(int major, long value) {
        ensure(9);
        int mt = major << 5;
        if (Long.compareUnsigned(value, 24) < 0) {
            buf[size++] = (byte) (mt | (int) value);
        } else if (Long.compareUnsigned(value, 0x100) < 0) {
            buf[size++] = (byte) (mt | 24);
            buf[size++] = (byte) value;
        } else if (Long.compareUnsigned(value, 0x10000) < 0) {
            buf[size++] = (byte) (mt | 25);
            buf[size++] = (byte) (value >>> 8);
            buf[size++] = (byte) value;
        } else if (Long.compareUnsigned(value, 0x1_0000_0000L) < 0) {
            buf[size++] = (byte) (mt | 26);
            buf[size++] = (byte) (value >>> 24);
            buf[size++] = (byte) (value >>> 16);
            buf[size++] = (byte) (value >>> 8);
            buf[size++] = (byte) value;
        } else {
            buf[size++] = (byte) (mt | 27);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (value >>> shift);
            }
        }
        return this;
    }

    /**
     * Writes an unsigned integer (the long is read as unsigned 64-bit).
     *
     * @param value the value, read as unsigned 64-bit
     * @return this writer
     */
    public CborWriter writeUnsigned(long value) {
        return writeHead(CborReader.UNSIGNED, value);
    }

    /**
     * Writes a definite array head.
     *
     * @param length the number of elements that follow
     * @return this writer
     */
    public CborWriter writeArrayHeader(long length) {
        return writeHead(CborReader.ARRAY, length);
    }

    /**
     * Starts an indefinite-length array (0x9f).
     *
     * @return this writer
     */
    public CborWriter writeIndefiniteArray() {
        ensure(1);
        buf[size++] = (byte) 0x9f;
        return this;
    }

    /**
     * Writes a break (0xff).
     *
     * @return this writer
     */
    public CborWriter writeBreak() {
        ensure(1);
        buf[size++] = (byte) 0xff;
        return this;
    }

    /**
     * Writes a byte string head; the caller then writes exactly {@code length} bytes.
     *
     * @param length the number of content bytes that follow
     * @return this writer
     */
    public CborWriter writeByteStringHeader(long length) {
        return writeHead(CborReader.BYTES, length);
    }

    /**
     * Writes a byte string.
     *
     * @param bytes the content
     * @return this writer
     */
    public CborWriter writeByteString(byte[] bytes) {
        return writeByteString(bytes, 0, bytes.length);
    }

    /**
     * Writes a byte string from a range of an array.
     *
     * @param bytes the array holding the content
     * @param off index in {@code bytes} of the first content byte
     * @param len number of content bytes
     * @return this writer
     */
    public CborWriter writeByteString(byte[] bytes, int off, int len) {
        writeByteStringHeader(len);
        return writeRaw(bytes, off, len);
    }

    /**
     * Writes a text string (UTF-8).
     *
     * @param s the string
     * @return this writer
     */
    public CborWriter writeTextString(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeHead(CborReader.TEXT, b.length);
            return writeRaw(b, 0, b.length);
        }
        writeHead(CborReader.TEXT, n);
        ensure(n);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) s.charAt(i); // ASCII: one byte per char
        }
        size += n;
        return this;
    }

    /**
     * Appends raw bytes (an already encoded item, or string content).
     *
     * @param bytes the array holding the bytes
     * @param off index in {@code bytes} of the first byte to append
     * @param len number of bytes to append
     * @return this writer
     */
    public CborWriter writeRaw(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
        return this;
    }

    /**
     * Appends {@code n} zero bytes (e.g. a CRC placeholder).
     *
     * @param n the number of zero bytes
     * @return this writer
     */
    public CborWriter writeZeros(int n) {
        ensure(n);
        Arrays.fill(buf, size, size + n, (byte) 0);
        size += n;
        return this;
    }

    /** {@return number of bytes written} */
    public int size() {
        return size;
    }

    /** {@return the internal buffer; bytes {@code [0, size())} are valid} Writing more may replace it. */
    public byte[] buffer() {
        return buf;
    }

    /** {@return a copy of the bytes written} */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** {@return the bytes written: the buffer itself when it is exactly full (no copy), else a copy} */
    public byte[] toByteArrayShared() {
        return size == buf.length ? buf : toByteArray();
    }

    /**
     * Forgets all bytes written, keeping the buffer.
     *
     * @return this writer, now empty
     */
    public CborWriter reset() {
        size = 0;
        return this;
    }
}
