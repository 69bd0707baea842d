package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.discovery.BeaconDecodeException.Reason;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** dtn7-go's discovery message: the bytes a real dtnd sent, round trips, hostile input. */
class Dtn7GoAnnouncementTest {

    /**
     * Captured from dtn7-go v0.10.1's dtnd (node {@code dtn://gonode/}, MTCP listener on port 18081) on loopback,
     * 2026-11-24: {@code [[10, [1, "//gonode/"], 18081]]}.
     */
    private static final byte[] DTND = HexFormat.of().parseHex("81830a8201692f2f676f6e6f64652f1946a1");

    @Test
    void decodesWhatDtndSends() throws Exception {
        List<Dtn7GoAnnouncement> list = Dtn7GoAnnouncement.decode(DTND, 0, DTND.length);

        assertThat(list).containsExactly(Dtn7GoAnnouncement.mtcp(EndpointId.parse("dtn://gonode/"), 18081));
        assertThat(list.get(0).claName()).hasValue("mtcp");
    }

    @Test
    void encodesExactlyAsDtndDoes() throws Exception {
        byte[] ours = Dtn7GoAnnouncement.encode(List.of(Dtn7GoAnnouncement.mtcp(EndpointId.parse("dtn://gonode/"), 18081)));

        assertThat(HexFormat.of().formatHex(ours)).isEqualTo(HexFormat.of().formatHex(DTND));
    }

    @Test
    void ipnNodesAndSeveralClasRoundTrip() throws Exception {
        List<Dtn7GoAnnouncement> list = List.of(new Dtn7GoAnnouncement(Dtn7GoAnnouncement.TCPCLV4, EndpointId.parse("ipn:23.0"), 4556),
                Dtn7GoAnnouncement.mtcp(EndpointId.parse("ipn:23.0"), 16162),
                new Dtn7GoAnnouncement(Dtn7GoAnnouncement.QUICL, EndpointId.parse("ipn:23.0"), 35037));
        byte[] wire = Dtn7GoAnnouncement.encode(list);

        assertThat(Dtn7GoAnnouncement.decode(wire, 0, wire.length)).isEqualTo(list);
        assertThat(list).extracting(a -> a.claName().orElse("-")).containsExactly("tcp", "mtcp", "-");
    }

    @Test
    void anEmptyMessageIsValid() throws Exception {
        assertThat(Dtn7GoAnnouncement.decode(new byte[] {(byte) 0x80}, 0, 1)).isEmpty();
    }

    @Test
    void hostileMessagesGetTypedReasons() {
        assertReason("a10000", Reason.NOT_A_BEACON); // a map, not an array
        assertReason("8182 0a00", Reason.NOT_A_BEACON); // entry of two
        assertReason("8183298201692f2f676f6e6f64652f1946a1", Reason.VALUE_OUT_OF_RANGE); // negative CLA type
        assertReason("81830a8201692f2f676f6e6f64652f1a00010000", Reason.VALUE_OUT_OF_RANGE); // port 65536
        assertReason("81830a82016967676f6e6f64652f2f1946a1", Reason.INVALID_EID); // SSP without //
        assertReason("81830a6567676f6e6f1946a1", Reason.INVALID_EID); // node ID as text
        assertReason("81830a8201692f2f676f6e6f64652f1946", Reason.TRUNCATED);
        assertReason("81830a8201692f2f676f6e6f64652f1946a100", Reason.TRAILING_BYTES);
        assertReason("9bffffffffffffffff", Reason.LENGTH_EXCEEDS_INPUT); // claims 2^64-1 entries
        assertReason("81830a82017bffffffffffffffff", Reason.LENGTH_EXCEEDS_INPUT); // text claims 2^64-1 bytes
        byte[] huge = new byte[Dtn7GoAnnouncement.MAX_DATAGRAM + 1];
        assertThatThrownBy(() -> Dtn7GoAnnouncement.decode(huge, 0, huge.length))
                .isInstanceOfSatisfying(BeaconDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    private static void assertReason(String hex, Reason reason) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThatThrownBy(() -> Dtn7GoAnnouncement.decode(b, 0, b.length)).as(hex)
                .isInstanceOfSatisfying(BeaconDecodeException.class, e -> assertThat(e.reason()).as(hex).isEqualTo(reason));
    }

    @Test
    void constructorRejectsImpossibleValues() {
        EndpointId node = EndpointId.parse("dtn://n/");
        assertThatThrownBy(() -> new Dtn7GoAnnouncement(10, EndpointId.NONE, 1)).hasMessageContaining("dtn:none");
        assertThatThrownBy(() -> new Dtn7GoAnnouncement(10, node, 65536)).hasMessageContaining("port");
        assertThatThrownBy(() -> new Dtn7GoAnnouncement(-1, node, 1)).hasMessageContaining("CLA type");
    }

    @Provide
    Arbitrary<List<Dtn7GoAnnouncement>> messages() {
        Arbitrary<EndpointId> nodes = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(s -> EndpointId.parse("dtn://" + s + "/")),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(n -> EndpointId.parse("ipn:" + n + ".0")));
        return Combinators.combine(Arbitraries.longs().between(0, 0xffff_ffffL), nodes, Arbitraries.integers().between(0, 65535))
                .as(Dtn7GoAnnouncement::new).list().ofMaxSize(6);
    }

    @Property(tries = 300)
    void encodeThenDecodeGivesTheSameAnnouncements(@ForAll("messages") List<Dtn7GoAnnouncement> list) throws Exception {
        byte[] wire = Dtn7GoAnnouncement.encode(list);
        assertThat(Dtn7GoAnnouncement.decode(wire, 0, wire.length)).isEqualTo(list);
    }

    @Property(tries = 2000)
    void arbitraryBytesGiveAnnouncementsOrTypedErrorsOnly(@ForAll @Size(max = 120) byte[] data) {
        decodeExpectingOnlyTypedErrors(data);
    }

    @Property(tries = 2000)
    void mutatedMessagesGiveAnnouncementsOrTypedErrorsOnly(@ForAll("messages") List<Dtn7GoAnnouncement> list,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value, @ForAll boolean truncate) {
        byte[] wire = Dtn7GoAnnouncement.encode(list);
        int at = where % wire.length;
        byte[] mutated = truncate ? Arrays.copyOf(wire, at) : wire.clone();
        if (!truncate) {
            mutated[at] = value;
        }
        decodeExpectingOnlyTypedErrors(mutated);
    }

    private static void decodeExpectingOnlyTypedErrors(byte[] data) {
        try {
            Dtn7GoAnnouncement.decode(data, 0, data.length);
        } catch (BeaconDecodeException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }
}
