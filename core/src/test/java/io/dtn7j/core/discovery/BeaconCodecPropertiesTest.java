package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips and fuzzing of the beacon parser: any input gives a beacon or a BeaconDecodeException, nothing else. */
class BeaconCodecPropertiesTest {

    private static final byte[] EXAMPLE = HexFormat.of().parseHex("8607078201682f2f6e6f6465312f00828182646d746370193f22a002");

    @Provide
    Arbitrary<Beacon> beacons() {
        Arbitrary<EndpointId> eids = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(s -> parse("dtn://" + s + "/")),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(n -> parse("ipn:" + n + ".0")));
        Arbitrary<List<ClaAdvertisement>> clas = Combinators.combine(
                Arbitraries.of("mtcp", "tcp", "udp", "http", "httppull", "x-ñ"),
                Arbitraries.integers().between(0, 65535).injectNull(0.1))
                .as(ClaAdvertisement::new).list().ofMaxSize(5);
        Arbitrary<List<BeaconService>> services = Combinators.combine(
                Arbitraries.integers().between(0, 255), Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                .as(BeaconService::new).list().ofMaxSize(4).uniqueElements(BeaconService::tag);
        Arbitrary<OptionalLong> period = Arbitraries.longs().between(0, 0xffff_ffffL).injectNull(0.4)
                .map(p -> p == null ? OptionalLong.empty() : OptionalLong.of(p));
        return Combinators.combine(eids, Arbitraries.longs().between(0, Beacon.MAX_SEQUENCE_NUMBER), clas, services, period)
                .as(Beacon::of);
    }

    private static EndpointId parse(String s) {
        try {
            return EndpointId.parse(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 300)
    void encodeThenDecodeGivesTheSameBeacon(@ForAll("beacons") Beacon beacon) throws Exception {
        assertThat(BeaconCodec.decode(BeaconCodec.encode(beacon))).isEqualTo(beacon);
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverEscapeAsAnythingButTypedErrors(@ForAll @Size(max = 200) byte[] data) {
        decodeExpectingOnlyTypedErrors(data);
    }

    @Property(tries = 2000)
    void mutatedValidBeaconsNeverEscapeAsAnythingButTypedErrors(
            @ForAll("beacons") Beacon beacon, @ForAll @IntRange(min = 0, max = 10_000) int where,
            @ForAll byte newValue, @ForAll @IntRange(min = 0, max = 3) int mutation) {
        byte[] valid = BeaconCodec.encode(beacon);
        int at = where % valid.length;
        byte[] mutated = switch (mutation) {
            case 0 -> {
                byte[] m = valid.clone();
                m[at] = newValue;
                yield m;
            }
            case 1 -> java.util.Arrays.copyOf(valid, at); // truncated
            case 2 -> {
                byte[] m = new byte[valid.length + 1]; // inserted byte
                System.arraycopy(valid, 0, m, 0, at);
                m[at] = newValue;
                System.arraycopy(valid, at, m, at + 1, valid.length - at);
                yield m;
            }
            default -> {
                byte[] m = valid.clone(); // a length-bearing head made huge
                m[at] = (byte) ((m[at] & 0xe0) | 0x1b);
                yield m;
            }
        };
        decodeExpectingOnlyTypedErrors(mutated);
    }

    @Property(tries = 500)
    void everyTruncationOfTheExampleIsRejectedAsTruncated(@ForAll @IntRange(min = 0, max = 27) int length) {
        try {
            BeaconCodec.decode(EXAMPLE, 0, length, 1024);
            throw new AssertionError("a truncated beacon of " + length + " bytes decoded");
        } catch (BeaconDecodeException e) {
            assertThat(e.reason()).isIn(BeaconDecodeException.Reason.TRUNCATED, BeaconDecodeException.Reason.LENGTH_EXCEEDS_INPUT);
        }
    }

    private static void decodeExpectingOnlyTypedErrors(byte[] data) {
        try {
            Beacon b = BeaconCodec.decode(data);
            // whatever decoded must re-encode and decode to the same content
            Beacon again = BeaconCodec.decode(BeaconCodec.encode(Beacon.of(b.nodeId(), b.sequenceNumber(), b.clas(),
                    b.services(), b.periodSeconds())));
            assertThat(again.nodeId()).isEqualTo(b.nodeId());
            assertThat(again.clas()).isEqualTo(b.clas());
        } catch (BeaconDecodeException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 200)
    void aValidBeaconFollowedByJunkIsRejected(@ForAll("beacons") Beacon beacon, @ForAll @Size(min = 1, max = 5) List<Byte> junk) {
        byte[] valid = BeaconCodec.encode(beacon);
        List<Byte> all = new ArrayList<>();
        for (byte b : valid) {
            all.add(b);
        }
        all.addAll(junk);
        byte[] data = new byte[all.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = all.get(i);
        }
        try {
            BeaconCodec.decode(data);
            throw new AssertionError("junk after a beacon was accepted");
        } catch (BeaconDecodeException e) {
            assertThat(e.reason()).isEqualTo(BeaconDecodeException.Reason.TRAILING_BYTES);
        }
    }
}
