package io.dtn7j.bundle.cbor;

import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.ByteSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict CBOR pull reader over a byte range (in memory), or over a {@link ByteSource} read through a
 * bounded window (for file-backed bundles).
 *
 * <p>Strictness: integers, lengths and tags must use the shortest head (RFC 8949 §4.2.1); a length is
 * checked against the bytes that remain before anything is allocated or skipped; text must be valid UTF-8.
 * Every error is a {@link BundleDecodeException} whose offset is the absolute position in the input.
 * Positions are absolute offsets in the input (the array offset, or the source offset, is position 0 of a
 * reader created over a sub-range: positions count from the range's start).
 */
public final class CborReader {
    /** Major types (RFC 8949 §3.1). */
    public static final int UNSIGNED = 0, NEGATIVE = 1, BYTES = 2, TEXT = 3, ARRAY = 4, MAP = 5, TAG = 6, SIMPLE = 7;

    /** Maximum nesting depth accepted by {@link #skipItem()}. */
    public static final int MAX_DEPTH = 32;

    /** Largest item that a windowed reader will buffer to return it as an array or string. */
    public static final int MAX_WINDOWED_ITEM = 1 << 20;

    private byte[] buf;
    private int pos;
    private int limit;
    /** Absolute position of buf[0] minus the start of the input (windowed mode), or -start (array mode). */
    private long base;
    /** Total input length. */
    private final long end;
    /** Windowed source, or null when everything is in buf. */
    private final ByteSource source;

    /**
     * A reader over {@code bytes[offset, offset+length)}; positions count from {@code offset}.
     *
     * @param bytes the array holding the input
     * @param offset index in {@code bytes} of the first input byte
     * @param length number of input bytes
     */
    public CborReader(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        this.buf = bytes;
        this.pos = offset;
        this.limit = offset + length;
        this.base = -offset;
        this.end = length;
        this.source = null;
    }

    /**
     * A reader over all of {@code bytes}.
     *
     * @param bytes the input
     */
    public CborReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private CborReader(ByteSource source, int window) {
        this.source = source;
        this.buf = new byte[window];
        this.pos = 0;
        this.limit = 0;
        this.base = 0;
        this.end = source.size();
    }

    /**
     * A reader over {@code source}. Array-backed sources are read in place; others through a window, so
     * large byte strings can be {@link #skipBytes skipped} without reading them into the heap.
     *
     * @param source the input
     * @return a reader positioned at the start of {@code source}
     */
    public static CborReader over(ByteSource source) {
        if (source.hasArray()) {
            return new CborReader(source.array(), source.arrayOffset(), (int) source.size());
        }
        // a file is read in large windows (fewer reads); parts in the heap in small ones, so that the bytes of a
        // large byte string that is skipped (a payload) are hardly ever copied into the window
        int window = source.isInHeap() ? 2 * 1024 : 64 * 1024;
        return new CborReader(source, (int) Math.min(window, Math.max(16, source.size())));
    }

    /** {@return position of the next byte, counted from the start of the input} */
    public long position() {
        return base + pos;
    }

    /** {@return bytes left in the input} */
    public long remaining() {
        return end - position();
    }

    /** {@return whether all input has been consumed} */
    public boolean atEnd() {
        return remaining() == 0;
    }

    /**
     * {@return the backing array when the whole input is in memory (then {@link #arrayIndex(long)} maps
     * positions to indices), or null for a windowed reader}
     */
    public byte[] array() {
        return source == null ? buf : null;
    }

    /**
     * Index in {@link #array()} of an input position.
     *
     * @param position an input position, as returned by {@link #position()}
     * @return the index in the backing array holding the byte at {@code position}
     */
    public int arrayIndex(long position) {
        return (int) (position - base);
    }

    private BundleDecodeException error(Reason reason, String message) {
        return new BundleDecodeException(reason, message, position());
    }

    private BundleDecodeException errorAt(Reason reason, String message, long at) {
        return new BundleDecodeException(reason, message, at);
    }

    private void ensure(int n) {
        if (limit - pos >= n) {
            return;
        }
        if (source == null || remaining() < n) {
            throw error(Reason.TRUNCATED, "input ends " + remaining() + " bytes after this point, " + n + " needed");
        }
        fill(n);
    }

    private void fill(int n) {
        int have = limit - pos;
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, Math.min(buf.length * 2, MAX_WINDOWED_ITEM))];
            System.arraycopy(buf, pos, bigger, 0, have);
            buf = bigger;
        } else {
            System.arraycopy(buf, pos, buf, 0, have);
        }
        base += pos;
        pos = 0;
        limit = have;
        long absLimit = base + limit;
        int want = (int) Math.min(buf.length - limit, end - absLimit);
        try {
            source.read(absLimit, buf, limit, want);
        } catch (java.io.UncheckedIOException e) {
            throw new BundleDecodeException(Reason.IO_ERROR, "cannot read input: " + e.getCause().getMessage(), absLimit, e);
        }
        limit += want;
    }

    /** {@return the next byte without consuming it} */
    public int peekByte() {
        ensure(1);
        return buf[pos] & 0xff;
    }

    /** {@return major type of the next item} */
    public int peekMajorType() {
        return peekByte() >>> 5;
    }

    /** {@return whether the next byte is a break (0xff)} */
    public boolean peekBreak() {
        return peekByte() == 0xff;
    }

    /** Consumes a break (0xff). */
    public void readBreak() {
        if (peekByte() != 0xff) {
            throw error(Reason.WRONG_STRUCTURE, "expected the end of an indefinite-length array (break)");
        }
        pos++;
    }

    private static String typeName(int major) {
        return switch (major) {
            case UNSIGNED -> "unsigned integer";
            case NEGATIVE -> "negative integer";
            case BYTES -> "byte string";
            case TEXT -> "text string";
            case ARRAY -> "array";
            case MAP -> "map";
            case TAG -> "tag";
            default -> "simple value/float";
        };
    }

    /**
     * Reads a head of the expected major type and returns its argument (unsigned, in a long); -1 marks an
     * indefinite length (only returned when {@code allowIndefinite}).
     */
    private long readHead(int expectedMajor, boolean allowIndefinite, String what) {
        if (pos < limit) {
            int ib = buf[pos] & 0xff;
            if ((ib >>> 5) == expectedMajor && (ib & 0x1f) < 24) {
                pos++;
                return ib & 0x1f;
            }
        }
        return readLongHead(expectedMajor, allowIndefinite, what);
    }

    private long readLongHead(int expectedMajor, boolean allowIndefinite, String what) {
        long start = position();
        ensure(1);
        int ib = buf[pos] & 0xff;
        int major = ib >>> 5;
        if (major != expectedMajor) {
            throw error(Reason.WRONG_STRUCTURE, what + ": expected " + typeName(expectedMajor) + ", found " + typeName(major));
        }
        int ai = ib & 0x1f;
        if (ai < 24) {
            pos++;
            return ai;
        }
        long value;
        switch (ai) {
            case 24 -> {
                ensure(2);
                value = buf[pos + 1] & 0xff;
                if (value < 24) {
                    throw errorAt(Reason.NON_CANONICAL_CBOR, what + ": value " + value + " not in shortest form", start);
                }
                pos += 2;
            }
            case 25 -> {
                ensure(3);
                value = ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
                if (value < 0x100) {
                    throw errorAt(Reason.NON_CANONICAL_CBOR, what + ": value " + value + " not in shortest form", start);
                }
                pos += 3;
            }
            case 26 -> {
                ensure(5);
                value = ((long) (buf[pos + 1] & 0xff) << 24) | ((buf[pos + 2] & 0xff) << 16)
                        | ((buf[pos + 3] & 0xff) << 8) | (buf[pos + 4] & 0xff);
                if (value < 0x10000) {
                    throw errorAt(Reason.NON_CANONICAL_CBOR, what + ": value " + value + " not in shortest form", start);
                }
                pos += 5;
            }
            case 27 -> {
                ensure(9);
                value = 0;
                for (int i = 1; i <= 8; i++) {
                    value = (value << 8) | (buf[pos + i] & 0xff);
                }
                if (Long.compareUnsigned(value, 0x1_0000_0000L) < 0) {
                    throw errorAt(Reason.NON_CANONICAL_CBOR, what + ": value " + value + " not in shortest form", start);
                }
                if (value < 0 && major >= BYTES && major <= MAP) {
                    // a length of 2^63 or more can never fit, and must not be mistaken for "indefinite" (-1)
                    throw errorAt(Reason.TRUNCATED, what + ": " + typeName(major) + " claims "
                            + Long.toUnsignedString(value) + " elements or bytes", start);
                }
                pos += 9;
            }
            case 31 -> {
                if (major == UNSIGNED || major == NEGATIVE || major == TAG) {
                    throw error(Reason.MALFORMED_CBOR, what + ": additional information 31 is not allowed for a " + typeName(major));
                }
                if (!allowIndefinite) {
                    throw error(Reason.NON_CANONICAL_CBOR, what + ": indefinite-length " + typeName(major) + " not allowed here");
                }
                pos++;
                return -1;
            }
            default -> throw error(Reason.MALFORMED_CBOR, what + ": reserved additional information " + ai);
        }
        return value;
    }

    /**
     * Reads an unsigned integer (as an unsigned 64-bit value in a long).
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @return the value, as an unsigned 64-bit value in a long
     */
    public long readUnsigned(String what) {
        return readHead(UNSIGNED, false, what);
    }

    /**
     * Reads an unsigned integer that must be at most {@code max} (compared unsigned).
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @param max the largest value accepted, compared unsigned
     * @return the value, at most {@code max}
     */
    public long readUnsigned(String what, long max) {
        long start = position();
        long v = readHead(UNSIGNED, false, what);
        if (Long.compareUnsigned(v, max) > 0) {
            throw errorAt(Reason.WRONG_STRUCTURE, what + ": " + Long.toUnsignedString(v) + " exceeds the maximum "
                    + Long.toUnsignedString(max), start);
        }
        return v;
    }

    /**
     * Reads a definite array head and returns its length, or -1 for an indefinite array when
     * {@code allowIndefinite}. A definite length larger than the bytes left is rejected (every element
     * takes at least one byte).
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @param allowIndefinite whether an indefinite-length array is accepted
     * @return the number of elements, or -1 for an indefinite array
     */
    public long readArrayHeader(String what, boolean allowIndefinite) {
        long start = position();
        long n = readHead(ARRAY, allowIndefinite, what);
        if (n >= 0 && Long.compareUnsigned(n, remaining()) > 0) {
            throw errorAt(Reason.TRUNCATED, what + ": array claims " + Long.toUnsignedString(n) + " elements but only "
                    + remaining() + " bytes remain", start);
        }
        return n;
    }

    /**
     * Reads a definite array head whose length must be {@code expected}.
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @param expected the number of elements the array must have
     */
    public void readArrayHeader(String what, int expected) {
        long start = position();
        long n = readArrayHeader(what, false);
        if (n != expected) {
            throw errorAt(Reason.WRONG_STRUCTURE, what + ": array of " + Long.toUnsignedString(n) + " elements, expected "
                    + expected, start);
        }
    }

    /**
     * Reads a definite byte string head and returns its length, checked against the bytes left. The bytes
     * themselves are then next in the input (see {@link #skipBytes}, {@link #readBytes}).
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @return the length of the byte string in bytes
     */
    public long readByteStringHeader(String what) {
        long start = position();
        long n = readHead(BYTES, false, what);
        if (Long.compareUnsigned(n, remaining()) > 0) {
            throw errorAt(Reason.TRUNCATED, what + ": byte string claims " + Long.toUnsignedString(n) + " bytes but only "
                    + remaining() + " remain", start);
        }
        return n;
    }

    /**
     * Reads a definite byte string into a new array.
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @return the bytes of the string
     */
    public byte[] readByteString(String what) {
        long n = readByteStringHeader(what);
        return readBytes(what, n);
    }

    /**
     * Reads the next {@code n} raw bytes (n already checked against the input by a header read).
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @param n the number of bytes to read
     * @return a new array holding the {@code n} bytes
     */
    public byte[] readBytes(String what, long n) {
        if (n > MAX_WINDOWED_ITEM && source != null) {
            throw error(Reason.TOO_LARGE, what + ": " + n + " bytes is too large to buffer");
        }
        ensure((int) n);
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, pos, out, 0, (int) n);
        pos += (int) n;
        return out;
    }

    /**
     * Skips the next {@code n} raw bytes (n already checked against the input by a header read).
     *
     * @param n the number of bytes to skip
     */
    public void skipBytes(long n) {
        if (Long.compareUnsigned(n, remaining()) > 0) {
            throw error(Reason.TRUNCATED, "cannot skip " + n + " bytes, only " + remaining() + " remain");
        }
        if (limit - pos >= n) {
            pos += (int) n;
        } else {
            // windowed: drop the window and continue after the skipped range
            base = position() + n;
            pos = 0;
            limit = 0;
        }
    }

    /**
     * Reads a definite text string (valid UTF-8).
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @return the decoded string
     */
    public String readTextString(String what) {
        long start = position();
        int len = readTextStringHeader(what);
        return readTextContent(what, len, start);
    }

    /**
     * Reads a definite text string head and returns its length, checked against the bytes left and, once
     * this returns, available in the window: for an in-memory reader the text is then at
     * {@code array()[arrayIndex(position()) ...]}. Follow with {@link #readTextContent} or {@link #skipBytes}.
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @return the length of the text string in bytes
     */
    public int readTextStringHeader(String what) {
        long start = position();
        long n = readHead(TEXT, false, what);
        if (Long.compareUnsigned(n, remaining()) > 0) {
            throw errorAt(Reason.TRUNCATED, what + ": text string claims " + Long.toUnsignedString(n) + " bytes but only "
                    + remaining() + " remain", start);
        }
        if (n > MAX_WINDOWED_ITEM && source != null) {
            throw error(Reason.TOO_LARGE, what + ": text of " + n + " bytes is too large");
        }
        ensure((int) n);
        return (int) n;
    }

    /**
     * Reads {@code len} bytes of text content (after {@link #readTextStringHeader}) as a string (valid UTF-8).
     *
     * @param what names the item being read; it starts the message of any {@link BundleDecodeException} thrown
     * @param len the number of bytes of text, as returned by {@link #readTextStringHeader}
     * @param start the input position of the string's head, reported as the offset of a UTF-8 error
     * @return the decoded string
     */
    public String readTextContent(String what, int len, long start) {
        ensure(len);
        boolean ascii = true;
        for (int i = pos, e = pos + len; i < e; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii) {
            s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
        } else {
            try {
                s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf, pos, len)).toString();
            } catch (CharacterCodingException e) {
                throw errorAt(Reason.MALFORMED_CBOR, what + ": text string is not valid UTF-8", start);
            }
        }
        pos += len;
        return s;
    }

    /** Skips one complete data item of any type, checking well-formedness (depth at most {@link #MAX_DEPTH}). */
    public void skipItem() {
        skipItem(0);
    }

    private void skipItem(int depth) {
        if (depth > MAX_DEPTH) {
            throw error(Reason.MALFORMED_CBOR, "items nested deeper than " + MAX_DEPTH);
        }
        int ib = peekByte();
        int major = ib >>> 5;
        int ai = ib & 0x1f;
        switch (major) {
            case UNSIGNED, NEGATIVE -> readHead(major, false, "integer");
            case BYTES, TEXT -> {
                long n = readHead(major, true, typeName(major));
                if (n < 0) {
                    while (!peekBreak()) {
                        if (peekMajorType() != major) {
                            throw error(Reason.MALFORMED_CBOR, "chunk of an indefinite " + typeName(major) + " has another type");
                        }
                        long c = readHead(major, false, "chunk");
                        skipChecked(c);
                    }
                    pos++;
                } else {
                    skipChecked(n);
                }
            }
            case ARRAY, MAP -> {
                long n = readHead(major, true, typeName(major));
                if (n < 0) {
                    while (!peekBreak()) {
                        skipItem(depth + 1);
                        if (major == MAP) {
                            if (peekBreak()) {
                                throw error(Reason.MALFORMED_CBOR, "indefinite map ends after a key");
                            }
                            skipItem(depth + 1);
                        }
                    }
                    pos++;
                } else {
                    if (Long.compareUnsigned(n, remaining()) > 0) {
                        throw error(Reason.TRUNCATED, typeName(major) + " claims " + Long.toUnsignedString(n)
                                + " elements but only " + remaining() + " bytes remain");
                    }
                    long items = major == MAP ? n * 2 : n;
                    for (long i = 0; i < items; i++) {
                        skipItem(depth + 1);
                    }
                }
            }
            case TAG -> {
                readHead(TAG, false, "tag");
                skipItem(depth + 1);
            }
            default -> {
                if (ai < 24) {
                    pos++;
                } else if (ai == 24) {
                    ensure(2);
                    if ((buf[pos + 1] & 0xff) < 32) {
                        throw error(Reason.MALFORMED_CBOR, "simple value in two-byte form below 32");
                    }
                    pos += 2;
                } else if (ai == 25 || ai == 26 || ai == 27) {
                    int n = 1 + (1 << (ai - 24));
                    ensure(n);
                    pos += n;
                } else if (ai == 31) {
                    throw error(Reason.MALFORMED_CBOR, "unexpected break");
                } else {
                    throw error(Reason.MALFORMED_CBOR, "reserved additional information " + ai);
                }
            }
        }
    }

    private void skipChecked(long n) {
        if (Long.compareUnsigned(n, remaining()) > 0) {
            throw error(Reason.TRUNCATED, "string claims " + Long.toUnsignedString(n) + " bytes but only " + remaining() + " remain");
        }
        skipBytes(n);
    }
}
