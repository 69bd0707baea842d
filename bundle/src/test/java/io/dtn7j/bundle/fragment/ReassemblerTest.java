package io.dtn7j.bundle.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReassemblerTest {

    @Test
    void reassemblesThePublishedFragmentsInEitherOrder() {
        Bundle f1 = FragmenterTest.vector("constructed-fragment-1-of-2");
        Bundle f2 = FragmenterTest.vector("constructed-fragment-2-of-2");
        for (List<Bundle> order : List.of(List.of(f1, f2), List.of(f2, f1), List.of(f2, f2, f1))) {
            Reassembler r = new Reassembler();
            Optional<Bundle> out = Optional.empty();
            for (Bundle f : order) {
                assertThat(out).as("completes only with the last fragment").isEmpty();
                out = r.accept(f);
            }
            Bundle whole = out.orElseThrow();
            assertThat(whole.isFragment()).isFalse();
            assertThat(whole.primary().fragment()).isNull();
            assertThat(whole.primary().withFragment(new FragmentInfo(0, 5))).isEqualTo(f1.primary());
            assertThat(whole.payloadText()).isEqualTo("hello");
            assertThat(whole.blocks().stream().map(b -> b.type()).toList()).containsExactly(6L, 10L, 7L, 1L);
            assertThat(r.pendingCount()).isZero();
            assertThat(r.bufferedBytes()).isZero();
            // the reassembled bundle is a valid bundle again
            assertThat(BundleCodec.decode(BundleCodec.encode(whole), DecodeOptions.STRICT)).isEqualTo(whole);
        }
    }

    @Test
    void overlappingFragmentsKeepTheFirstBytesAndCompleteOnFullCoverage() {
        Bundle b = FragmenterTest.sample(100, CrcType.NONE);
        List<Bundle> coarse = Fragmenter.fragment(b, BundleCodec.encodedSize(b) - 40); // 2 fragments
        assertThat(coarse).hasSize(2);
        List<Bundle> fine = Fragmenter.fragment(coarse.get(0), BundleCodec.encodedSize(coarse.get(0)) - 30);
        Reassembler r = new Reassembler();
        assertThat(r.accept(fine.get(fine.size() - 1))).isEmpty();
        assertThat(r.accept(coarse.get(1))).isEmpty();
        assertThat(r.accept(coarse.get(1))).isEmpty(); // duplicate
        assertThat(r.pendingCount()).isEqualTo(1);
        Bundle whole = r.accept(coarse.get(0)).orElseThrow(); // overlaps what came before
        assertThat(whole).isEqualTo(b);
    }

    @Test
    void aBundleThatIsNotAFragmentPassesThrough() {
        Bundle b = FragmenterTest.sample(10, CrcType.NONE);
        assertThat(new Reassembler().accept(b)).containsSame(b);
    }

    @Test
    void rejectsInconsistentFragmentsAndKeepsWorking() {
        Bundle b = FragmenterTest.sample(100, CrcType.NONE);
        List<Bundle> parts = Fragmenter.fragment(b, BundleCodec.encodedSize(b) - 40);
        Reassembler r = new Reassembler();
        r.accept(parts.get(1));
        Bundle otherTotal = parts.get(0).withPrimary(parts.get(0).primary().withFragment(new FragmentInfo(0, 150)));
        assertThatThrownBy(() -> r.accept(otherTotal)).isInstanceOfSatisfying(ReassemblyException.class,
                e -> assertThat(e.reason()).isEqualTo(ReassemblyException.Reason.INCONSISTENT_FRAGMENT));
        Bundle beyond = parts.get(1).withPrimary(parts.get(1).primary().withFragment(new FragmentInfo(90, 100)));
        assertThatThrownBy(() -> r.accept(beyond)).isInstanceOfSatisfying(ReassemblyException.class,
                e -> assertThat(e.reason()).isEqualTo(ReassemblyException.Reason.INCONSISTENT_FRAGMENT));
        assertThat(r.accept(parts.get(0))).contains(b);
    }

    @Test
    void aClaimedHugeAduIsNotAllocated() {
        Bundle b = FragmenterTest.sample(100, CrcType.NONE);
        Bundle liar = Fragmenter.fragment(b, BundleCodec.encodedSize(b) - 40).get(0);
        Bundle huge = liar.withPrimary(liar.primary().withFragment(new FragmentInfo(0, Long.MAX_VALUE - 1)));
        Reassembler r = new Reassembler();
        assertThatThrownBy(() -> r.accept(huge)).isInstanceOfSatisfying(ReassemblyException.class,
                e -> assertThat(e.reason()).isEqualTo(ReassemblyException.Reason.TOO_LARGE));
        // within the ADU limit but beyond the heap budget, and no spill directory: refused before anything is buffered
        Reassembler small = new Reassembler(ReassemblyOptions.DEFAULT.withMaxBufferedBytes(1000));
        Bundle big = liar.withPrimary(liar.primary().withFragment(new FragmentInfo(0, 50_000)));
        assertThatThrownBy(() -> small.accept(big)).isInstanceOfSatisfying(ReassemblyException.class,
                e -> assertThat(e.reason()).isEqualTo(ReassemblyException.Reason.TOO_LARGE));
        assertThat(small.pendingCount()).isZero();
    }

    @Test
    void memoryStaysWithinTheBudgetByDroppingTheLeastRecentlyUpdatedBundle() {
        Reassembler r = new Reassembler(ReassemblyOptions.DEFAULT.withMaxBufferedBytes(5_000).withMaxPending(3));
        List<Bundle> firstParts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Bundle b = FragmenterTest.sample(2_000, CrcType.NONE).withPrimary(
                    FragmenterTest.sample(2_000, CrcType.NONE).primary().withCreation(new io.dtn7j.bundle.CreationTimestamp(100 + i, 0)));
            List<Bundle> parts = Fragmenter.fragment(b, 1_200);
            firstParts.add(parts.get(0));
            assertThat(r.accept(parts.get(0))).isEmpty();
            assertThat(r.bufferedBytes()).isLessThanOrEqualTo(5_000);
            assertThat(r.pendingCount()).isLessThanOrEqualTo(3);
        }
        assertThat(r.droppedCount()).isGreaterThanOrEqualTo(3);
        assertThat(r.pendingIds()).last().isEqualTo(firstParts.get(5).id().withoutFragment());
        assertThat(r.discard(firstParts.get(5).id())).isTrue();
        r.discardAll();
        assertThat(r.pendingCount()).isZero();
        assertThat(r.bufferedBytes()).isZero();
    }

    @Test
    void largeAdusAreWrittenToASpillFile(@TempDir Path dir) throws IOException {
        Bundle b = FragmenterTest.sample(300_000, CrcType.CRC32C);
        List<Bundle> parts = new ArrayList<>(Fragmenter.fragment(b, 40_000));
        java.util.Collections.reverse(parts);
        Reassembler r = new Reassembler(ReassemblyOptions.DEFAULT.withMaxBufferedBytes(10_000)
                .withSpillDirectory(dir.resolve("spill"), 100_000, 1L << 40));
        Optional<Bundle> out = Optional.empty();
        for (Bundle p : parts) {
            out = r.accept(p);
            assertThat(r.bufferedBytes()).isLessThan(1_000); // only the first fragment's small blocks
        }
        Bundle whole = out.orElseThrow();
        assertThat(whole.payload().hasArray()).isFalse();
        assertThat(whole.payload().toByteArray()).isEqualTo(b.payload().toByteArray());
        assertThat(whole.primary()).isEqualTo(b.primary());
        assertThat(whole.blocks().subList(0, 4)).isEqualTo(b.blocks().subList(0, 4));
        try (var files = Files.list(dir.resolve("spill"))) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

    @Test
    void discardingASpilledBundleDeletesItsFile(@TempDir Path dir) throws IOException {
        Bundle b = FragmenterTest.sample(300_000, CrcType.NONE);
        Reassembler r = new Reassembler(ReassemblyOptions.DEFAULT.withSpillDirectory(dir, 1000, 1L << 40));
        r.accept(Fragmenter.fragment(b, 40_000).get(2));
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1);
        }
        r.discardAll();
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isZero();
        }
        assertThat(ByteSource.empty().size()).isZero();
    }

    @Test
    void anUnreadableFragmentPayloadDropsTheBundleWithATypedError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("payload.bin");
        Files.write(file, new byte[1000]);
        Bundle b = Bundle.builder().source("ipn:1.1").destination("ipn:2.1").creation(9, 0)
                .payload(ByteSource.ofFile(file)).build();
        List<Bundle> parts = Fragmenter.fragment(b, 400);
        Reassembler r = new Reassembler();
        r.accept(parts.get(0));
        Files.delete(file); // the second fragment's payload can no longer be read
        assertThatThrownBy(() -> r.accept(parts.get(1))).isInstanceOfSatisfying(ReassemblyException.class,
                e -> assertThat(e.reason()).isEqualTo(ReassemblyException.Reason.IO_ERROR));
        assertThat(r.pendingCount()).isZero();
        assertThat(r.bufferedBytes()).isZero();
    }
}
