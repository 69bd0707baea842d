package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A bundle larger than {@link ReceiveBuffer#CHECKPOINTS_FROM} received through {@link ReceiveBuffer}: its heap chunks
 * carry CRC-32C checkpoints, and so does its spool file when it is spooled, recorded as the bytes arrived, unless
 * the primary block has no CRC; the decoder's block CRC checks over them give the same verdict as over a plain array,
 * for an intact bundle and for one with any byte changed, whatever CRC types the primary and payload blocks have.
 */
class ReceiveBufferCrcTest {

    static byte[] bigBundle(int payloadSize, long seed) {
        return bigBundle(payloadSize, seed, CrcType.CRC32C, CrcType.CRC32C);
    }

    static byte[] bigBundle(int payloadSize, long seed, CrcType primaryCrc, CrcType payloadCrc) {
        byte[] payload = new byte[payloadSize];
        new Random(seed).nextBytes(payload);
        Bundle b = Bundle.builder().source("dtn://src/app").destination("dtn://dst/inbox").crcType(primaryCrc)
                .creation(800_000_000_000L, seed & 0xffff).lifetimeMs(3_600_000).payload(payload).build();
        b = b.withBlocks(List.of(CanonicalBlock.payload(ByteSource.of(payload), payloadCrc)));
        return BundleCodec.encode(b);
    }

    @Property(tries = 40)
    void aLargeBundleDecodesAndAnyChangedByteIsCaught(@ForAll @IntRange(min = 64 << 10, max = 18 << 20) int payloadSize,
                                                      @ForAll @IntRange(min = 1_000, max = 300_000) int step,
                                                      @ForAll boolean spool, @ForAll long seed,
                                                      @ForAll CrcType primaryCrc, @ForAll CrcType payloadCrc,
                                                      @ForAll boolean copied)
            throws IOException {
        byte[] encoded = bigBundle(payloadSize, seed, primaryCrc, payloadCrc);
        Path dir = Files.createTempDirectory("rb-crc");
        long threshold = spool ? Math.min(1 << 20, payloadSize / 2) : 64L << 20;
        try (ReceiveBuffer buf = new ReceiveBuffer(dir, threshold)) {
            receive(buf, encoded, step, copied);
            ByteSource received = buf.toByteSource();
            assertThat(buf.spooled()).isEqualTo(spool);
            // handed over in pieces, a bundle is known to pass 64 KiB only when a chunk fills after that: from 256 KiB
            if (!copied || payloadSize >= 256 << 10 || primaryCrc == CrcType.NONE) {
                assertThat(received.segments().stream().anyMatch(ByteSource::knowsCrc32c))
                        .as("chunks or spool file with CRC checkpoints recorded on arrival").isEqualTo(primaryCrc != CrcType.NONE);
            }
            Bundle decoded = BundleCodec.decode(received, DecodeOptions.DEFAULT);
            assertThat(decoded.payload().size()).isEqualTo(payloadSize);
        }
        if (payloadCrc == CrcType.NONE) {
            return; // nothing to catch a changed payload byte
        }
        // one byte changed, anywhere in the payload block: refused as it is from an array
        Random r = new Random(seed);
        int at = encoded.length - 1 - payloadCrc.width() - r.nextInt(payloadSize);
        encoded[at] ^= (byte) (1 + r.nextInt(255));
        byte[] corrupted = encoded;
        try (ReceiveBuffer buf = new ReceiveBuffer(dir, threshold)) {
            receive(buf, corrupted, step, copied);
            ByteSource received = buf.toByteSource();
            assertThatThrownBy(() -> BundleCodec.decode(corrupted)).isInstanceOf(BundleException.class);
            assertThatThrownBy(() -> BundleCodec.decode(received, DecodeOptions.DEFAULT)).isInstanceOf(BundleException.class);
        }
    }

    /** Read from a stream in pieces of {@code step}, or handed over in such pieces ({@code copied}, as HTTP bodies are). */
    static void receive(ReceiveBuffer buf, byte[] bytes, int step, boolean copied) throws IOException {
        if (!copied) {
            buf.appendFrom(ReceiveBufferTest.trickle(bytes, step), bytes.length);
            return;
        }
        for (int at = 0; at < bytes.length; at += step) {
            buf.append(bytes, at, Math.min(step, bytes.length - at));
        }
    }

    @Test
    void aBundleUpToTheFirstChunkIsCheckedInOnePassWithoutCheckpoints() throws IOException {
        byte[] encoded = bigBundle(30_000, 7);
        try (ReceiveBuffer buf = new ReceiveBuffer(Files.createTempDirectory("rb-crc"), 64L << 20)) {
            buf.appendFrom(ReceiveBufferTest.trickle(encoded, 4_000), encoded.length);
            assertThat(buf.toByteSource().segments()).noneMatch(ByteSource::knowsCrc32c);
        }
    }

    @Test
    void theHeadTellsWhetherThePrimaryBlockHasACrc() {
        for (long flags : new long[] {0, 0x14, 0x80, 0x4004, 0x1_0000_0000L}) {
            for (CrcType crc : CrcType.values()) {
                byte[] b = BundleCodec.encode(Bundle.builder().source("dtn://a/x").destination("dtn://b/y")
                        .flags(flags).crcType(crc).creation(1, 2).lifetimeMs(3).payload("p").build());
                assertThat(ReceiveBuffer.primaryBlockWithoutCrc(b, 16)).as("flags %x, %s", flags, crc)
                        .isEqualTo(crc == CrcType.NONE);
                assertThat(ReceiveBuffer.primaryBlockWithoutCrc(b, 4)).as("too short to tell").isFalse();
            }
        }
        assertThat(ReceiveBuffer.primaryBlockWithoutCrc(new byte[16], 16)).as("not a bundle").isFalse();
    }

    /**
     * Any bytes at all (a peer's garbage): the look at the head never fails and answers "no CRC" only for the exact
     * shape of a primary block with CRC type 0.
     */
    @Property(tries = 2_000)
    void anyHeadIsJudgedWithoutFailing(@ForAll @net.jqwik.api.constraints.Size(max = 20) byte[] head,
                                       @ForAll @IntRange(min = 0, max = 20) int n) {
        int len = Math.min(n, head.length);
        boolean withoutCrc = ReceiveBuffer.primaryBlockWithoutCrc(head, len);
        if (withoutCrc) {
            assertThat(len).isGreaterThanOrEqualTo(5);
            assertThat(head[0] & 0xff).isEqualTo(0x9f);
            assertThat(head[1] & 0xff).isBetween(0x88, 0x8b);
            assertThat(head[2]).isEqualTo((byte) 7);
            assertThat(head[3] & 0xe0).as("flags are an unsigned integer").isZero();
        }
    }
}
