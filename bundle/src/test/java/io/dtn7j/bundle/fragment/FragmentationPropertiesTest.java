package io.dtn7j.bundle.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.BlockFlags;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Fragment-then-reassemble restores the original, whatever the sizes and the arrival order. */
class FragmentationPropertiesTest {

    @Property(tries = 200)
    void reassemblingShuffledOverlappingDuplicatedFragmentsRestoresTheOriginal(
            @ForAll @IntRange(min = 16, max = 6000) int payloadSize,
            @ForAll @IntRange(min = 0, max = 2) int crc,
            @ForAll @IntRange(min = 0, max = 4) int extraBlocks,
            @ForAll @IntRange(min = 1, max = 3000) int slack,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        CrcType crcType = CrcType.values()[crc];
        byte[] payload = new byte[payloadSize];
        rnd.nextBytes(payload);
        var builder = Bundle.builder().source("ipn:10." + rnd.nextInt(100)).destination("dtn://sink/" + rnd.nextInt(9))
                .creation(rnd.nextLong(1, 1L << 40), rnd.nextInt(1000)).crcType(crcType).lifetimeMs(86_400_000)
                .payload(payload);
        if (rnd.nextBoolean()) {
            builder.hopLimit(rnd.nextInt(1, 255));
        }
        for (int i = 0; i < extraBlocks; i++) {
            byte[] data = new byte[rnd.nextInt(40)];
            rnd.nextBytes(data);
            builder.addBlock(new CanonicalBlock(192 + i, 0,
                    BlockFlags.of(rnd.nextBoolean() ? BlockFlags.REPLICATE_IN_EVERY_FRAGMENT : 0), crcType, ByteSource.of(data)));
        }
        Bundle original = builder.build();

        // a first split, then some fragments split again with a smaller maximum (overlaps come from mixing both)
        long size = BundleCodec.encodedSize(original);
        long firstOverhead = BundleCodec.encodedSize(original.withPrimary(original.primary().withFragment(
                new io.dtn7j.bundle.FragmentInfo(0, payloadSize))).withBlock(original.payloadBlock().withData(ByteSource.empty())));
        long max = Math.min(firstOverhead + 4 + slack, size - 1); // +4: later offsets take up to 3 bytes more
        List<Bundle> fragments = new ArrayList<>(Fragmenter.fragment(original, max));
        List<Bundle> arrivals = new ArrayList<>(fragments);
        for (Bundle f : fragments) {
            if (rnd.nextInt(3) == 0 && f.payload().size() > 4) {
                arrivals.addAll(Fragmenter.fragment(f, BundleCodec.encodedSize(f) - f.payload().size() / 2));
                if (rnd.nextBoolean()) {
                    arrivals.remove(f); // the refragmented pieces stand in for it
                }
            }
            if (rnd.nextInt(4) == 0) {
                arrivals.add(f); // a duplicate
            }
        }
        Collections.shuffle(arrivals, rnd);

        Reassembler r = new Reassembler();
        List<Bundle> completed = new ArrayList<>();
        for (Bundle f : arrivals) {
            // over the wire: every fragment is encoded and decoded (default policy: CRC type none is allowed)
            Bundle received = BundleCodec.decode(BundleCodec.encode(f), DecodeOptions.DEFAULT);
            r.accept(received).ifPresent(completed::add);
        }
        // duplicates may complete the bundle a second time; every completion is the original
        assertThat(completed).isNotEmpty();
        for (Bundle whole : completed) {
            assertThat(whole).isEqualTo(original);
            assertThat(BundleCodec.encode(whole)).isEqualTo(BundleCodec.encode(original));
        }
    }
}
