package io.dtn7j.bundle;

import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleModelTest {

    private static Bundle sample() {
        return Bundle.builder().source("dtn://node1/app").destination("dtn://node2/incoming")
                .creation(715345678123L, 3).lifetimeMs(3_600_000).hopLimit(32).bundleAgeMs(5)
                .previousNode(EndpointId.parse("dtn://node1/")).crcType(CrcType.CRC16).payload("hello").build();
    }

    @Test
    void builderNumbersExtensionBlocksAndPutsPayloadLast() {
        Bundle b = sample();
        assertThat(b.blocks()).extracting(CanonicalBlock::type).containsExactly(6L, 7L, 10L, 1L);
        assertThat(b.blocks()).extracting(CanonicalBlock::number).containsExactly(2L, 3L, 4L, 1L);
        assertThat(b.blocks()).allMatch(x -> x.crcType() == CrcType.CRC16);
        assertThat(b.reportTo()).isEqualTo(b.source());
        assertThat(b.payloadText()).isEqualTo("hello");
        assertThat(b.hopCount()).contains(new HopCountBlock(32, 0));
        assertThat(b.bundleAge()).contains(new BundleAgeBlock(5));
        assertThat(b.previousNode()).contains(EndpointId.parse("dtn://node1/"));
        assertThat(b.nextBlockNumber()).isEqualTo(5);
        assertThat(b.isFragment()).isFalse();
        assertThat(b.isAdministrativeRecord()).isFalse();
    }

    @Test
    void builderRequiresDestinationAndUniqueNumbers() {
        assertThatThrownBy(() -> Bundle.builder().build()).isInstanceOf(IllegalStateException.class);
        CanonicalBlock x = new CanonicalBlock(200, 5, BlockFlags.NONE, CrcType.NONE, ByteSource.empty());
        assertThatThrownBy(() -> Bundle.builder().destination("ipn:1.1").addBlock(x).addBlock(x).build())
                .hasMessageContaining("used twice");
        Bundle b = Bundle.builder().destination("ipn:1.1").hopLimit(3)
                .addBlock(new CanonicalBlock(200, 0, BlockFlags.NONE, CrcType.NONE, ByteSource.empty()))
                .addBlock(new CanonicalBlock(201, 2, BlockFlags.NONE, CrcType.NONE, ByteSource.empty())).build();
        // 2 is taken by the explicit block, so the hop count gets 3 and the numberless block 4
        assertThat(b.blocks()).extracting(CanonicalBlock::number).containsExactly(3L, 4L, 2L, 1L);
    }

    @Test
    void bundleIdStringMatchesDtn7rs() {
        assertThat(sample().id().toString()).isEqualTo("dtn://node1/app-715345678123-3");
        Bundle fromNode = Bundle.builder().source("dtn://node1/").destination("dtn://n2/x").creation(715345678123L, 0).build();
        assertThat(fromNode.id().toString()).isEqualTo("dtn://node1/-715345678123-0");
        Bundle ipn = Bundle.builder().source("ipn:23.0").destination("ipn:1.1").creation(715345678123L, 0).build();
        assertThat(ipn.id().toString()).isEqualTo("ipn:23.0-715345678123-0");
        Bundle anon = Bundle.builder().destination("ipn:1.1").creation(7, 8).build();
        assertThat(anon.id().toString()).isEqualTo("dtn:none-7-8");
        Bundle frag = Bundle.builder().source("dtn://node1/").destination("ipn:1.1").creation(7, 8)
                .fragment(new FragmentInfo(100, 1000)).payload("abc").build();
        assertThat(frag.id().toString()).isEqualTo("dtn://node1/-7-8-100");
        assertThat(frag.id().fragmentLength()).isEqualTo(3);
        assertThat(frag.primary().flags().isFragment()).isTrue();
    }

    @Test
    void bundleIdParse() {
        for (String s : List.of("dtn://node1/app-715345678123-3", "dtn://node1/-715345678123-0", "ipn:23.0-715345678123-0",
                "dtn:none-7-8", "dtn://node1/-7-8-100", "ipn:1.2-0-0-5", "dtn://a-b/c-d-1-2")) {
            assertThat(BundleId.parse(s).toString()).isEqualTo(s);
        }
        BundleId f = BundleId.parse("dtn://node1/-7-8-100");
        assertThat(f.isFragment()).isTrue();
        assertThat(f.source().uri()).isEqualTo("dtn://node1/");
        assertThat(f.fragmentOffset()).isEqualTo(100);
        assertThat(BundleId.parse("dtn://node1/app-5-7-8").source().uri()).isEqualTo("dtn://node1/app-5");
        assertThatThrownBy(() -> BundleId.parse("dtn://node1/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BundleId.parse("dtn://node1/-x-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BundleId.parse("bogus-1-2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withersKeepReceivedEncodingsOfUnchangedBlocks() {
        Bundle b = BundleCodec.decode(BundleCodec.encode(sample()), DecodeOptions.STRICT);
        assertThat(b.receivedPrimaryEncoding()).isPresent();
        assertThat(b.receivedEncoding(0)).isPresent();
        CanonicalBlock hop = b.block(BlockType.HOP_COUNT).orElseThrow();
        Bundle forwarded = b.withBlock(hop.asHopCount().incremented().toBlock(hop.number(), hop.crcType()))
                .withBlock(CanonicalBlock.previousNode(2, EndpointId.parse("dtn://node9/"), CrcType.CRC32C));
        assertThat(forwarded.blocks()).extracting(CanonicalBlock::number).containsExactly(2L, 3L, 4L, 1L);
        assertThat(forwarded.receivedEncoding(0)).isEmpty();   // replaced previous node
        assertThat(forwarded.receivedEncoding(1)).isPresent(); // bundle age untouched
        assertThat(forwarded.receivedEncoding(2)).isEmpty();   // hop count changed
        assertThat(forwarded.receivedEncoding(3)).isPresent(); // payload untouched
        Bundle again = BundleCodec.decode(BundleCodec.encode(forwarded), DecodeOptions.STRICT);
        assertThat(again.hopCount()).contains(new HopCountBlock(32, 1));
        assertThat(again.previousNode()).contains(EndpointId.parse("dtn://node9/"));
        assertThat(again).isEqualTo(forwarded);

        Bundle added = b.withBlock(new CanonicalBlock(99, 7, BlockFlags.NONE, CrcType.NONE, ByteSource.ofUtf8("x")));
        assertThat(added.blocks()).extracting(CanonicalBlock::number).containsExactly(2L, 3L, 4L, 7L, 1L);
        assertThat(added.withoutBlock(7)).isEqualTo(b);
        assertThat(b.withoutBlock(42)).isSameAs(b);
        assertThat(b.withPrimary(b.primary()).receivedPrimaryEncoding()).isPresent();
        assertThat(b.withPrimary(b.primary().withLifetimeMs(5)).receivedPrimaryEncoding()).isEmpty();
    }

    @Test
    void flags() {
        BundleFlags f = BundleFlags.of(0x4000 | 0x100000); // reception report + an unassigned bit
        assertThat(f.reportReception()).isTrue();
        assertThat(f.anyReportRequested()).isTrue();
        assertThat(f.bits() & 0x100000).isNotZero();
        assertThat(f.with(BundleFlags.MUST_NOT_FRAGMENT).mustNotFragment()).isTrue();
        assertThat(f.without(BundleFlags.REPORT_RECEPTION).anyReportRequested()).isFalse();
        BlockFlags bf = BlockFlags.of(0x27);
        assertThat(bf.replicateInEveryFragment()).isTrue();
        assertThat(bf.reportIfUnprocessable()).isTrue();
        assertThat(bf.deleteBundleIfUnprocessable()).isTrue();
        assertThat(bf.discardIfUnprocessable()).isFalse();
    }

    @Test
    void dtnTime() {
        assertThat(DtnTime.toInstant(0)).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(DtnTime.fromInstant(Instant.parse("2000-01-01T00:00:01.5Z"))).isEqualTo(1500);
        assertThat(DtnTime.toUnixMillis(0)).isEqualTo(946684800000L);
        assertThat(new CreationTimestamp(0, 1).isClockless()).isTrue();
        assertThat(DtnTime.now()).isGreaterThan(700_000_000_000L);
    }

    @Test
    void primaryBlockFragmentConsistency() {
        PrimaryBlock p = PrimaryBlock.builder().destination(EndpointId.ipn(1, 1)).build();
        assertThatThrownBy(() -> p.withFlags(BundleFlags.of(BundleFlags.IS_FRAGMENT)))
                .isInstanceOf(IllegalArgumentException.class);
        PrimaryBlock f = p.withFragment(new FragmentInfo(0, 10));
        assertThat(f.flags().isFragment()).isTrue();
        assertThat(f.withFragment(null).flags().isFragment()).isFalse();
    }

    @Test
    void typedViewsRejectWrongTypesAndMalformedData() {
        CanonicalBlock payload = CanonicalBlock.payload(ByteSource.ofUtf8("x"), CrcType.NONE);
        assertThatThrownBy(payload::asHopCount).isInstanceOf(IllegalStateException.class);
        CanonicalBlock badHop = new CanonicalBlock(BlockType.HOP_COUNT, 2, BlockFlags.NONE, CrcType.NONE,
                ByteSource.of(new byte[] {0x18, 0x20}));
        assertThatThrownBy(badHop::asHopCount).isInstanceOf(BundleDecodeException.class);
        CanonicalBlock trailing = new CanonicalBlock(BlockType.BUNDLE_AGE, 2, BlockFlags.NONE, CrcType.NONE,
                ByteSource.of(new byte[] {0x01, 0x02}));
        assertThatThrownBy(trailing::asBundleAge).isInstanceOf(BundleDecodeException.class)
                .hasMessageContaining("follow");
    }
}
