package io.dtn7j.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ByteSource} made of consecutive parts (array ranges and file ranges), read in place: an encoded bundle
 * whose large payload stays where it is (a received bundle's chunks, an application's array) while its small
 * blocks are encoded next to it. Never nested, never with an empty part, always at least two parts. Equal by
 * content to any other source held in the heap.
 */
final class CompositeByteSource implements ByteSource {
    private final ByteSource[] parts;
    /** starts[i] = position of parts[i]'s first byte; starts[parts.length] = size. */
    private final long[] starts;
    private final boolean inHeap;

    private CompositeByteSource(ByteSource[] parts) {
        this.parts = parts;
        this.starts = new long[parts.length + 1];
        boolean heap = true;
        for (int i = 0; i < parts.length; i++) {
            starts[i + 1] = starts[i] + parts[i].size();
            heap &= parts[i].isInHeap();
        }
        this.inHeap = heap;
    }

    /** Flattens nested composites, drops empty parts; one part is returned as it is. */
    static ByteSource of(List<ByteSource> sources) {
        int n = 0;
        for (ByteSource s : sources) {
            n += s instanceof CompositeByteSource c ? c.parts.length : 1;
        }
        ByteSource[] flat = new ByteSource[n];
        int k = 0;
        long total = 0;
        for (ByteSource s : sources) {
            Objects.requireNonNull(s, "part");
            if (s instanceof CompositeByteSource c) {
                for (ByteSource p : c.parts) {
                    flat[k++] = p;
                }
            } else if (!s.isEmpty()) {
                flat[k++] = s;
            }
            total += s.size();
            if (total < 0) {
                throw new IllegalArgumentException("the parts add up to more than 2^63 bytes");
            }
        }
        if (k == 0) {
            return ArrayByteSource.EMPTY;
        }
        if (k == 1) {
            return flat[0];
        }
        return new CompositeByteSource(k == n ? flat : Arrays.copyOf(flat, k));
    }

    @Override
    public long size() {
        return starts[parts.length];
    }

    @Override
    public List<ByteSource> segments() {
        return List.of(parts);
    }

    @Override
    public boolean isInHeap() {
        return inHeap;
    }

    /** Index of the part holding position {@code pos} (0 <= pos < size). */
    private int partAt(long pos) {
        int i = Arrays.binarySearch(starts, 0, parts.length, pos);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public InputStream openStream() {
        return new PartsStream();
    }

    @Override
    public ByteSource slice(long offset, long length) {
        Objects.checkFromIndexSize(offset, length, size());
        if (offset == 0 && length == size()) {
            return this;
        }
        if (length == 0) {
            return ArrayByteSource.EMPTY;
        }
        int first = partAt(offset);
        int last = partAt(offset + length - 1);
        if (first == last) {
            return parts[first].slice(offset - starts[first], length);
        }
        ByteSource[] out = new ByteSource[last - first + 1];
        out[0] = parts[first].slice(offset - starts[first], starts[first + 1] - offset);
        for (int i = first + 1; i < last; i++) {
            out[i - first] = parts[i];
        }
        out[out.length - 1] = parts[last].slice(0, offset + length - starts[last]);
        return new CompositeByteSource(out);
    }

    @Override
    public byte[] toByteArray() {
        if (size() > MAX_ARRAY_SIZE) {
            throw new IllegalStateException("source of " + size() + " bytes is too large for an array; stream it");
        }
        byte[] out = new byte[(int) size()];
        read(0, out, 0, out.length);
        return out;
    }

    @Override
    public void read(long position, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(position, length, size());
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        if (length == 0) {
            return;
        }
        int i = partAt(position);
        long pos = position;
        int off = dstOffset;
        int left = length;
        while (left > 0) {
            long inPart = pos - starts[i];
            int n = (int) Math.min(left, parts[i].size() - inPart);
            parts[i].read(inPart, dst, off, n);
            pos += n;
            off += n;
            left -= n;
            i++;
        }
    }

    /** Parts up to this size held in the heap are joined to the large parts next to them when written. */
    static final int JOIN = 4 * 1024;

    /**
     * Writes the parts in order. Small parts (an encoded bundle's head and its payload's CRC) are not written on
     * their own: they are joined with the first / last {@value #JOIN} bytes of the large part next to them (all of
     * it when it is at most twice that), so a socket sees no tiny writes (each a TCP segment and a wake-up of the
     * reader of its own) around a large one. The joining buffer is as large as the run it joins.
     */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        byte[] pending = null;
        int pendingLength = 0;
        for (int i = 0; i < parts.length; i++) {
            ByteSource p = parts[i];
            long size = p.size();
            if (size <= JOIN && p.isInHeap()) {
                pending = grow(pending, pendingLength + (int) size, pendingLength + joinedFrom(i));
                p.read(0, pending, pendingLength, (int) size);
                pendingLength += (int) size;
                continue;
            }
            long from = 0;
            if (pendingLength > 0) {
                int lead = lead(size);
                pending = grow(pending, pendingLength + lead, pendingLength + lead);
                p.read(0, pending, pendingLength, lead);
                out.write(pending, 0, pendingLength + lead);
                pendingLength = 0;
                from = lead;
            }
            boolean smallFollows = i + 1 < parts.length && parts[i + 1].size() <= JOIN && parts[i + 1].isInHeap();
            int keep = smallFollows ? lead(size - from) : 0;
            long middle = size - from - keep;
            if (middle > 0) {
                p.slice(from, middle).writeTo(out);
            }
            if (keep > 0) {
                pending = grow(pending, keep, keep + joinedFrom(i + 1));
                p.read(size - keep, pending, 0, keep);
                pendingLength = keep;
            }
        }
        if (pendingLength > 0) {
            out.write(pending, 0, pendingLength);
        }
    }

