package io.dtn7j.bundle.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.InvalidBundleException;
import io.dtn7j.bundle.InvalidBundleException.Violation;
import io.dtn7j.bundle.PrimaryBlock;
import io.dtn7j.bundle.Vectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.dtn7j.bundle.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every bundle of bpv7-bundles.json and bpv7-invalid.json: decoded fields, byte-exact re-encoding, and the
 * strict/default outcomes with their reasons.
 */
class BundleVectorsTest {

    private static final JsonNode BUNDLES = Vectors.load("bpv7-bundles.json");
    private static final JsonNode INVALID = Vectors.load("bpv7-invalid.json");

    /** The rule names of rfc9171_rules_broken and the violations/deviations they correspond to. */
    private static final Map<String, Violation> RULES = Map.of(
            "NO_BUNDLE_AGE", Violation.MISSING_BUNDLE_AGE,
            "PRIMARY_NO_CRC", Violation.PRIMARY_WITHOUT_CRC,
            "DTN_SSP", Violation.NODE_ID_WITHOUT_SLASH);

    @TestFactory
    Stream<DynamicTest> validBundlesDecodeToTheirFieldsAndReencodeByteExact() {
        return Vectors.list(BUNDLES.get("bundles")).stream().map(v -> DynamicTest.dynamicTest(v.get("id").asText(), () -> {
            byte[] bytes = hex(v.get("hex").asText());
            assertThat(bytes).hasSize(v.get("length").asInt());
            Bundle b = BundleCodec.decode(bytes, DecodeOptions.PARSE_ONLY);
            assertDecoded(b, v.get("decoded"));

            // byte-exact forwarding, three ways
            assertThat(hex(BundleCodec.encode(b))).isEqualTo(v.get("hex").asText());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BundleCodec.encodeTo(b, out);
            assertThat(hex(out.toByteArray())).isEqualTo(v.get("hex").asText());
            assertThat(BundleCodec.encodedSize(b)).isEqualTo(bytes.length);

            // encoding afresh (CRCs recomputed) gives the same model, and, as every vector is canonical CBOR,
            // the same bytes
            Bundle fresh = b.withoutReceivedEncodings();
            byte[] again = BundleCodec.encode(fresh);
            assertThat(BundleCodec.decode(again, DecodeOptions.PARSE_ONLY)).isEqualTo(b);
            assertThat(hex(again)).isEqualTo(v.get("hex").asText());
            assertThat(BundleCodec.encodedSize(fresh)).isEqualTo(bytes.length);
        }));
    }

    @TestFactory
    Stream<DynamicTest> validBundlesAreAcceptedOrRejectedPerPolicy() {
        return Vectors.list(BUNDLES.get("bundles")).stream().map(v -> DynamicTest.dynamicTest(v.get("id").asText(), () -> {
            byte[] bytes = hex(v.get("hex").asText());
            Set<Violation> broken = EnumSet.noneOf(Violation.class);
            v.get("rfc9171_rules_broken").forEach(r -> broken.add(RULES.get(r.asText())));
            assertThat(broken).doesNotContainNull();

            checkPolicy(bytes, ValidationPolicy.STRICT, v.get("expect_strict").asText(), broken);
            checkPolicy(bytes, ValidationPolicy.DEFAULT, v.get("expect_default").asText(), broken);
            // LENIENT only differs from DEFAULT in the payload block number, which every valid vector has right
            checkPolicy(bytes, ValidationPolicy.LENIENT, v.get("expect_default").asText(), broken);
        }));
    }

