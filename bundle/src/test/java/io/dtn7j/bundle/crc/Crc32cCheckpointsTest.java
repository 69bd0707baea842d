package io.dtn7j.bundle.crc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link Crc32cCheckpoints}: recorded over bytes fed in any pieces, they give the CRC-32C of any range, directly and
 * through {@link ByteSource#withCrc32cCheckpoints} and its slices; the checkpoints are really used (the middle of a
 * range is not read again); and a block CRC over chunks carrying checkpoints equals the one over an array.
 */
class Crc32cCheckpointsTest {

    /** Checkpoints over {@code data}, fed in pieces whose sizes come from {@code seed}. */
    static Crc32cCheckpoints record(byte[] data, int off, int len, int step, long seed) {
        Crc32cCheckpoints.Recorder r = new Crc32cCheckpoints.Recorder(step);
        Random random = new Random(seed);
        for (int at = off; at < off + len; ) {
            int n = Math.min(off + len - at, random.nextInt(3 * step + 2));
            r.update(data, at, n);
            at += n;
        }
        assertThat(r.length()).isEqualTo(len);
        return r.checkpoints();
    }

    @Property(tries = 400)
    void anyRangeHasTheCrcOfItsBytes(@ForAll @Size(min = 1, max = 30_000) byte[] data,
                                     @ForAll @IntRange(min = 1, max = 5_000) int step, @ForAll long seed,
                                     @ForAll @IntRange(min = 0, max = 29_999) int fromSeed,
                                     @ForAll @IntRange(min = 0, max = 29_999) int toSeed) {
        int from = fromSeed % (data.length + 1);
        int to = from + toSeed % (data.length - from + 1);
        Crc32cCheckpoints c = record(data, 0, data.length, step, seed);
        assertThat(c.crc(data, 0, from, to)).isEqualTo(Crc32c.compute(data, from, to - from));
        // the same through a source over a range of a larger array, and a slice of it
        byte[] padded = new byte[data.length + 7];
        System.arraycopy(data, 0, padded, 3, data.length);
        ByteSource source = ByteSource.withCrc32cCheckpoints(padded, 3, data.length, c);
        assertThat(source.knowsCrc32c()).isTrue();
        assertThat(source.knownCrc32c().getAsInt()).isEqualTo(Crc32c.compute(data, 0, data.length));
        ByteSource slice = source.slice(from, to - from);
        assertThat(slice.knowsCrc32c()).isTrue();
        assertThat(slice.knownCrc32c().getAsInt()).isEqualTo(Crc32c.compute(data, from, to - from));
        assertThat(slice.slice(0, (to - from) / 2).knownCrc32c().getAsInt())
                .isEqualTo(Crc32c.compute(data, from, (to - from) / 2));
    }

    @Property(tries = 100)
    void theMiddleOfARangeIsNotReadAgain(@ForAll @Size(min = 20_000, max = 40_000) byte[] data, @ForAll long seed) {
        Crc32cCheckpoints c = record(data, 0, data.length, 1_000, seed);
        byte[] original = data.clone();
        data[10_000] ^= 1; // changed after recording, in the middle of the range, away from its ends
        int expected = Crc32c.compute(original, 2_500, 15_000);
        assertThat(c.crc(data, 0, 2_500, 17_500)).as("from the checkpoints").isEqualTo(expected);
        assertThat(Crc32c.compute(data, 2_500, 15_000)).as("from the bytes").isNotEqualTo(expected);
    }

    /** The data cut into chunks of {@code chunk} bytes, each with checkpoints recorded over it. */
    static ByteSource chunks(byte[] data, int chunk, int step, long seed) {
        List<ByteSource> parts = new ArrayList<>();
        for (int at = 0; at < data.length; at += chunk) {
            int n = Math.min(chunk, data.length - at);
            parts.add(ByteSource.withCrc32cCheckpoints(data, at, n, record(data, at, n, step, seed)));
        }
        return ByteSource.concat(parts);
    }

    @Property(tries = 200)
    void aBlockCrcOverCheckpointedChunksEqualsTheOneOverTheArray(
            @ForAll @Size(min = 5, max = 40_000) byte[] data, @ForAll @IntRange(min = 1, max = 12_000) int chunk,
            @ForAll @IntRange(min = 1, max = 3_000) int step, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 39_999) int startSeed, @ForAll @IntRange(min = 0, max = 39_999) int endSeed)
            throws IOException {
        int start = startSeed % (data.length - 4);
        int end = start + 4 + endSeed % (data.length - start - 3);
        ByteSource block = chunks(data, chunk, step, seed).slice(start, end - start);
        assertThat(BlockCrc.compute(CrcType.CRC32C, block))
                .isEqualTo(BlockCrc.compute(CrcType.CRC32C, data, start, end - start));
    }

    /**
     * The same for checkpoints a writer recorded over a file: any slice of the file range derives its CRC, reading
     * the runs next to checkpoints from the file, also where those lie before the slice.
     */
    @Property(tries = 60)
    void aFileRangeAndItsSlicesHaveTheCrcsOfTheirBytes(@ForAll @Size(min = 1, max = 30_000) byte[] data,
                                                       @ForAll @IntRange(min = 1, max = 5_000) int step,
                                                       @ForAll @IntRange(min = 0, max = 29_999) int fromSeed,
                                                       @ForAll @IntRange(min = 0, max = 29_999) int toSeed)
            throws IOException {
        int from = fromSeed % (data.length + 1);
        int to = from + toSeed % (data.length - from + 1);
        java.nio.file.Path f = java.nio.file.Files.createTempFile("checkpoints", ".bin");
        try {
            byte[] file = new byte[data.length + 11]; // the range starts at 11
            System.arraycopy(data, 0, file, 11, data.length);
            java.nio.file.Files.write(f, file);
            ByteSource range = ByteSource.ofFileWithCrc32cCheckpoints(f, 11, data.length,
                    new Crc32cCheckpoints.Recorder(step).update(data, 0, data.length).checkpoints());
            assertThat(range.knownCrc32c().getAsInt()).isEqualTo(Crc32c.compute(data, 0, data.length));
            ByteSource slice = range.slice(from, to - from);
            assertThat(slice.knowsCrc32c()).isTrue();
            assertThat(slice.knownCrc32c().getAsInt()).isEqualTo(Crc32c.compute(data, from, to - from));
        } finally {
            java.nio.file.Files.delete(f);
        }
    }

    @Test
    void misuseIsRefused() {
        assertThatThrownBy(() -> new Crc32cCheckpoints.Recorder(0)).isInstanceOf(IllegalArgumentException.class);
        byte[] data = new byte[100];
        Crc32cCheckpoints c = new Crc32cCheckpoints.Recorder(16).update(data, 0, 50).checkpoints();
        assertThatThrownBy(() -> ByteSource.withCrc32cCheckpoints(data, 0, 100, c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cover 50 bytes");
        assertThatThrownBy(() -> c.crc(data, 0, 10, 51)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ByteSource.ofFileWithCrc32cCheckpoints(java.nio.file.Path.of("x"), 0, 100, c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cover 50 bytes");
        assertThat(c.crc(data, 0, 7, 7)).isZero(); // the CRC-32C of no bytes
    }
}
