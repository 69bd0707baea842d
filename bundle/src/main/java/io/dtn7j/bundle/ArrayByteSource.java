package io.dtn7j.bundle;

import io.dtn7j.bundle.crc.Crc32cCheckpoints;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/** A {@link ByteSource} over a range of a heap array; equal to another array source with the same bytes. */
final class ArrayByteSource implements ByteSource {
    static final ArrayByteSource EMPTY = new ArrayByteSource(new byte[0], 0, 0);

    private final byte[] bytes;
    private final int offset;
    private final int length;
    /** Checkpoints recorded over {@code bytes} from index {@link #origin} on, or null (see {@link #withCheckpoints}). */
    private final Crc32cCheckpoints checkpoints;
    private final int origin;

    ArrayByteSource(byte[] bytes, int offset, int length) {
        this(bytes, offset, length, null, 0);
    }

    private ArrayByteSource(byte[] bytes, int offset, int length, Crc32cCheckpoints checkpoints, int origin) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.checkpoints = checkpoints;
        this.origin = origin;
    }

    /**
     * A range of an array over which CRC-32C checkpoints were recorded (see {@link ByteSource#withCrc32cCheckpoints}):
     * it and its slices derive their CRC-32C from them.
     */
    static ArrayByteSource withCheckpoints(byte[] bytes, int offset, int length, Crc32cCheckpoints checkpoints) {
        return new ArrayByteSource(bytes, offset, length, checkpoints, offset);
    }

    @Override
    public java.util.OptionalInt knownCrc32c() {
        if (checkpoints != null) {
            return java.util.OptionalInt.of(checkpoints.crc(bytes, origin, offset - origin, offset - origin + length));
        }
        return java.util.OptionalInt.empty();
    }

    @Override
    public boolean knowsCrc32c() {
        return checkpoints != null;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(bytes, offset, length);
    }

    @Override
    public ByteSource slice(long off, long len) {
        Objects.checkFromIndexSize(off, len, length);
        if (off == 0 && len == length) {
            return this;
        }
        return new ArrayByteSource(bytes, offset + (int) off, (int) len, checkpoints, origin); // they cover any range
    }

    @Override
    public byte[] toByteArray() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    @Override
    public void read(long position, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(position, len, length);
        System.arraycopy(bytes, offset + (int) position, dst, dstOffset, len);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public void forEachChunk(ChunkConsumer consumer) throws IOException {
        if (length > 0) {
            consumer.accept(bytes, offset, length);
        }
    }

    @Override
    public boolean isInHeap() {
        return true;
    }

    @Override
    public boolean hasArray() {
        return true;
    }

    @Override
    public byte[] array() {
        return bytes;
    }

    @Override
    public int arrayOffset() {
        return offset;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof ArrayByteSource other) {
            return Arrays.equals(bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length);
        }
        return o instanceof CompositeByteSource c && c.isInHeap() && c.size() == length && HeapContent.equal(this, c);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ByteSource[").append(length).append(" bytes");
        if (length > 0) {
            sb.append(": ");
            HexFormatHolder.appendHex(sb, bytes, offset, Math.min(length, 32));
            if (length > 32) {
                sb.append("...");
            }
        }
        return sb.append(']').toString();
    }

    /** Small helper to keep toString cheap. */
    static final class HexFormatHolder {
        private static final java.util.HexFormat HEX = java.util.HexFormat.of();

        static void appendHex(StringBuilder sb, byte[] b, int off, int len) {
            HEX.formatHex(sb, b, off, off + len);
        }

        private HexFormatHolder() {}
    }
}
