package io.dtn7j.bundle;

import io.dtn7j.bundle.crc.Crc32cCheckpoints;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A {@link ByteSource} over a range of a file; the file is opened on every read. {@code checkpoints}, when not null,
 * were recorded over the file from position {@code origin} on by whoever wrote it (see
 * {@link ByteSource#ofFileWithCrc32cCheckpoints}); this range and its slices derive their CRC-32C from them. They take
 * no part in equality.
 */
record FileByteSource(Path path, long offset, long length, Crc32cCheckpoints checkpoints, long origin)
        implements ByteSource {

    FileByteSource {
        Objects.requireNonNull(path, "path");
    }

    FileByteSource(Path path, long offset, long length) {
        this(path, offset, length, null, 0);
    }

    @Override
    public OptionalInt knownCrc32c() {
        if (checkpoints == null) {
            return OptionalInt.empty();
        }
        long from = offset - origin;
        // the runs read around the ends may lie outside this range, within what the checkpoints cover
        return OptionalInt.of(checkpoints.crc(from, from + length, (at, n) -> {
            byte[] run = new byte[n];
            new FileByteSource(path, origin + at, n).read(0, run, 0, n);
            return io.dtn7j.bundle.crc.Crc32c.compute(run, 0, n);
        }));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileByteSource f && f.path.equals(path) && f.offset == offset && f.length == length;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, offset, length);
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
    public InputStream openStream() throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        return new RangeStream(ch, offset, length);
    }

    @Override
    public ByteSource slice(long off, long len) {
        Objects.checkFromIndexSize(off, len, length);
        if (off == 0 && len == length) {
            return this;
        }
        return new FileByteSource(path, offset + off, len, checkpoints, origin);
    }

    @Override
    public byte[] toByteArray() {
        if (length > MAX_ARRAY_SIZE) {
            throw new IllegalStateException("file range of " + length + " bytes is too large for an array; stream it");
        }
        byte[] out = new byte[(int) length];
        read(0, out, 0, out.length);
        return out;
    }

    @Override
    public void read(long position, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(position, len, length);
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(dst, dstOffset, len);
            long pos = offset + position;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(path + " ended before byte " + (offset + position + len));
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = openStream()) {
            in.transferTo(out);
        }
    }

    @Override
    public void forEachChunk(ChunkConsumer consumer) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, length))];
        try (InputStream in = openStream()) {
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException(path + " ended " + left + " bytes before the end of the range");
                }
                consumer.accept(buf, 0, n);
                left -= n;
            }
        }
    }

    @Override
    public boolean isInHeap() {
        return false;
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("file-backed ByteSource has no array");
    }

    @Override
    public int arrayOffset() {
        throw new UnsupportedOperationException("file-backed ByteSource has no array");
    }

    @Override
    public String toString() {
        return "ByteSource[" + length + " bytes of " + path + " at " + offset + "]";
    }

    /** Reads a file range through positional reads; fails with EOFException if the file is short. */
    private static final class RangeStream extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long end;

        RangeStream(FileChannel ch, long start, long length) {
            this.ch = ch;
            this.pos = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (pos >= end) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int want = (int) Math.min(len, end - pos);
            int n = ch.read(ByteBuffer.wrap(b, off, want), pos);
            if (n < 0) {
                throw new EOFException("file ended at " + pos + ", before the end of the range at " + end);
            }
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - pos));
            pos += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - pos);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
