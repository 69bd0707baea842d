package io.dtn7j.bundle.crc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link BlockCrc#compute(CrcType, ByteSource)} over a source made of parts that know their CRC-32C (checkpoints, as a
 * receiver records them while bytes arrive): the result equals the CRC computed over the bytes, wherever the block starts and
 * ends within the parts; and a known value is really used instead of the bytes.
 */
class BlockCrcKnownPartsPropertiesTest {

    /**
     * The data cut into parts of {@code piece} bytes; every {@code knownEvery}-th part carries CRC-32C checkpoints
     * (every 100 bytes), those of part {@code corruptPart} recorded over a copy with its first byte changed.
     */
    static ByteSource parts(byte[] data, int piece, int knownEvery, int corruptPart) {
        List<ByteSource> parts = new ArrayList<>();
        for (int at = 0, i = 0; at < data.length; at += piece, i++) {
            int n = Math.min(piece, data.length - at);
            if (i % knownEvery == 0) {
                byte[] recorded = java.util.Arrays.copyOfRange(data, at, at + n);
                recorded[0] ^= (byte) (i == corruptPart ? 1 : 0);
                Crc32cCheckpoints c = new Crc32cCheckpoints.Recorder(100).update(recorded, 0, n).checkpoints();
                parts.add(ByteSource.withCrc32cCheckpoints(data, at, n, c));
            } else {
                parts.add(ByteSource.of(data, at, n));
            }
        }
        return ByteSource.concat(parts);
    }

    @Property(tries = 300)
    void combiningKnownPartsGivesTheCrcOfTheBytes(@ForAll @Size(min = 5, max = 40_000) byte[] data,
                                                   @ForAll @IntRange(min = 1, max = 9_000) int piece,
                                                   @ForAll @IntRange(min = 1, max = 3) int knownEvery,
                                                   @ForAll @IntRange(min = 0, max = 39_999) int startSeed,
                                                   @ForAll @IntRange(min = 0, max = 39_999) int endSeed) throws IOException {
        int start = startSeed % (data.length - 4);
        int end = start + 4 + endSeed % (data.length - start - 3); // a block of at least its 4 CRC bytes
        ByteSource block = parts(data, piece, knownEvery, -1).slice(start, end - start);
        assertThat(BlockCrc.compute(CrcType.CRC32C, block))
                .isEqualTo(BlockCrc.compute(CrcType.CRC32C, data, start, end - start));
    }

    @Property(tries = 100)
    void aKnownValueIsUsedInsteadOfTheBytes(@ForAll @Size(min = 20_000, max = 40_000) byte[] data) throws IOException {
        // parts of 1,000 bytes, all known; part 5 lies about its CRC: the block over parts 2-9 must come out wrong
        ByteSource block = parts(data, 1_000, 1, 5).slice(2_000, 8_000);
        assertThat(BlockCrc.compute(CrcType.CRC32C, block))
                .isNotEqualTo(BlockCrc.compute(CrcType.CRC32C, data, 2_000, 8_000));
    }
}