    /**
     * The bytes {@link #writeTo} joins into one write from part {@code i} on: the small heap parts from there, and
     * the lead of the large part after them.
     */
    private int joinedFrom(int i) {
        long n = 0;
        for (int j = i; j < parts.length; j++) {
            ByteSource p = parts[j];
            if (p.size() > JOIN || !p.isInHeap()) {
                return (int) (n + lead(p.size()));
            }
            n += p.size();
            if (n > 64 * JOIN) {
                break; // a long run of small parts: grow as it comes
            }
        }
        return (int) n;
    }

    /**
     * How much of a large part (or of what is left of it) {@link #writeTo} joins to the small parts next to it: up
     * to {@link #JOIN} bytes, or all of it when the rest would be shorter than that (no small write of the rest).
     */
    private static int lead(long size) {
        return (int) (size <= 2L * JOIN ? size : JOIN);
    }

    /**
     * {@code b}, or a larger copy of it, with room for {@code needed} bytes; a new one is {@code expected} bytes (what
     * the run being joined will take), so a small bundle's write allocates no more than its own size.
     */
    private static byte[] grow(byte[] b, int needed, int expected) {
        if (b == null) {
            return new byte[Math.max(needed, expected)];
        }
        return needed <= b.length ? b : Arrays.copyOf(b, Math.max(needed, Math.max(expected, b.length * 2)));
    }

    @Override
    public void forEachChunk(ChunkConsumer consumer) throws IOException {
        for (ByteSource p : parts) {
            p.forEachChunk(consumer);
        }
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("a composite ByteSource has no single array; use read or forEachChunk");
    }

    @Override
    public int arrayOffset() {
        throw new UnsupportedOperationException("a composite ByteSource has no single array; use read or forEachChunk");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof ByteSource other && inHeap && other.isInHeap() && other.size() == size()
                && HeapContent.equal(this, other);
    }

    @Override
    public int hashCode() {
        return inHeap ? HeapContent.hash(this) : Arrays.hashCode(parts);
    }

    @Override
    public String toString() {
        return "ByteSource[" + size() + " bytes in " + parts.length + " parts]";
    }

    /** Streams the parts one after the other, opening each only when it is reached. */
    private final class PartsStream extends InputStream {
        private int index = -1;
        private InputStream current;

        private boolean advance() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
            if (++index >= parts.length) {
                return false;
            }
            current = parts[index].openStream();
            return true;
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
            if (len == 0) {
                return 0;
            }
            while (current != null || advance()) {
                int n = current.read(b, off, len);
                if (n > 0) {
                    return n;
                }
                if (!advance()) {
                    return -1;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
            index = parts.length;
        }
    }
}