    /**
     * Every valid vector that DEFAULT accepts and that has no BPSec block, with its payload block renumbered
     * (as py-dtn7 and dtn7zero do): STRICT and DEFAULT reject it for the payload block number, LENIENT accepts
     * it, reports the deviation on top of DEFAULT's, keeps the payload and re-encodes the bytes exactly.
     */
    @TestFactory
    Stream<DynamicTest> payloadBlockNumberOtherThanOneIsWaivedOnlyByLenient() {
        List<JsonNode> candidates = Vectors.list(BUNDLES.get("bundles")).stream()
                .filter(v -> v.get("expect_default").asText().equals("accept"))
                .filter(v -> {
                    Bundle b = BundleCodec.decode(hex(v.get("hex").asText()), DecodeOptions.PARSE_ONLY);
                    return b.blocks(BlockType.BLOCK_INTEGRITY).isEmpty() && b.blocks(BlockType.BLOCK_CONFIDENTIALITY).isEmpty();
                })
                .toList();
        assertThat(candidates).hasSizeGreaterThan(3);
        return candidates.stream().map(v -> DynamicTest.dynamicTest(v.get("id").asText(), () -> {
            byte[] original = hex(v.get("hex").asText());
            List<Deviation> defaultDeviations = new ArrayList<>();
            Bundle b = BundleCodec.decode(original,
                    new DecodeOptions(ValidationPolicy.DEFAULT, DecodeOptions.UNLIMITED, (x, d, s) -> defaultDeviations.add(d)));
            // 2 as dtn7zero sends it, or the next free number if an extension block already has 2
            long number = b.blocks().stream().anyMatch(x -> x.number() == 2) ? b.nextBlockNumber() : 2;
            List<CanonicalBlock> renumbered = b.blocks().stream()
                    .map(x -> x.isPayload() ? x.withNumber(number) : x).toList();
            byte[] bytes = BundleCodec.encode(b.withBlocks(renumbered).withoutReceivedEncodings());

            for (DecodeOptions opts : List.of(DecodeOptions.STRICT, DecodeOptions.DEFAULT)) {
                Throwable t = catchThrowable(() -> BundleCodec.decode(bytes, opts));
                assertThat(t).as(opts.policy() + " rejects").isInstanceOf(InvalidBundleException.class);
                assertThat(((InvalidBundleException) t).violation()).isEqualTo(Violation.PAYLOAD_BLOCK_NUMBER);
            }

            List<Deviation> reported = new ArrayList<>();
            List<String> details = new ArrayList<>();
            Bundle lenient = BundleCodec.decode(bytes, new DecodeOptions(ValidationPolicy.LENIENT, DecodeOptions.UNLIMITED,
                    (x, d, s) -> { reported.add(d); details.add(s); }));
            List<Deviation> expected = new ArrayList<>(defaultDeviations);
            expected.add(Deviation.PAYLOAD_BLOCK_NUMBER_NOT_ONE);
            assertThat(reported).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(details).anyMatch(d -> d.contains("payload block has number " + number));
            assertThat(lenient.payloadBlock().number()).isEqualTo(number);
            assertThat(lenient.payload().toByteArray()).isEqualTo(b.payload().toByteArray());
            assertThat(BundleCodec.encode(lenient)).isEqualTo(bytes);
            assertThat(BundleCodec.encode(lenient.withoutReceivedEncodings())).isEqualTo(bytes);
        }));
    }

    private static void checkPolicy(byte[] bytes, ValidationPolicy policy, String expect, Set<Violation> broken) {
        List<Deviation> deviations = new ArrayList<>();
        DecodeOptions opts = new DecodeOptions(policy, DecodeOptions.UNLIMITED, (b, d, detail) -> deviations.add(d));
        if (expect.equals("accept")) {
            BundleCodec.decode(bytes, opts);
            Set<Deviation> expected = EnumSet.noneOf(Deviation.class);
            if (broken.contains(Violation.PRIMARY_WITHOUT_CRC)) {
                expected.add(Deviation.PRIMARY_WITHOUT_CRC);
            }
            if (broken.contains(Violation.NODE_ID_WITHOUT_SLASH)) {
                expected.add(Deviation.NODE_ID_WITHOUT_SLASH);
            }
            assertThat(EnumSet.copyOf(deviations.isEmpty() ? EnumSet.noneOf(Deviation.class) : EnumSet.copyOf(deviations)))
                    .as("deviations reported under " + policy).isEqualTo(expected);
        } else {
            assertThat(expect).isEqualTo("reject");
            Throwable t = catchThrowable(() -> BundleCodec.decode(bytes, opts));
            assertThat(t).as(policy + " must reject").isInstanceOf(InvalidBundleException.class);
            assertThat(((InvalidBundleException) t).violation()).as(policy + " reason").isIn(broken);
        }
    }

