package io.dtn7j.core.store;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@link BundleMetadata} serialization and copy-on-write helpers. */
class BundleMetadataTest {

    static BundleMetadata sample() {
        BundleId id = new BundleId(EndpointId.parse("ipn:7.3"), new CreationTimestamp(812_345_678_901L, 4), 1024, 512);
        return new BundleMetadata(id, EndpointId.parse("dtn://group/~news"), EndpointId.parse("dtn://node1/"),
                0x040005, 86_400_000, 812_345_678_901L + 86_400_000, 812_345_679_000L, 99, 2048,
                EnumSet.of(Constraint.FORWARD_PENDING, Constraint.LOCAL_ENDPOINT), Set.of("dtn:node2", "ipn:9"), 4,
                EndpointId.parse("dtn://node2/"));
    }

    @Test
    void roundTripsEveryField() {
        BundleMetadata md = sample();
        assertThat(BundleMetadata.fromBytes(md.toBytes())).isEqualTo(md);
        BundleMetadata plain = new BundleMetadata(BundleId.of(EndpointId.NONE, new CreationTimestamp(0, 0)),
                EndpointId.parse("dtn://x/"), EndpointId.NONE, 0, 0, Long.MAX_VALUE, 0, -1, 0,
                Set.of(), Set.of(), -1, null);
        assertThat(BundleMetadata.fromBytes(plain.toBytes())).isEqualTo(plain);
    }

    @Test
    void constraintHelpersCopy() {
        BundleMetadata md = sample();
        BundleMetadata changed = md.without(Constraint.FORWARD_PENDING).with(Constraint.CONTRAINDICATED);
        assertThat(md.constraints()).containsExactlyInAnyOrder(Constraint.FORWARD_PENDING, Constraint.LOCAL_ENDPOINT);
        assertThat(changed.constraints()).containsExactlyInAnyOrder(Constraint.CONTRAINDICATED, Constraint.LOCAL_ENDPOINT);
        assertThat(md.withForwardedTo("dtn:node5").forwardedTo()).contains("dtn:node5");
        assertThat(md.withoutForwardedTo("ipn:9").forwardedTo()).containsExactly("dtn:node2");
        assertThat(md.isFragment()).isTrue();
        assertThat(md.isExpired(812_345_678_901L + 86_399_999)).isFalse();
        assertThat(md.isExpired(812_345_678_901L + 86_400_000)).isTrue();
    }

    @Test
    void rejectsUnknownVersionAndTruncation() {
        byte[] b = sample().toBytes();
        b[0] = 9;
        assertThatThrownBy(() -> BundleMetadata.fromBytes(b)).isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("version 9");
        byte[] good = sample().toBytes();
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThatThrownBy(() -> BundleMetadata.fromBytes(cut)).isInstanceOf(CorruptMetadataException.class);
        }
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> BundleMetadata.fromBytes(longer)).hasMessageContaining("trailing");
    }

    /** Hostile input: random bytes and random mutations never escape as anything but CorruptMetadataException. */
    @Property(tries = 500)
    void garbageGivesTypedError(@ForAll byte[] garbage) {
        Throwable t = catchThrowable(() -> BundleMetadata.fromBytes(garbage));
        if (t != null) {
            assertThat(t).isInstanceOf(CorruptMetadataException.class);
        }
    }

    @Property(tries = 500)
    void mutatedRecordGivesTypedErrorOrValidRecord(@ForAll("mutations") int[] mutation) {
        byte[] b = sample().toBytes();
        int pos = Math.floorMod(mutation[0], b.length);
        b[pos] = (byte) mutation[1];
        Throwable t = catchThrowable(() -> BundleMetadata.fromBytes(b));
        if (t != null) {
            assertThat(t).isInstanceOf(CorruptMetadataException.class);
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
                .as((a, b) -> new int[] {a, b});
    }
}
