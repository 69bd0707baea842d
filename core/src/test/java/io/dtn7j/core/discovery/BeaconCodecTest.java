package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.discovery.BeaconDecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BeaconCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    /** dtn7-compat.md §7.4: node1, -C mtcp, -b, interval 2 s, first beacon. */
    private static final String EXAMPLE = "8607078201682f2f6e6f6465312f00828182646d746370193f22a002";

    private static EndpointId eid(String s) throws Exception {
        return EndpointId.parse(s);
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    private static Reason reasonOf(String hex) {
        try {
            BeaconCodec.decode(hex(hex));
        } catch (BeaconDecodeException e) {
            return e.reason();
        }
        throw new AssertionError("decoded " + hex + " without error");
    }

    @Test
    void encodesTheDtn7RsExampleByteForByte() throws Exception {
        Beacon b = Beacon.of(eid("dtn://node1/"), 0, List.of(ClaAdvertisement.of("mtcp", 16162)), List.of(), OptionalLong.of(2));
        assertThat(HEX.formatHex(BeaconCodec.encode(b))).isEqualTo(EXAMPLE);
    }

    @Test
    void withoutPeriodTheBeaconHasFiveElementsAndFlags3() throws Exception {
        Beacon b = Beacon.of(eid("dtn://node1/"), 0, List.of(ClaAdvertisement.of("mtcp", 16162)), List.of(), OptionalLong.empty());
        assertThat(HEX.formatHex(BeaconCodec.encode(b))).isEqualTo("850703" + "8201682f2f6e6f6465312f00828182646d746370193f22a0");
    }

    @Test
    void decodesTheDtn7RsExample() throws Exception {
        Beacon b = BeaconCodec.decode(hex(EXAMPLE));
        assertThat(b.flags()).isEqualTo(0x07);
        assertThat(b.nodeId()).isEqualTo(eid("dtn://node1/"));
        assertThat(b.sequenceNumber()).isZero();
        assertThat(b.clas()).containsExactly(ClaAdvertisement.of("mtcp", 16162));
        assertThat(b.services()).isEmpty();
        assertThat(b.periodSeconds()).hasValue(2);
    }

    @Test
    void minimalBeaconHasFourElements() throws Exception {
        Beacon b = Beacon.of(eid("dtn://n/"), 5, List.of(), List.of(), OptionalLong.empty());
        byte[] bytes = BeaconCodec.encode(b);
        assertThat(HEX.formatHex(bytes)).isEqualTo("840701820164" + HEX.formatHex("//n/".getBytes(StandardCharsets.US_ASCII)) + "05");
        assertThat(BeaconCodec.decode(bytes)).isEqualTo(b);
    }

    @Test
    void ipnNodeIdsUseTheSchemeTwoArrayForm() throws Exception {
        Beacon b = Beacon.of(eid("ipn:23.0"), 0x1_0000, List.of(ClaAdvertisement.of("tcp", 4556)), List.of(), OptionalLong.of(10));
        byte[] bytes = BeaconCodec.encode(b);
        assertThat(HEX.formatHex(bytes)).isEqualTo("860707" + "8202821700" + "1a00010000" + "8281826374637019" + "11cc" + "a0" + "0a");
        assertThat(BeaconCodec.decode(bytes)).isEqualTo(b);
    }

    @Test
    void servicesAreWrittenAsArraysOfUintsLikeSerde() throws Exception {
        Beacon b = Beacon.of(eid("dtn://n/"), 1, List.of(), List.of(new BeaconService(191, new byte[] {75})), OptionalLong.empty());
        // [7, 3, [1,"//n/"], 1, [[], {191: [75]}]]
        assertThat(HEX.formatHex(BeaconCodec.encode(b))).isEqualTo("8507038201642f2f6e2f01" + "8280" + "a118bf81184b");
        assertThat(BeaconCodec.decode(BeaconCodec.encode(b))).isEqualTo(b);
    }

    @Test
    void readsDtn7zeroBeaconsWithByteStringServiceValues() throws Exception {
        // dtn7zero unicast reply: [7, 3, [1,"//zero/"], 4, [[["mtcp", 16162]], {42: h'756e6963617374'}]]
        String hex = "850703" + "820167" + HEX.formatHex("//zero/".getBytes(StandardCharsets.US_ASCII)) + "04"
                + "82" + "8182646d746370193f22" + "a1182a47" + HEX.formatHex("unicast".getBytes(StandardCharsets.US_ASCII));
        Beacon b = BeaconCodec.decode(hex(hex));
        assertThat(b.nodeId()).isEqualTo(eid("dtn://zero/"));
        assertThat(b.sequenceNumber()).isEqualTo(4);
        assertThat(b.service(BeaconService.TAG_DTN7ZERO_UNICAST)).get()
                .extracting(s -> new String(s.value(), StandardCharsets.US_ASCII)).isEqualTo("unicast");
    }

    @Test
    void acceptsANullPortAndOrderVariations() throws Exception {
        // sequence number before the EID (as rs:doc/ipnd-ng.md shows it), CLA port null
        String hex = "850703" + "09" + "8201642f2f6e2f" + "82" + "8182646d746370f6" + "a0";
        Beacon b = BeaconCodec.decode(hex(hex));
        assertThat(b.sequenceNumber()).isEqualTo(9);
        assertThat(b.nodeId()).isEqualTo(eid("dtn://n/"));
        assertThat(b.clas()).containsExactly(new ClaAdvertisement("mtcp", null));
    }

    @Test
    void acceptsAnIndefiniteOuterArray() throws Exception {
        Beacon b = BeaconCodec.decode(hex("9f0701" + "8201642f2f6e2f" + "00" + "ff"));
        assertThat(b.nodeId()).isEqualTo(eid("dtn://n/"));
    }

    @Test
    void rejectsWrongVersion() {
        assertThat(reasonOf("840601" + "8201642f2f6e2f" + "00")).isEqualTo(Reason.WRONG_VERSION);
    }

    @Test
    void rejectsHugeClaimedLengthsWithoutAllocating() {
        // a text string claiming 2^64-1 bytes
        assertThat(reasonOf("840701" + "82017bffffffffffffffff")).isEqualTo(Reason.LENGTH_EXCEEDS_INPUT);
        // an array claiming 4 billion elements
        assertThat(reasonOf("9bffffffff00000000")).isEqualTo(Reason.LENGTH_EXCEEDS_INPUT);
        // a map claiming more entries than bytes remain
        assertThat(reasonOf("850703" + "8201642f2f6e2f" + "00" + "8280" + "b9ffff")).isEqualTo(Reason.LENGTH_EXCEEDS_INPUT);
    }

    @Test
    void rejectsMalformedInputWithTypedReasons() {
        assertThat(reasonOf("")).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf("8407")).isEqualTo(Reason.LENGTH_EXCEEDS_INPUT); // 4 items claimed, 1 byte left
        assertThat(reasonOf("9f07")).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf("1c")).isEqualTo(Reason.MALFORMED_CBOR);
        assertThat(reasonOf("ff")).isEqualTo(Reason.MALFORMED_CBOR);
        assertThat(reasonOf("a0")).isEqualTo(Reason.NOT_A_BEACON);
        assertThat(reasonOf("83070100")).isEqualTo(Reason.NOT_A_BEACON);
        assertThat(reasonOf("840701" + "8201642f2f6e2f" + "00" + "00")).isEqualTo(Reason.TRAILING_BYTES);
        assertThat(reasonOf("840701" + "820162ff2f" + "00")).isEqualTo(Reason.MALFORMED_CBOR); // bad UTF-8
        assertThat(reasonOf("840701" + "8201642f2f6e2f" + "1b0000000100000000")).isEqualTo(Reason.VALUE_OUT_OF_RANGE);
        assertThat(reasonOf("840701" + "8203642f2f6e2f" + "00")).isEqualTo(Reason.INVALID_EID);
        assertThat(reasonOf("840701" + "820164" + "6e6f6465" + "00")).isEqualTo(Reason.INVALID_EID); // no "//"
        assertThat(reasonOf("8407010001")).isEqualTo(Reason.INVALID_EID); // two integers, no EID
        assertThat(reasonOf("850703" + "8201642f2f6e2f" + "00" + "8281826174" + "1a00010000" + "a0"))
                .isEqualTo(Reason.VALUE_OUT_OF_RANGE); // port 65536
        assertThat(reasonOf("850703" + "8201642f2f6e2f" + "00" + "828082" + "0101")).isEqualTo(Reason.INVALID_SERVICE_BLOCK);
        assertThat(reasonOf("850703" + "8201642f2f6e2f" + "00" + "8280" + "a10181190100")).isEqualTo(Reason.INVALID_SERVICE_BLOCK);
        assertThat(reasonOf("81".repeat(40) + "00")).isEqualTo(Reason.TOO_DEEP);
    }

    @Test
    void rejectsDatagramsAboveTheSizeLimit() {
        byte[] big = new byte[300];
        assertThatThrownBy(() -> BeaconCodec.decode(big, 0, big.length, 256))
                .isInstanceOfSatisfying(BeaconDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void decodesASliceOfALargerBuffer() throws Exception {
        byte[] example = hex(EXAMPLE);
        byte[] buf = new byte[example.length + 10];
        System.arraycopy(example, 0, buf, 5, example.length);
        assertThat(BeaconCodec.decode(buf, 5, example.length, 1024).periodSeconds()).hasValue(2);
    }

    @Test
    void sequenceNumberRangeIsEnforcedOnConstruction() {
        assertThatThrownBy(() -> Beacon.of(eid("dtn://n/"), Beacon.MAX_SEQUENCE_NUMBER + 1, List.of(), List.of(), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
