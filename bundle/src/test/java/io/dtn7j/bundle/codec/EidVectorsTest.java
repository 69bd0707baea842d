package io.dtn7j.bundle.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.Vectors;
import io.dtn7j.bundle.cbor.CborReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.dtn7j.bundle.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The EID encodings of bpv7-bundles.json (valid and lenient) and bpv7-invalid.json (invalid). */
class EidVectorsTest {

    private static EndpointId read(byte[] b, boolean lenient) {
        CborReader r = new CborReader(b);
        EndpointId eid = EidCodec.read(r, "eid", lenient);
        assertThat(r.atEnd()).as("whole encoding consumed").isTrue();
        return eid;
    }

    /** What the lenient encodings read as. */
    private static final Map<String, String> LENIENT_READS = Map.of(
            "8201646e6f6e65", "dtn:none",
            "9f01672f2f6e6f64652fff", "dtn://node/",
            "8202820001", "ipn:0.1");

    @TestFactory
    Stream<DynamicTest> validAndLenientEncodings() {
        List<JsonNode> eids = Vectors.list(Vectors.load("bpv7-bundles.json").get("eid_encodings"));
        return eids.stream().map(v -> DynamicTest.dynamicTest(v.get("hex").asText() + " " + v.path("text").asText(), () -> {
            String h = v.get("hex").asText();
            byte[] b = hex(h);
            if (v.get("expect").asText().equals("valid")) {
                EndpointId eid = read(b, false);
                assertThat(eid.uri()).isEqualTo(v.get("text").asText());
                assertThat(hex(EidCodec.encode(eid))).isEqualTo(h);
                assertThat(EidCodec.encodedSize(eid)).isEqualTo(b.length);
                // the text form parses back to the same EID (three-element form kept)
                assertThat(EndpointId.parse(eid.uri())).isEqualTo(eid);
            } else {
                assertThat(v.get("expect").asText()).isEqualTo("accept-lenient");
                String text = LENIENT_READS.get(h);
                assertThat(text).as("expected reading listed").isNotNull();
                assertThat(read(b, true).uri()).isEqualTo(text);
                if (text.equals("ipn:0.1")) {
                    // a well-formed ipn EID: valid in every mode (not the null endpoint)
                    assertThat(read(b, false).isNone()).isFalse();
                } else {
                    assertThatThrownBy(() -> read(b, false)).isInstanceOf(BundleDecodeException.class)
                            .extracting(e -> ((BundleDecodeException) e).reason())
                            .isEqualTo(BundleDecodeException.Reason.NON_CANONICAL_CBOR);
                }
            }
        }));
    }

    /**
     * Hardy rejects ipn service numbers above 2^32-1, while NASA-AMMOS/BSL's corpus (also in the vectors)
     * has 2^64-1 service numbers as valid. dtn7j follows RFC 9171's unsigned 64-bit numbers and accepts
     * them; these two encodings are therefore read, not rejected.
     */
    private static final Map<String, String> ACCEPTED_DIVERGENCES = Map.of(
            "82028301011b0000000800000001", "ipn:1.1.34359738369",
            "8202821b000ee868000000011b0000000800000001", "ipn:4196183048192001.34359738369");

    @TestFactory
    Stream<DynamicTest> invalidEncodings() {
        List<JsonNode> eids = Vectors.list(Vectors.load("bpv7-invalid.json").get("invalid_eid_encodings"));
        assertThat(eids).hasSize(8);
        return eids.stream().map(v -> DynamicTest.dynamicTest(v.get("hex").asText() + " " + v.get("why_reject").asText(), () -> {
            String h = v.get("hex").asText();
            byte[] b = hex(h);
            if (ACCEPTED_DIVERGENCES.containsKey(h)) {
                assertThat(read(b, false).uri()).isEqualTo(ACCEPTED_DIVERGENCES.get(h));
                return;
            }
            assertThatThrownBy(() -> read(b, false)).isInstanceOf(BundleDecodeException.class);
            assertThatThrownBy(() -> read(b, true)).isInstanceOf(BundleDecodeException.class);
        }));
    }
}
