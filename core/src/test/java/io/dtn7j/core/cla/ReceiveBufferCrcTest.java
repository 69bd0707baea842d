package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A large bundle received through {@link ReceiveBuffer}, whose heap chunks past the first 8 MiB, or whose spool
 * file's 4 MiB regions, carry the CRC-32C computed as they arrived: the decoder's block CRC check over them gives the
 * same verdict as over a plain array, for an intact bundle and for one with any byte changed.
 */
class ReceiveBufferCrcTest {

    static byte[] bigBundle(int payloadSize, long seed) {
        byte[] payload = new byte[payloadSize];
        new Random(seed).nextBytes(payload);
        Bundle b = Bundle.builder().source("dtn://src/app").destination("dtn://dst/inbox").crcType(CrcType.CRC32C)
                .creation(800_000_000_000L, seed & 0xffff).lifetimeMs(3_600_000).payload(payload).build();
        return BundleCodec.encode(b);
    }

    @Property(tries = 16)
    void aLargeBundleDecodesAndAnyChangedByteIsCaught(@ForAll @IntRange(min = 9 << 20, max = 18 << 20) int payloadSize,
                                                      @ForAll @IntRange(min = 1_000, max = 300_000) int step,
                                                      @ForAll boolean spool, @ForAll long seed) throws IOException {
        byte[] encoded = bigBundle(payloadSize, seed);
        Path dir = Files.createTempDirectory("rb-crc");
        try (ReceiveBuffer buf = new ReceiveBuffer(dir, spool ? 1L << 20 : 64L << 20)) {
            buf.appendFrom(ReceiveBufferTest.trickle(encoded, step), encoded.length);
            ByteSource received = buf.toByteSource();
            assertThat(buf.spooled()).isEqualTo(spool);
            assertThat(received.segments().stream().filter(p -> p.knownCrc32c().isPresent()).count())
                    .as("chunks that carry their CRC").isPositive();
            Bundle decoded = BundleCodec.decode(received, DecodeOptions.DEFAULT);
            assertThat(decoded.payload().size()).isEqualTo(payloadSize);
        }
        // one byte changed, anywhere (in a known-CRC chunk most of the time): refused as it is from an array
        Random r = new Random(seed);
        int at = r.nextInt(encoded.length);
        encoded[at] ^= (byte) (1 + r.nextInt(255));
        byte[] corrupted = encoded;
        try (ReceiveBuffer buf = new ReceiveBuffer(dir, spool ? 1L << 20 : 64L << 20)) {
            buf.appendFrom(ReceiveBufferTest.trickle(corrupted, step), corrupted.length);
            ByteSource received = buf.toByteSource();
            assertThatThrownBy(() -> BundleCodec.decode(corrupted)).isInstanceOf(BundleException.class);
            assertThatThrownBy(() -> BundleCodec.decode(received, DecodeOptions.DEFAULT)).isInstanceOf(BundleException.class);
        }
    }
}
