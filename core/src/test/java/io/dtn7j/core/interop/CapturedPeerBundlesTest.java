package io.dtn7j.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Bundles captured on the wire from other implementations (see docs/INTEROP.md), replayed through dtn7j's
 * codec in the default test suite, so that what made an interop run pass keeps working without the peer.
 */
class CapturedPeerBundlesTest {

    @Test
    void ionBpsendfileBundleDecodesUnderDefaultPolicyAndReencodesByteExact() throws IOException {
        byte[] wire = hex("/interop/ion-4.1.3-bpsendfile.hex");

        Bundle b = BundleCodec.decode(wire, DecodeOptions.DEFAULT);

        assertThat(b.source()).hasToString("ipn:2.2");
        assertThat(b.destination()).hasToString("ipn:1.1");
        assertThat(b.reportTo()).hasToString("ipn:2.2");
        assertThat(b.primary().crcType()).isEqualTo(CrcType.CRC16);
        assertThat(b.primary().lifetimeMs()).isEqualTo(300_000);
        assertThat(b.blocks()).extracting(CanonicalBlock::type).containsExactly(6L, 193L, 7L, 1L);
        assertThat(b.blocks()).extracting(CanonicalBlock::number).containsExactly(2L, 3L, 4L, 1L);
        assertThat(b.blocks()).extracting(CanonicalBlock::crcType).containsOnly(CrcType.NONE);
        assertThat(b.previousNode()).hasValueSatisfying(n -> assertThat(n).hasToString("ipn:2.0"));
        assertThat(b.bundleAge()).isPresent();
        assertThat(b.payloadText()).isEqualTo("abc\n");
        assertThat(HexFormat.of().formatHex(BundleCodec.encode(b))).isEqualTo(HexFormat.of().formatHex(wire));
    }

    @Test
    void ionBpsendfileBundlePassesStrictValidation() throws IOException {
        Bundle b = BundleCodec.decode(hex("/interop/ion-4.1.3-bpsendfile.hex"), DecodeOptions.STRICT);

        assertThat(b.payloadText()).isEqualTo("abc\n");
    }

    @Test
    void hdtnBpsendpacketBundleDecodesUnderStrictPolicyAndReencodesByteExact() throws IOException {
        byte[] wire = hex("/interop/hdtn-1.3.1-bpsendpacket.hex");

        Bundle b = BundleCodec.decode(wire, DecodeOptions.STRICT);

        assertThat(b.source()).hasToString("ipn:2.1");
        assertThat(b.destination()).hasToString("ipn:1.1");
        assertThat(b.reportTo().isNone()).isTrue();
        assertThat(b.flags().bits()).isEqualTo(0x04); // must not fragment
        assertThat(b.primary().crcType()).isEqualTo(CrcType.CRC32C);
        assertThat(b.primary().lifetimeMs()).isEqualTo(1_000_000);
        assertThat(b.blocks()).extracting(CanonicalBlock::type).containsExactly(10L, 1L);
        assertThat(b.blocks()).extracting(CanonicalBlock::crcType).containsOnly(CrcType.CRC32C);
        assertThat(b.hopCount()).hasValueSatisfying(h -> {
            assertThat(h.limit()).isEqualTo(100);
            assertThat(h.count()).isZero();
        });
        assertThat(b.payloadText()).isEqualTo("abc\n");
        assertThat(HexFormat.of().formatHex(BundleCodec.encode(b))).isEqualTo(HexFormat.of().formatHex(wire));
    }

    @Test
    void dtn7goRestBuildBundleDecodesUnderStrictPolicyAndReencodesByteExact() throws IOException {
        byte[] wire = hex("/interop/dtn7go-0.10.1-rest-build.hex");

        Bundle b = BundleCodec.decode(wire, DecodeOptions.STRICT);

        assertThat(b.source()).hasToString("dtn://gonode/sender");
        assertThat(b.destination()).hasToString("dtn://jnode/incoming");
        assertThat(b.reportTo()).hasToString("dtn://gonode/sender");
        assertThat(b.flags().bits()).isZero();
        assertThat(b.primary().crcType()).isEqualTo(CrcType.CRC32C);
        assertThat(b.primary().lifetimeMs()).isEqualTo(86_400_000);
        assertThat(b.blocks()).extracting(CanonicalBlock::type).containsExactly(6L, 1L);
        assertThat(b.blocks()).extracting(CanonicalBlock::number).containsExactly(2L, 1L);
        assertThat(b.blocks()).extracting(CanonicalBlock::crcType).containsOnly(CrcType.NONE);
        assertThat(b.previousNode()).hasValueSatisfying(n -> assertThat(n).hasToString("dtn://gonode/"));
        assertThat(b.hopCount()).isEmpty();
        assertThat(b.payloadText()).isEqualTo("abc\n");
        assertThat(HexFormat.of().formatHex(BundleCodec.encode(b))).isEqualTo(HexFormat.of().formatHex(wire));
    }

    /** The hex line of a capture file (lines starting with '#' describe the capture). */
    static byte[] hex(String resource) throws IOException {
        try (InputStream in = CapturedPeerBundlesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return HexFormat.of().parseHex(text.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .reduce("", String::concat).trim());
        }
    }
}
