package io.dtn7j.daemon.ecla;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.discovery.BeaconDecodeException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Hostile ECLA packets and service blocks give typed errors with messages, never anything else. */
class EclaPacketPropertiesTest {
    private static final List<String> VALID = List.of(
            "{\"type\":\"Register\",\"name\":\"lora\",\"enable_beacon\":true,\"port\":4711}",
            "{\"type\":\"Beacon\",\"eid\":[1,\"//node2/\"],\"addr\":\"a\",\"service_block\":\"gA==\"}",
            "{\"type\":\"Beacon\",\"eid\":[2,[23,0]],\"addr\":\"a\",\"service_block\":\"gA==\"}",
            "{\"type\":\"ForwardData\",\"src\":\"a\",\"dst\":\"b\",\"bundle_id\":\"x\",\"data\":\"AAEC\"}",
            "{\"type\":\"Registered\",\"eid\":[1,\"//n/\"],\"nodeid\":\"dtn://n/\"}",
            "{\"type\":\"Error\",\"reason\":\"r\"}");

    @Property(tries = 2000)
    void arbitraryTextOnlyGivesProtocolErrors(@ForAll @StringLength(max = 120) String s) {
        parseSafely(s);
    }

    @Provide
    Arbitrary<String> mutated() {
        return Arbitraries.of(VALID).flatMap(v -> Arbitraries.integers().between(0, v.length() - 1).flatMap(i ->
                Arbitraries.strings().ofMaxLength(6).withChars("{}[]\",:01-9azAZ /=+tnf").map(ins ->
                        v.substring(0, i) + ins + v.substring(Math.min(v.length(), i + ins.length() % 3)))));
    }

    @Property(tries = 3000)
    void mutatedPacketsOnlyGiveProtocolErrors(@ForAll("mutated") String s) {
        parseSafely(s);
    }

    @Property(tries = 200)
    void validPacketsRoundTrip(@ForAll("valid") String s) throws Exception {
        EclaPacket p = EclaPacket.parse(s);
        assertThat(EclaPacket.parse(p.toJson()).toJson()).isEqualTo(p.toJson());
    }

    @Provide
    Arbitrary<String> valid() {
        return Arbitraries.of(VALID);
    }

    @Property(tries = 3000)
    void serviceBlocksOnlyGiveBeaconDecodeErrors(@ForAll @Size(max = 64) List<Byte> bytes) {
        byte[] b = new byte[bytes.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = bytes.get(i);
        }
        if (b.length > 0) {
            b[0] = (byte) (0x80 | (b[0] & 0x1f)); // mostly arrays, so the decoder goes deep
        }
        try {
            ServiceBlocks.decode(b);
        } catch (BeaconDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static void parseSafely(String s) {
        try {
            EclaPacket p = EclaPacket.parse(s);
            assertThat(p.toJson()).contains("\"type\"");
        } catch (EclaProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
