package io.dtn7j.bundle.crc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link Crc32c#combine}: the CRC of two parts from theirs equals the CRC computed over the bytes. */
class Crc32cCombinePropertiesTest {

    @Property(tries = 500)
    void combiningTheCrcsOfTwoPartsGivesTheCrcOfBoth(@ForAll @Size(max = 3000) byte[] a,
                                                     @ForAll @Size(max = 3000) byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertThat(Crc32c.combine(Crc32c.compute(a, 0, a.length), Crc32c.compute(b, 0, b.length), b.length))
                .isEqualTo(Crc32c.compute(both, 0, both.length));
    }

    @Property(tries = 200)
    void anyCutIntoPiecesCombinesBack(@ForAll @Size(min = 1, max = 20_000) byte[] data,
                                      @ForAll @IntRange(min = 1, max = 5_000) int piece) {
        int crc = 0; // the CRC of no bytes
        for (int at = 0; at < data.length; at += piece) {
            int n = Math.min(piece, data.length - at);
            crc = Crc32c.combine(crc, Crc32c.compute(data, at, n), n);
        }
        assertThat(crc).isEqualTo(Crc32c.compute(data, 0, data.length));
    }

    @Test
    void largeLengthsAndTheCheckValue() {
        byte[] digits = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Crc32c.combine(Crc32c.compute(digits, 0, 4), Crc32c.compute(digits, 4, 5), 5))
                .isEqualTo(0xE3069283);
        // 8 MiB of zeros after "123": the combined CRC matches the streamed one
        byte[] zeros = new byte[8 << 20];
        Crc32c streamed = new Crc32c().update(digits, 0, 3).update(zeros, 0, zeros.length);
        assertThat(Crc32c.combine(Crc32c.compute(digits, 0, 3), Crc32c.compute(zeros, 0, zeros.length), zeros.length))
                .isEqualTo(streamed.value());
        assertThat(Crc32c.combine(0x12345678, 0, 0)).isEqualTo(0x12345678); // nothing appended
    }

    /**
     * Shifting by a length is the same whether done at once or in two steps, for lengths on both sides of 4 GiB
     * (below it the shift comes from tables, above it bit by bit): combining with a zero-length-free middle part
     * is associative.
     */
    @Property(tries = 300)
    void combiningIsAssociativeForAnyLengths(@ForAll int a, @ForAll int b, @ForAll int c,
                                             @ForAll @LongRange(min = 0, max = 1L << 34) long lengthB,
                                             @ForAll @LongRange(min = 0, max = 1L << 34) long lengthC) {
        assertThat(Crc32c.combine(Crc32c.combine(a, b, lengthB), c, lengthC))
                .isEqualTo(Crc32c.combine(a, Crc32c.combine(b, c, lengthC), lengthB + lengthC));
    }

    @Test
    void aZeroFirstPartGivesTheSecond() {
        assertThat(Crc32c.combine(0, 0xCAFEBABE, 123_456)).isEqualTo(0xCAFEBABE);
    }
}
