package io.dtn7j.bundle.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.BlockFlags;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FragmenterTest {

    static final String BUNDLES = "/vectors/bpv7-bundles.json";

    static Bundle vector(String id) {
        return BundleCodec.decode(io.dtn7j.bundle.admin.TestVectors.hex(BUNDLES, id, "hex"), DecodeOptions.STRICT);
    }

    /** A bundle with a replicated and a non-replicated extension block, and a payload of {@code size} bytes. */
    static Bundle sample(int size, CrcType crc) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        return Bundle.builder().source("dtn://src/app").destination("dtn://dst/inbox").creation(5_000_000, 7)
                .crcType(crc).hopLimit(30).bundleAgeMs(12)
                .addBlock(new CanonicalBlock(200, 0, BlockFlags.of(BlockFlags.REPLICATE_IN_EVERY_FRAGMENT), crc,
                        ByteSource.of(new byte[] {1, 2, 3})))
                .addBlock(new CanonicalBlock(201, 0, BlockFlags.NONE, crc, ByteSource.of(new byte[] {4, 5})))
                .payload(payload).build();
    }

    @Test
    void reproducesThePublishedFragmentsByteExact() {
        Bundle f1 = vector("constructed-fragment-1-of-2");
        Bundle f2 = vector("constructed-fragment-2-of-2");
        Reassembler r = new Reassembler();
        assertThat(r.accept(f2)).isEmpty();
        Bundle whole = r.accept(f1).orElseThrow();
        assertThat(whole.isFragment()).isFalse();
        assertThat(whole.payloadText()).isEqualTo("hello");

        assertThat(Fragmenter.fragment(whole, 84)).containsExactly(whole); // fits as it is
        List<Bundle> fragments = Fragmenter.split(whole, 3);

        assertThat(fragments).hasSize(2);
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(BundleCodec.encode(fragments.get(0))))
                .isEqualTo(hex.formatHex(io.dtn7j.bundle.admin.TestVectors.hex(BUNDLES, "constructed-fragment-1-of-2", "hex")));
        assertThat(hex.formatHex(BundleCodec.encode(fragments.get(1))))
                .isEqualTo(hex.formatHex(io.dtn7j.bundle.admin.TestVectors.hex(BUNDLES, "constructed-fragment-2-of-2", "hex")));
    }

    @Test
    void fragmentsRespectTheMaximumAndReplicateExactlyTheFlaggedBlocks() {
        Bundle b = sample(1000, CrcType.CRC32C);
        long max = 300;
        List<Bundle> fragments = Fragmenter.fragment(b, max);

        assertThat(fragments.size()).isGreaterThan(3);
        long expectedOffset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            Bundle f = fragments.get(i);
            assertThat(BundleCodec.encodedSize(f)).isLessThanOrEqualTo(max);
            assertThat(BundleCodec.encode(f).length).isEqualTo((int) BundleCodec.encodedSize(f));
            assertThat(f.flags().isFragment()).isTrue();
            assertThat(f.primary().fragment()).isEqualTo(new FragmentInfo(expectedOffset, 1000));
            assertThat(f.primary().withFragment(null)).isEqualTo(b.primary());
            List<Long> types = f.blocks().stream().map(CanonicalBlock::type).toList();
            if (i == 0) {
                assertThat(types).containsExactly(7L, 10L, 200L, 201L, 1L);
            } else {
                assertThat(types).containsExactly(200L, 1L);
            }
            CanonicalBlock payload = f.payloadBlock();
            assertThat(payload.flags()).isEqualTo(b.payloadBlock().flags());
            assertThat(payload.data().toByteArray())
                    .isEqualTo(b.payload().slice(expectedOffset, payload.data().size()).toByteArray());
            // every fragment decodes strictly (CRCs, structure, fragment range)
            assertThat(BundleCodec.decode(BundleCodec.encode(f), DecodeOptions.STRICT)).isEqualTo(f);
            expectedOffset += payload.data().size();
        }
        assertThat(expectedOffset).isEqualTo(1000);
        // the fragments are as large as allowed: all but the last reach within a few bytes of the maximum
        for (Bundle f : fragments.subList(0, fragments.size() - 1)) {
            assertThat(BundleCodec.encodedSize(f)).isGreaterThan(max - 3);
        }
    }

    @Test
    void aBundleThatFitsIsReturnedUnchanged() {
        Bundle b = sample(10, CrcType.NONE);
        assertThat(Fragmenter.fragment(b, BundleCodec.encodedSize(b))).containsExactly(b);
    }

    @Test
    void refusesMustNotFragmentAndTooSmallMaxima() {
        Bundle b = Bundle.builder().source("ipn:1.1").destination("ipn:2.1").creation(9, 0)
                .flags(BundleFlags.MUST_NOT_FRAGMENT).payload(new byte[500]).build();
        assertThatThrownBy(() -> Fragmenter.fragment(b, 100))
                .isInstanceOfSatisfying(FragmentationException.class,
                        e -> assertThat(e.reason()).isEqualTo(FragmentationException.Reason.MUST_NOT_FRAGMENT));

        Bundle s = sample(500, CrcType.CRC16);
        long firstNeeds = BundleCodec.encodedSize(s.withPrimary(s.primary().withFragment(new FragmentInfo(0, 500)))
                .withBlock(s.payloadBlock().withData(ByteSource.of(new byte[1]))));
        assertThatThrownBy(() -> Fragmenter.fragment(s, firstNeeds - 1))
                .isInstanceOfSatisfying(FragmentationException.class,
                        e -> assertThat(e.reason()).isEqualTo(FragmentationException.Reason.MAXIMUM_TOO_SMALL));
        // just enough for the first fragment but not for the later ones (they need less), so it works
        List<Bundle> tiny = Fragmenter.fragment(s, firstNeeds);
        assertThat(tiny.get(0).payload().size()).isEqualTo(1);
        assertThat(tiny.stream().mapToLong(f -> f.payload().size()).sum()).isEqualTo(500);

        Bundle empty = Bundle.builder().source("ipn:1.1").destination("ipn:2.1").creation(9, 0).hopLimit(5).build();
        assertThatThrownBy(() -> Fragmenter.fragment(empty, 10))
                .isInstanceOfSatisfying(FragmentationException.class,
                        e -> assertThat(e.reason()).isEqualTo(FragmentationException.Reason.NOTHING_TO_SPLIT));
    }

    @Test
    void fragmentingAFragmentKeepsOffsetsRelativeToTheOriginalAdu() {
        Bundle b = sample(1000, CrcType.CRC16);
        List<Bundle> coarse = Fragmenter.fragment(b, 600);
        Bundle second = coarse.get(1);
        long base = second.primary().fragment().offset();
        assertThat(base).isPositive();

        List<Bundle> fine = Fragmenter.fragment(second, 150);

        assertThat(fine.size()).isGreaterThan(1);
        long expected = base;
        for (Bundle f : fine) {
            assertThat(f.primary().fragment()).isEqualTo(new FragmentInfo(expected, 1000));
            assertThat(f.blocks().stream().map(CanonicalBlock::type).toList()).containsExactly(200L, 1L);
            expected += f.payload().size();
        }
        assertThat(expected).isEqualTo(base + second.payload().size());
    }

    @Test
    void aFileBackedPayloadIsSlicedNotCopied(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("payload.bin");
        byte[] content = new byte[200_000];
        new Random(3).nextBytes(content);
        Files.write(file, content);
        Bundle b = Bundle.builder().source("ipn:1.1").destination("ipn:2.1").creation(9, 0)
                .payload(ByteSource.ofFile(file)).build();

        List<Bundle> fragments = Fragmenter.fragment(b, 30_000);

        assertThat(fragments).hasSizeGreaterThan(6);
        long offset = 0;
        for (Bundle f : fragments) {
            assertThat(f.payload().hasArray()).as("payload of a fragment is a file slice").isFalse();
            assertThat(f.payload()).isEqualTo(ByteSource.ofFile(file, offset, f.payload().size()));
            assertThat(BundleCodec.encodedSize(f)).isLessThanOrEqualTo(30_000);
            offset += f.payload().size();
        }
        assertThat(offset).isEqualTo(content.length);
    }

    @Test
    void fitAccountsForTheGrowingByteStringHead() {
        assertThat(Fragmenter.fit(10, 10, 100)).isZero();
        assertThat(Fragmenter.fit(10, 11, 100)).isEqualTo(1);   // the empty payload's head byte now holds 1 byte
        assertThat(Fragmenter.fit(10, 12, 100)).isEqualTo(2);
        assertThat(Fragmenter.fit(10, 10 + 23, 100)).isEqualTo(23);
        assertThat(Fragmenter.fit(10, 10 + 24, 100)).isEqualTo(23); // 24 bytes need a 2-byte head
        assertThat(Fragmenter.fit(10, 10 + 25, 100)).isEqualTo(24);
        assertThat(Fragmenter.fit(10, 1000, 5)).isEqualTo(5);
    }
}
