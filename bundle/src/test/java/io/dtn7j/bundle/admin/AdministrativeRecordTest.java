package io.dtn7j.bundle.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdministrativeRecordTest {

    private static final String BUNDLES = "/vectors/bpv7-bundles.json";
    private static final String ADMIN_VECTOR = "bespoke-admin-status-report";

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void decodesThePublishedStatusReportAndReEncodesItByteExact() {
        byte[] payload = TestVectors.hex(BUNDLES, ADMIN_VECTOR, "hex", "payload");
        assertThat(payload).hasSize(38);

        AdministrativeRecord rec = AdministrativeRecord.decode(payload);

        assertThat(rec.recordType()).isEqualTo(1);
        BundleStatusReport r = (BundleStatusReport) rec;
        assertThat(r.received()).isEqualTo(StatusAssertion.NOT_ASSERTED);
        assertThat(r.forwarded()).isEqualTo(StatusAssertion.at(822350430825L));
        assertThat(r.delivered()).isEqualTo(StatusAssertion.NOT_ASSERTED);
        assertThat(r.deleted()).isEqualTo(StatusAssertion.NOT_ASSERTED);
        assertThat(r.reasonCode()).isZero();
        assertThat(r.reason()).isEqualTo(StatusReportReason.NO_ADDITIONAL_INFORMATION);
        assertThat(r.subjectSource()).isEqualTo(EndpointId.parse("ipn:2.1"));
        assertThat(r.subjectCreation()).isEqualTo(new CreationTimestamp(822350430824L, 0));
        assertThat(r.subjectIsFragment()).isFalse();
        assertThat(r.subjectId().toString()).isEqualTo("ipn:2.1-822350430824-0");
        assertThat(rec.encode()).isEqualTo(payload);
    }

    @Test
    void readsTheRecordOutOfThePublishedAdministrativeRecordBundle() {
        io.dtn7j.bundle.Bundle bundle = io.dtn7j.bundle.codec.BundleCodec.decode(
                TestVectors.hex(BUNDLES, ADMIN_VECTOR, "hex"), io.dtn7j.bundle.codec.DecodeOptions.STRICT);
        assertThat(bundle.isAdministrativeRecord()).isTrue();
        BundleStatusReport r = (BundleStatusReport) AdministrativeRecord.of(bundle);
        assertThat(r.forwarded().time()).hasValue(822350430825L);
        assertThat(r.subjectId().toString()).isEqualTo("ipn:2.1-822350430824-0");
    }

    @Test
    void encodesDeliveredWithoutTimeAsDtn7rsDoes() {
        // dtn7-compat §3.11: 82 01 84 84 81 f4 81 f4 81 f5 81 f4 00 <src EID> 82 <t> <s>
        BundleStatusReport r = new BundleStatusReport(StatusAssertion.NOT_ASSERTED, StatusAssertion.NOT_ASSERTED,
                StatusAssertion.ASSERTED, StatusAssertion.NOT_ASSERTED, 0, EndpointId.parse("dtn://node1/app"),
                new CreationTimestamp(1000, 3), -1, -1);
        assertThat(r.encode()).isEqualTo(hex("8201 84 84 81f4 81f4 81f5 81f4 00 8201 6b 2f2f6e6f6465312f617070 82 1903e8 03"));
        assertThat(r.subjectId().toString()).isEqualTo("dtn://node1/app-1000-3");
    }

    @Test
    void aFragmentSubjectAddsOffsetAndLengthAndTheRefBundleStringNamesTheOffset() {
        BundleStatusReport r = new BundleStatusReport(StatusAssertion.at(5), StatusAssertion.NOT_ASSERTED,
                StatusAssertion.NOT_ASSERTED, StatusAssertion.at(7), StatusReportReason.LIFETIME_EXPIRED.code(),
                EndpointId.parse("ipn:9.1"), new CreationTimestamp(20, 1), 300, 100);
        byte[] enc = r.encode();
        assertThat(enc).isEqualTo(hex("8201 86 84 82f505 81f4 81f4 82f507 01 8202820901 82 14 01 19012c 1864"));
        BundleStatusReport back = (BundleStatusReport) AdministrativeRecord.decode(enc);
        assertThat(back).isEqualTo(r);
        assertThat(back.subjectId().toString()).isEqualTo("ipn:9.1-20-1-300");
        assertThat(back.subjectId().fragmentLength()).isEqualTo(100);
    }

    @Test
    void aFragmentOfLengthZeroGivesTheRefBundleStringWithoutOffsetLikeDtn7rs() {
        BundleStatusReport r = new BundleStatusReport(StatusAssertion.ASSERTED, StatusAssertion.NOT_ASSERTED,
                StatusAssertion.NOT_ASSERTED, StatusAssertion.NOT_ASSERTED, 0, EndpointId.parse("ipn:9.1"),
                new CreationTimestamp(20, 1), 300, 0);
        assertThat(r.subjectId().toString()).isEqualTo("ipn:9.1-20-1");
    }

    @Test
    void unknownReasonCodesAreKept() {
        BundleStatusReport r = new BundleStatusReport(StatusAssertion.ASSERTED, StatusAssertion.NOT_ASSERTED,
                StatusAssertion.NOT_ASSERTED, StatusAssertion.NOT_ASSERTED, 200, EndpointId.NONE,
                new CreationTimestamp(0, 0), -1, -1);
        BundleStatusReport back = (BundleStatusReport) AdministrativeRecord.decode(r.encode());
        assertThat(back.reasonCode()).isEqualTo(200);
        assertThat(back.reason()).isEqualTo(StatusReportReason.UNKNOWN);
        assertThat(back).isEqualTo(r);
    }

    @Test
    void everyReasonCodeOfRfc9171AndRfc9172IsKnown() {
        for (int code = 0; code <= 16; code++) {
            StatusReportReason reason = StatusReportReason.fromCode(code);
            assertThat(reason).isNotEqualTo(StatusReportReason.UNKNOWN);
            assertThat(reason.code()).isEqualTo(code);
        }
        assertThat(StatusReportReason.fromCode(11)).isEqualTo(StatusReportReason.BLOCK_UNSUPPORTED);
        assertThat(StatusReportReason.fromCode(17)).isEqualTo(StatusReportReason.UNKNOWN);
        assertThat(StatusReportReason.fromCode(-1)).isEqualTo(StatusReportReason.UNKNOWN);
    }

    @Test
    void unknownRecordTypesKeepTheirContentByteExact() {
        byte[] enc = hex("8218c8 a2 01 82 f5 f6 6161 43 010203");   // [200, {1: [true, null], "a": h'010203'}]
        AdministrativeRecord rec = AdministrativeRecord.decode(enc);
        assertThat(rec).isInstanceOf(UnknownAdministrativeRecord.class);
        assertThat(rec.recordType()).isEqualTo(200);
        assertThat(((UnknownAdministrativeRecord) rec).content()).isEqualTo(hex("a2 01 82 f5 f6 6161 43 010203"));
        assertThat(rec.encode()).isEqualTo(enc);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty input                         |                                                        | TRUNCATED
            not an array                        | 01                                                     | WRONG_STRUCTURE
            record array of 3                   | 83 01 80 00                                            | WRONG_STRUCTURE
            negative type                       | 82 20 00                                               | WRONG_STRUCTURE
            report array of 5                   | 8201 85 84 81f4 81f4 81f4 81f4 00 820100 820000 00     | WRONG_STRUCTURE
            status info of 3                    | 8201 84 83 81f4 81f4 81f4 00 820100 820000             | WRONG_STRUCTURE
            status item not boolean             | 8201 84 84 8100 81f4 81f4 81f4 00 820100 820000        | WRONG_STRUCTURE
            status item of 3                    | 8201 84 84 83f50102 81f4 81f4 81f4 00 820100 820000    | WRONG_STRUCTURE
            time on a false status              | 8201 84 84 82f401 81f4 81f4 81f4 00 820100 820000      | WRONG_STRUCTURE
            reason not an integer               | 8201 84 84 81f4 81f4 81f4 81f4 f5 820100 820000        | WRONG_STRUCTURE
            unknown EID scheme                  | 8201 84 84 81f4 81f4 81f4 81f4 00 820900 820000        | INVALID_EID
            timestamp of 3                      | 8201 84 84 81f4 81f4 81f4 81f4 00 820100 83000000      | WRONG_STRUCTURE
            offset beyond 2^63                  | 8201 86 84 81f4 81f4 81f4 81f4 00 820100 820000 1bffffffffffffffff 00 | WRONG_STRUCTURE
            truncated                           | 8201 84 84 81f4 81f4 81f4 81f4 00 820100 8200           | TRUNCATED
            trailing bytes                      | 8201 84 84 81f4 81f4 81f4 81f4 00 820100 820000 00     | TRAILING_BYTES
            array claims 2^32 elements          | 8201 9affffffff                                        | TRUNCATED
            unknown type, content truncated     | 8205 5a7fffffff 00                                     | TRUNCATED
            non-shortest integer                | 8201 84 84 81f4 81f4 81f4 81f4 1800 820100 820000      | NON_CANONICAL_CBOR
            """)
    void malformedRecordsGiveTypedErrors(String name, String hexInput, Reason reason) {
        byte[] input = hexInput == null ? new byte[0] : hex(hexInput);
        assertThatThrownBy(() -> AdministrativeRecord.decode(input))
                .isInstanceOf(BundleDecodeException.class)
                .satisfies(e -> assertThat(((BundleDecodeException) e).reason()).isEqualTo(reason));
    }

    @Test
    void statusAssertionsCarryATimeOnlyWhenAsserted() {
        assertThatThrownBy(() -> new StatusAssertion(false, OptionalLong.of(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StatusAssertion.at(3).time()).hasValue(3);
    }
}
