package io.dtn7j.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A sized, re-readable, immutable sequence of bytes: a byte array (or a range of one), a range of a
 * file, or a sequence of such parts ({@link #concat}). Payloads and whole encoded bundles are {@code
 * ByteSource}s, so a multi-gigabyte payload never has to be held in the heap, and an encoded bundle can
 * share its payload's bytes with the bundle it encodes instead of copying them.
 *
 * <p>Array-backed sources wrap the array without copying it: whoever hands an array to {@link #of(byte[])}
 * promises not to modify it afterwards (use {@link #copyOf(byte[])} otherwise). Sources held in the heap
 * ({@link #isInHeap()}: arrays and sequences of arrays) compare equal by content; file-backed sources compare
 * equal when they name the same file range.
 *
 * <p>Reading a file-backed source can fail; methods that do not declare {@link IOException} then throw
 * {@link UncheckedIOException}.
 */
public sealed interface ByteSource permits ArrayByteSource, FileByteSource, CompositeByteSource {

    /** The largest array this library will allocate for {@link #toByteArray()}. */
    int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    /** {@return the empty source} */
    static ByteSource empty() {
        return ArrayByteSource.EMPTY;
    }

    /**
     * Wraps {@code bytes} without copying; the caller must not modify the array afterwards.
     *
     * @param bytes the bytes
     * @return a source over {@code bytes}
     */
    static ByteSource of(byte[] bytes) {
        return bytes.length == 0 ? ArrayByteSource.EMPTY : new ArrayByteSource(bytes, 0, bytes.length);
    }

    /**
     * Wraps {@code bytes[offset, offset+length)} without copying; the caller must not modify that range.
     *
     * @param bytes the array
     * @param offset index of the first byte
     * @param length number of bytes
     * @return a source over the range
     */
    static ByteSource of(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        return new ArrayByteSource(bytes, offset, length);
    }

    /**
     * Wraps {@code bytes[offset, offset+length)} without copying, together with CRC-32C checkpoints the caller
     * recorded over exactly those bytes while they arrived ({@code checkpoints.length() == length}): this source and
     * every slice of it then derive their CRC-32C from the checkpoints ({@link #knownCrc32c()}), reading at most one
     * checkpoint step of bytes at each end, so a block CRC check over a block anywhere inside the range does not
     * read the block again. The caller vouches for the checkpoints and must not modify the range.
     *
     * @param bytes       the array
     * @param offset      index of the first byte
     * @param length      number of bytes
     * @param checkpoints checkpoints recorded over exactly this range
     * @return a source over the range that derives the CRC-32C of any part of it from the checkpoints
     */
    static ByteSource withCrc32cCheckpoints(byte[] bytes, int offset, int length,
                                            io.dtn7j.bundle.crc.Crc32cCheckpoints checkpoints) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        requireCoverage(checkpoints, length);
        return ArrayByteSource.withCheckpoints(bytes, offset, length, checkpoints);
    }

    /** Refuses checkpoints not recorded over exactly {@code length} bytes (the range they are to serve). */
    private static void requireCoverage(io.dtn7j.bundle.crc.Crc32cCheckpoints checkpoints, long length) {
        if (checkpoints.length() != length) {
            throw new IllegalArgumentException("checkpoints cover " + checkpoints.length() + " bytes, the range "
                    + length);
        }
    }

    /**
     * {@return the CRC-32C of all of this source's bytes if it can be derived from checkpoints recorded over them
     * ({@link #withCrc32cCheckpoints}, {@link #ofFileWithCrc32cCheckpoints} and their slices), reading at most one
     * checkpoint step at each end, else empty; never reads all the bytes}
     */
    default java.util.OptionalInt knownCrc32c() {
        return java.util.OptionalInt.empty();
    }

    /**
     * {@return whether {@link #knownCrc32c()} gives a value, without deriving it}
     */
    default boolean knowsCrc32c() {
        return false;
    }

    /**
     * A source holding a private copy of {@code bytes}.
     *
     * @param bytes the bytes to copy
     * @return a source over the copy
     */
    static ByteSource copyOf(byte[] bytes) {
        return of(bytes.clone());
    }

    /**
     * The UTF-8 bytes of {@code text}.
     *
     * @param text the text
     * @return a source over its UTF-8 encoding
     */
    static ByteSource ofUtf8(String text) {
        return of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The bytes {@code [offset, offset+length)} of the file at {@code path}. The file is opened on every
     * read and must not change while the source is in use. The range is not checked against the file's
     * size here; reading past the end of the file fails with an {@link IOException}.
     *
     * @param path the file
     * @param offset position in the file of the first byte
     * @param length number of bytes
     * @return a source over that range of the file
     */
    static ByteSource ofFile(Path path, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new IllegalArgumentException("bad file range: offset " + offset + ", length " + length);
        }
        return new FileByteSource(path, offset, length);
    }

    /**
     * A range of a file together with CRC-32C checkpoints its writer recorded over exactly that range while writing
     * it ({@code checkpoints.length() == length}): as for {@link #withCrc32cCheckpoints}, this source and its slices
     * derive their CRC-32C from them, reading at most one checkpoint step of the file at each end. The caller vouches
     * for the checkpoints and must not change the file.
     *
     * @param path        the file
     * @param offset      position of the first byte
     * @param length      number of bytes
     * @param checkpoints checkpoints recorded over exactly this range
     * @return a source over the range that derives the CRC-32C of any part of it from the checkpoints
     */
    static ByteSource ofFileWithCrc32cCheckpoints(Path path, long offset, long length,
                                                  io.dtn7j.bundle.crc.Crc32cCheckpoints checkpoints) {
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new IllegalArgumentException("bad file range: offset " + offset + ", length " + length);
        }
        requireCoverage(checkpoints, length);
        return new FileByteSource(path, offset, length, checkpoints, offset);
    }

    /**
     * The whole file at {@code path}, with its current size.
     *
     * @param path the file
     * @return a source over the whole file
     */
    static ByteSource ofFile(Path path) {
        try {
            return ofFile(path, 0, Files.size(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read size of " + path, e);
        }
    }

    /** Largest part {@link #toHeap()} allocates: below G1's humongous-object size for any heap. */
    int HEAP_CHUNK = 256 * 1024;

    /**
     * The bytes of {@code parts} one after the other, without copying them (nested sequences are flattened,
     * empty parts dropped; a single part is returned as it is).
     *
     * @param parts the parts, in order
     * @return a source over all their bytes
     * @throws IllegalArgumentException if the parts add up to more than 2^63 bytes
     */
    static ByteSource concat(List<ByteSource> parts) {
        return CompositeByteSource.of(parts);
    }

    /**
     * See {@link #concat(List)}.
     *
     * @param parts the parts, in order
     * @return a source over all their bytes
     */
    static ByteSource concat(ByteSource... parts) {
        return CompositeByteSource.of(Arrays.asList(parts));
    }

    /**
     * Receives consecutive ranges of a source's bytes ({@link #forEachChunk}); the array must not be
     * modified, nor kept after the call.
     */
    @FunctionalInterface
    interface ChunkConsumer {
        /**
         * Takes the next bytes.
         *
         * @param bytes the array holding them
         * @param offset index of the first byte
         * @param length number of bytes
         * @throws IOException if the consumer fails
         */
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /** {@return number of bytes} */
    long size();

    /** {@return whether the source is empty} */
    default boolean isEmpty() {
        return size() == 0;
    }

    /**
     * A new stream over the bytes; the caller closes it.
     *
     * @return a stream positioned at the first byte
     * @throws IOException if a file-backed source cannot be opened
     */
    InputStream openStream() throws IOException;

    /**
     * The sub-range {@code [offset, offset+length)} of this source, without copying.
     *
     * @param offset position in this source of the slice's first byte
     * @param length number of bytes in the slice
     * @return the slice
     */
    ByteSource slice(long offset, long length);

    /**
     * {@return the bytes as a new array}
     *
     * @throws IllegalStateException if the source is larger than {@link #MAX_ARRAY_SIZE}
     * @throws UncheckedIOException if a file-backed source cannot be read
     */
    byte[] toByteArray();

    /**
     * Copies {@code length} bytes starting at {@code position} of this source into
     * {@code dst[dstOffset ...]}.
     *
     *
     * @param position position in this source of the first byte to copy
     * @param dst the destination array
     * @param dstOffset index in {@code dst} of the first byte to write
     * @param length number of bytes to copy
     * @throws UncheckedIOException if a file-backed source cannot be read
     */
    void read(long position, byte[] dst, int dstOffset, int length);

    /**
     * Writes all bytes to {@code out}.
     *
     * @param out the destination (not closed)
     * @throws IOException if writing fails or a file-backed source cannot be read
     */
    void writeTo(OutputStream out) throws IOException;

    /**
     * Hands all bytes, in order, to {@code consumer} as array ranges: in place for bytes held in the heap
     * (no copy), through a buffer for a file.
     *
     * @param consumer receives the ranges
     * @throws IOException if a file-backed part cannot be read, or the consumer fails
     */
    void forEachChunk(ChunkConsumer consumer) throws IOException;

    /**
     * {@return the parts this source is made of, in order: itself unless it was made by {@link #concat}}
     */
    default List<ByteSource> segments() {
        return List.of(this);
    }

    /**
     * {@return whether every byte is held in the heap (arrays, no file): such a source stays readable for as
     * long as it is referenced}
     */
    boolean isInHeap();

    /**
     * {@return this source if it is {@linkplain #isInHeap() in the heap}, else a copy of its bytes in the heap,
     * held in arrays of at most {@link #HEAP_CHUNK} bytes (a large copy never needs one contiguous array)}
     *
     * @throws UncheckedIOException if a file-backed part cannot be read
     */
    default ByteSource toHeap() {
        if (isInHeap()) {
            return this;
        }
        long size = size();
        List<ByteSource> chunks = new java.util.ArrayList<>((int) Math.min(1 << 16, size / HEAP_CHUNK + 1));
        for (long pos = 0; pos < size; ) {
            int n = (int) Math.min(HEAP_CHUNK, size - pos);
            byte[] b = new byte[n];
            read(pos, b, 0, n);
            chunks.add(of(b));
            pos += n;
        }
        return concat(chunks);
    }

    /** {@return whether the bytes are in a heap array reachable through {@link #array()}} */
    boolean hasArray();

    /**
     * {@return the backing array of an array-backed source (see {@link #hasArray()}); the bytes are {@code
     * array()[arrayOffset() ... arrayOffset()+size())}} The array must not be modified.
     *
     * @throws UnsupportedOperationException if the source is not array-backed
     */
    byte[] array();

    /** {@return offset of this source's first byte in {@link #array()}} */
    int arrayOffset();
}
