package io.dtn7j.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Content equality and hash of sources held in the heap, whatever their shape (one array or several parts). */
final class HeapContent {
    private static final int BLOCK = 8 * 1024;

    private HeapContent() {
    }

    /** Whether two in-heap sources of the same size hold the same bytes. */
    static boolean equal(ByteSource a, ByteSource b) {
        long size = a.size();
        if (size != b.size()) {
            return false;
        }
        byte[] x = new byte[(int) Math.min(BLOCK, size)];
        byte[] y = new byte[x.length];
        for (long pos = 0; pos < size; pos += x.length) {
            int n = (int) Math.min(x.length, size - pos);
            a.read(pos, x, 0, n);
            b.read(pos, y, 0, n);
            if (!java.util.Arrays.equals(x, 0, n, y, 0, n)) {
                return false;
            }
        }
        return true;
    }

    /** The same hash as {@link ArrayByteSource#hashCode()} over the bytes of {@code s}. */
    static int hash(ByteSource s) {
        int[] h = {1};
        try {
            s.forEachChunk((b, off, len) -> {
                int v = h[0];
                for (int i = off, end = off + len; i < end; i++) {
                    v = 31 * v + b[i];
                }
                h[0] = v;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return h[0];
    }
}