    private static void assertDecoded(Bundle b, JsonNode d) {
        JsonNode p = d.get("primary");
        PrimaryBlock pb = b.primary();
        assertThat(pb.version()).isEqualTo(p.get("version").asInt());
        assertThat(pb.flags().bits()).isEqualTo(p.get("bundle_flags").asLong());
        assertThat(pb.crcType().code()).isEqualTo(p.get("crc_type").asInt());
        assertThat(pb.destination().uri()).isEqualTo(p.get("destination").asText());
        assertThat(pb.source().uri()).isEqualTo(p.get("source").asText());
        assertThat(pb.reportTo().uri()).isEqualTo(p.get("report_to").asText());
        assertThat(pb.creation().dtnTimeMs()).isEqualTo(p.get("creation_time_dtn_ms").asLong());
        assertThat(pb.creation().sequence()).isEqualTo(p.get("sequence_number").asLong());
        assertThat(pb.lifetimeMs()).isEqualTo(p.get("lifetime_ms").asLong());
        if (p.has("fragment_offset")) {
            assertThat(pb.fragment()).isNotNull();
            assertThat(pb.fragment().offset()).isEqualTo(p.get("fragment_offset").asLong());
            assertThat(pb.fragment().totalAduLength()).isEqualTo(p.get("total_adu_length").asLong());
            assertThat(b.id().fragmentOffset()).isEqualTo(p.get("fragment_offset").asLong());
        } else {
            assertThat(pb.fragment()).isNull();
            assertThat(b.isFragment()).isFalse();
        }
        if (p.has("crc_hex")) {
            byte[] enc = b.receivedPrimaryEncoding().orElseThrow().toByteArray();
            String crc = p.get("crc_hex").asText();
            assertThat(hex(enc)).endsWith(crc);
            assertThat(crc).hasSize(2 * pb.crcType().width());
        }

        List<JsonNode> blocks = Vectors.list(d.get("blocks"));
        assertThat(b.blocks()).hasSize(blocks.size());
        Set<Long> encrypted = new java.util.HashSet<>();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode jb = blocks.get(i);
            CanonicalBlock cb = b.blocks().get(i);
            String at = "block " + i;
            assertThat(cb.type()).as(at).isEqualTo(jb.get("type").asLong());
            assertThat(cb.number()).as(at).isEqualTo(jb.get("number").asLong());
            assertThat(cb.flags().bits()).as(at).isEqualTo(jb.get("flags").asLong());
            assertThat(cb.crcType().code()).as(at).isEqualTo(jb.get("crc_type").asInt());
            if (jb.has("data_length")) {
                assertThat(cb.data().size()).as(at).isEqualTo(jb.get("data_length").asLong());
            }
            if (jb.has("crc_hex")) {
                assertThat(hex(b.receivedEncoding(i).orElseThrow().toByteArray())).endsWith(jb.get("crc_hex").asText());
            }
            if (jb.has("encrypted_by_bcb_block")) {
                encrypted.add(cb.number());
                continue;
            }
            if (jb.has("previous_node")) {
                assertThat(cb.asPreviousNode().node().uri()).as(at).isEqualTo(jb.get("previous_node").asText());
            }
            if (jb.has("bundle_age_ms")) {
                assertThat(cb.asBundleAge().ageMs()).as(at).isEqualTo(jb.get("bundle_age_ms").asLong());
            }
            if (jb.has("hop_limit")) {
                assertThat(cb.asHopCount().limit()).as(at).isEqualTo(jb.get("hop_limit").asLong());
                assertThat(cb.asHopCount().count()).as(at).isEqualTo(jb.get("hop_count").asLong());
            }
            if (jb.has("asb")) {
                List<Long> targets = new ArrayList<>();
                jb.get("asb").get("security_targets").forEach(t -> targets.add(t.asLong()));
                assertThat(BundleValidator.securityTargets(cb.data())).as(at).isEqualTo(targets);
            }
        }
        // BIB over the primary block is seen
        boolean bibOverPrimary = b.blocks(BlockType.BLOCK_INTEGRITY).stream()
                .anyMatch(x -> BundleValidator.securityTargets(x.data()).contains(0L));
        assertThat(BundleValidator.bibCoversPrimary(b)).isEqualTo(bibOverPrimary);

