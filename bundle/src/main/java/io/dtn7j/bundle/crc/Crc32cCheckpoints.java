package io.dtn7j.bundle.crc;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The CRC-32C of the first {@code k·step} bytes of a byte sequence, for every {@code k}, as a {@link Recorder}
 * computed them while the bytes went by (just read from a socket, still in the CPU's cache). From them the CRC-32C of
 * any range of the sequence follows by reading at most {@code step} bytes at each end of the range and combining
 * ({@link Crc32c#combine}): a receiver that recorded checkpoints over a chunk of an incoming bundle lets the block CRC
 * check of a block inside that chunk skip a second pass over the block's bytes, wherever the block starts and ends.
 * Immutable.
 */
public final class Crc32cCheckpoints {
    private final int step;
    /** {@code values[k]} is the CRC-32C of the first {@code (k + 1)·step} bytes. */
    private final int[] values;
    private final long length;

    private Crc32cCheckpoints(int step, int[] values, long length) {
        this.step = step;
        this.values = values;
        this.length = length;
    }

    /** {@return the number of bytes of the sequence these checkpoints were recorded over} */
    public long length() {
        return length;
    }

    /**
     * Reads short runs of the sequence the checkpoints were recorded over (never more than one checkpoint step).
     */
    @FunctionalInterface
    public interface Reader {
        /**
         * The CRC-32C of {@code length} bytes of the sequence from {@code from} on.
         *
         * @param from   position in the sequence
         * @param length number of bytes, at most one checkpoint step
         * @return their CRC-32C, unsigned in an int
         */
        int crc32c(long from, int length);
    }

    /**
     * The CRC-32C of {@code sequence[from, to)}, where the sequence is held in {@code bytes} from index {@code origin}
     * on (the bytes these checkpoints were recorded over; the caller vouches that they are unchanged).
     *
     * @param bytes  the array holding the sequence
     * @param origin index in {@code bytes} of the sequence's first byte
     * @param from   first position of the range in the sequence
     * @param to     end of the range in the sequence (exclusive), at most {@link #length()}
     * @return the CRC-32C of the range, unsigned in an int
     */
    public int crc(byte[] bytes, int origin, long from, long to) {
        return crc(from, to, (at, n) -> Crc32c.compute(bytes, origin + (int) at, n));
    }

    /**
     * The CRC-32C of {@code sequence[from, to)}, reading through {@code reader} at most one checkpoint step at each end
     * (the sequence these checkpoints were recorded over, in an array or a file; the caller vouches it is unchanged).
     *
     * @param from   first position of the range in the sequence
     * @param to     end of the range in the sequence (exclusive), at most {@link #length()}
     * @param reader reads the runs of the sequence around {@code from} and {@code to}
     * @return the CRC-32C of the range, unsigned in an int
     */
    public int crc(long from, long to, Reader reader) {
        Objects.checkFromToIndex(from, to, length);
        if (to - from <= step) { // no checkpoint can help: as cheap to read the range itself
            return reader.crc32c(from, (int) (to - from));
        }
        return Crc32c.combine(prefix(from, reader), prefix(to, reader), to - from);
    }

    /** CRC-32C of the first {@code position} bytes: the checkpoint before it, extended over the bytes after it. */
    private int prefix(long position, Reader reader) {
        long k = position / step; // whole steps before position
        long at = k * step;
        int base = k == 0 ? 0 : values[(int) k - 1];
        if (at == position) {
            return base;
        }
        return Crc32c.combine(base, reader.crc32c(at, (int) (position - at)), position - at);
    }

    /**
     * Records checkpoints over a sequence fed to it in order, one piece at a time. Not thread-safe: the reader of one
     * stream owns it.
     */
    public static final class Recorder {
        private final int step;
        private final CRC32C running = new CRC32C();
        private int[] values = new int[16];
        private int count;
        /** Bytes added since the last checkpoint. */
        private int sinceCheckpoint;
        private long length;

        /**
         * A recorder of checkpoints every {@code step} bytes.
         *
         * @param step bytes between checkpoints (positive): the most a range CRC reads at each end
         */
        public Recorder(int step) {
            if (step <= 0) {
                throw new IllegalArgumentException("step must be positive: " + step);
            }
            this.step = step;
        }

        /**
         * Adds the next bytes of the sequence.
         *
         * @param b   the array holding them
         * @param off index of the first
         * @param len number of bytes
         * @return this recorder
         */
        public Recorder update(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            int left = len;
            int at = off;
            while (left > 0) {
                int n = Math.min(left, step - sinceCheckpoint);
                running.update(b, at, n);
                sinceCheckpoint += n;
                if (sinceCheckpoint == step) {
                    if (count == values.length) {
                        values = Arrays.copyOf(values, count * 2);
                    }
                    values[count++] = (int) running.getValue();
                    sinceCheckpoint = 0;
                }
                at += n;
                left -= n;
            }
            length += len;
            return this;
        }

        /** {@return the number of bytes added so far} */
        public long length() {
            return length;
        }

        /** {@return the checkpoints over the bytes added so far} */
        public Crc32cCheckpoints checkpoints() {
            return new Crc32cCheckpoints(step, Arrays.copyOf(values, count), length);
        }
    }
}