        if (d.has("payload")) {
            JsonNode jp = d.get("payload");
            ByteSource payload = b.payload();
            assertThat(payload.size()).isEqualTo(jp.get("length").asLong());
            String h = hex(payload.toByteArray());
            if (jp.has("hex")) {
                assertThat(h).startsWith(jp.get("hex").asText());
            }
            if (jp.has("ascii") && !encrypted.contains(1L)) {
                assertThat(b.payloadText()).isEqualTo(jp.get("ascii").asText());
            }
        }
        if (d.has("block_order")) {
            List<JsonNode> order = Vectors.list(d.get("block_order"));
            for (int i = 0; i < order.size(); i++) {
                assertThat(b.blocks().get(i).type()).isEqualTo(order.get(i).get(0).asLong());
                assertThat(b.blocks().get(i).number()).isEqualTo(order.get(i).get(1).asLong());
            }
        }
    }

    /**
     * Expected outcome of each invalid vector: a decode error reason, or a violation of the validity rules
     * (then the bundle itself is well-formed and parses with PARSE_ONLY).
     */
    private static final Map<String, Object> INVALID_REASONS = Map.ofEntries(
            Map.entry("dtn7go-fuzz-huge-text-length", Reason.UNKNOWN_CRC_TYPE),
            Map.entry("dtn7go-fuzz-huge-bytes-length", Reason.WRONG_STRUCTURE),
            Map.entry("dtn7go-fuzz-ipn-ssp-uint", Reason.WRONG_STRUCTURE),
            Map.entry("dtn7go-fuzz-ipn-ssp-negint", Reason.WRONG_STRUCTURE),
            Map.entry("hardy-havermans-anon-block-report-flag", Violation.BLOCK_REPORT_FLAG_FORBIDDEN),
            Map.entry("hardy-fragment-total-adu-zero", Violation.FRAGMENT_RANGE),
            Map.entry("elixir-bad-payload-crc32c", Reason.CRC_MISMATCH),
            Map.entry("elixir-bad-primary-crc32c", Reason.CRC_MISMATCH),
            Map.entry("elixir-hopcount-edited-stale-crc", Reason.CRC_MISMATCH),
            Map.entry("hdtn-bpbis16-draft-bundle", Reason.INVALID_EID),
            Map.entry("hdtn-ion-bpv6-bundle", Reason.WRONG_STRUCTURE),
            Map.entry("bp7rs-not-an-array", Reason.WRONG_STRUCTURE),
            Map.entry("bp7rs-draft-hopcount-unwrapped", Reason.INVALID_EID),
            Map.entry("dda-primary-only", Reason.NO_BLOCKS),
            Map.entry("dda-null-primary", Reason.WRONG_STRUCTURE),
            Map.entry("bsl-no-payload-block", Violation.NO_PAYLOAD_BLOCK),
            Map.entry("bespoke-unclosed-indefinite", Reason.WRONG_STRUCTURE),
            Map.entry("bespoke-empty-bundle", Reason.WRONG_STRUCTURE),
            Map.entry("mut-version-6", Reason.UNSUPPORTED_VERSION),
            Map.entry("mut-outer-definite-array", Reason.NON_CANONICAL_CBOR),
            Map.entry("mut-truncated-no-break", Reason.TRUNCATED),
            Map.entry("mut-truncated-mid-payload", Reason.TRUNCATED),
            Map.entry("mut-primary-crc16-flipped", Reason.CRC_MISMATCH),
            Map.entry("mut-payload-crc16-flipped", Reason.CRC_MISMATCH),
            Map.entry("mut-dtnme-primary-crc32c-flipped", Reason.CRC_MISMATCH),
            Map.entry("mut-crc-type-3", Reason.UNKNOWN_CRC_TYPE),
            Map.entry("mut-crc16-with-4-byte-value", Reason.BAD_CRC_FIELD),
            Map.entry("mut-crc-as-uint", Reason.BAD_CRC_FIELD),
            Map.entry("mut-primary-8-items-with-crc-type", Reason.WRONG_STRUCTURE),
            Map.entry("mut-payload-not-last", Violation.PAYLOAD_NOT_LAST),
            Map.entry("mut-two-payload-blocks", Violation.DUPLICATE_BLOCK_NUMBER),
            Map.entry("mut-payload-block-number-2", Violation.PAYLOAD_BLOCK_NUMBER),
            Map.entry("mut-duplicate-block-number", Violation.DUPLICATE_BLOCK_NUMBER),
            Map.entry("mut-two-bundle-age-blocks", Violation.DUPLICATE_EXTENSION_BLOCK),
            Map.entry("mut-btsd-not-bytes", Reason.WRONG_STRUCTURE),
            Map.entry("mut-btsd-indefinite-bytes", Reason.NON_CANONICAL_CBOR),
            Map.entry("mut-non-shortest-lifetime", Reason.NON_CANONICAL_CBOR),
            Map.entry("mut-unknown-eid-scheme", Reason.INVALID_EID),
            Map.entry("mut-dtn-ssp-no-slashes", Reason.INVALID_EID),
            Map.entry("mut-ipn-ssp-one-element", Reason.INVALID_EID),
            Map.entry("mut-anon-source-reception-report", Violation.ANONYMOUS_SOURCE_REPORT_REQUESTED),
            Map.entry("mut-anon-source-fragmentable", Violation.ANONYMOUS_SOURCE_FRAGMENTABLE),
            Map.entry("mut-admin-record-delivery-report", Violation.ADMIN_RECORD_REPORT_REQUESTED),
            Map.entry("mut-hop-count-not-array", Violation.MALFORMED_EXTENSION_BLOCK),
            Map.entry("mut-bundle-age-not-uint", Violation.MALFORMED_EXTENSION_BLOCK),
            Map.entry("mut-trailing-bytes", Reason.TRAILING_BYTES));

    @TestFactory
    Stream<DynamicTest> invalidBundlesAreRejectedForTheirReason() {
        List<JsonNode> vectors = Vectors.list(INVALID.get("vectors"));
        assertThat(vectors).hasSize(INVALID_REASONS.size());
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.get("id").asText(), () -> {
            byte[] bytes = hex(v.get("hex").asText());
            Object expected = INVALID_REASONS.get(v.get("id").asText());
            assertThat(expected).as("an expected reason is listed for every vector").isNotNull();
            assertThat(v.get("expect_strict").asText()).isEqualTo("reject");
            assertThat(v.get("expect_default").asText()).isEqualTo("reject");
            for (DecodeOptions opts : List.of(DecodeOptions.STRICT, DecodeOptions.DEFAULT)) {
                Throwable t = catchThrowable(() -> BundleCodec.decode(bytes, opts));
                assertThat(t).as(opts.policy() + " rejects").isInstanceOf(BundleException.class);
                if (expected instanceof Reason r) {
                    assertThat(t).isInstanceOf(BundleDecodeException.class);
                    assertThat(((BundleDecodeException) t).reason()).isEqualTo(r);
                } else {
                    assertThat(t).isInstanceOf(InvalidBundleException.class);
                    assertThat(((InvalidBundleException) t).violation()).isEqualTo(expected);
                }
                assertThat(t.getMessage()).isNotBlank();
            }
            // LENIENT rejects every invalid vector as DEFAULT does; the one whose only flaw DEFAULT sees is the
            // payload block number gets past that check and is then caught by the next rule it breaks (it is the
            // RFC 9173 example bundle: creation time 0 without a bundle age block)
            Throwable lenient = catchThrowable(() -> BundleCodec.decode(bytes, DecodeOptions.LENIENT));
            assertThat(lenient).as("LENIENT rejects").isInstanceOf(BundleException.class);
            if (expected == Violation.PAYLOAD_BLOCK_NUMBER) {
                assertThat(((InvalidBundleException) lenient).violation()).isEqualTo(Violation.MISSING_BUNDLE_AGE);
            } else if (expected instanceof Reason r) {
                assertThat(((BundleDecodeException) lenient).reason()).isEqualTo(r);
            } else {
                assertThat(((InvalidBundleException) lenient).violation()).isEqualTo(expected);
            }
            if (expected instanceof Violation) {
                // well-formed: a parse-only decode succeeds and re-encodes byte-exact
                Bundle b = BundleCodec.decode(bytes, DecodeOptions.PARSE_ONLY);
                assertThat(BundleCodec.encode(b)).isEqualTo(bytes);
            } else {
                assertThatThrownBy(() -> BundleCodec.decode(bytes, DecodeOptions.PARSE_ONLY))
                        .isInstanceOf(BundleDecodeException.class);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> rfc9173FinalBundlesParseAndReencodeByteExact() throws IOException {
        JsonNode rfc = Vectors.load("rfc9173-appendix-a.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode ex : rfc.get("examples")) {
            List<JsonNode> bundles = new ArrayList<>();
            bundles.add(ex.get("original_bundle"));
            bundles.add(ex.get("final_bundle"));
            if (ex.has("intermediate_bundle_after_bib")) {
                bundles.add(ex.get("intermediate_bundle_after_bib"));
            }
            for (JsonNode fb : bundles) {
                if (fb == null || !fb.has("hex")) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(ex.get("id").asText() + " " + fb.path("section").asText(), () -> {
                    byte[] bytes = hex(fb.get("hex").asText());
                    Bundle b = BundleCodec.decode(bytes, DecodeOptions.PARSE_ONLY);
                    assertThat(BundleCodec.encode(b)).isEqualTo(bytes);
                    if (fb.has("blocks")) {
                        List<JsonNode> jbs = Vectors.list(fb.get("blocks"));
                        assertThat(b.blocks()).hasSize(jbs.size());
                        for (int i = 0; i < jbs.size(); i++) {
                            assertThat(b.blocks().get(i).type()).isEqualTo(jbs.get(i).get("type").asLong());
                            assertThat(b.blocks().get(i).number()).isEqualTo(jbs.get(i).get("number").asLong());
                            assertThat(b.blocks().get(i).flags().bits()).isEqualTo(jbs.get(i).get("flags").asLong());
                        }
                    }
                }));
            }
            for (JsonNode op : ex.get("security_operations")) {
                tests.add(DynamicTest.dynamicTest(ex.get("id").asText() + " ASB targets of block " + op.get("block_number"), () -> {
                    List<Long> targets = new ArrayList<>();
                    op.get("security_targets").forEach(t -> targets.add(t.asLong()));
                    assertThat(BundleValidator.securityTargets(ByteSource.of(hex(op.get("asb_hex").asText()))))
                            .isEqualTo(targets);
                }));
            }
        }
        assertThat(tests).hasSizeGreaterThan(8);
        return tests.stream();
    }
}
