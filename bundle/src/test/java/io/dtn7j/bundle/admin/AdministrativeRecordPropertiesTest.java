package io.dtn7j.bundle.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Round-trip and mutation properties of the administrative record codec. */
class AdministrativeRecordPropertiesTest {

    @Provide
    static Arbitrary<EndpointId> eids() {
        Arbitrary<EndpointId> ipn = Combinators.combine(Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL)).as(EndpointId::ipn);
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12)
                .filter(s -> Character.isLetter(s.charAt(0)));
        Arbitrary<String> demux = Arbitraries.strings().withCharRange('a', 'z').withChars('/', '~', '-').ofMaxLength(20)
                .filter(s -> !s.startsWith("/"));
        Arbitrary<EndpointId> dtn = Combinators.combine(names, demux).as(EndpointId::dtn);
        return Arbitraries.oneOf(ipn, dtn, Arbitraries.just(EndpointId.NONE));
    }

    @Provide
    static Arbitrary<StatusAssertion> assertions() {
        return Arbitraries.oneOf(Arbitraries.just(StatusAssertion.NOT_ASSERTED), Arbitraries.just(StatusAssertion.ASSERTED),
                Arbitraries.longs().map(StatusAssertion::at));
    }

    @Provide
    static Arbitrary<BundleStatusReport> reports() {
        Arbitrary<long[]> fragment = Arbitraries.oneOf(Arbitraries.just(new long[] {-1, -1}),
                Combinators.combine(Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0))
                        .as((o, l) -> new long[] {o, l}));
        Arbitrary<long[]> codes = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs())
                .as((a, b, c) -> new long[] {a, b, c});
        return Combinators.combine(assertions(), assertions(), assertions(), assertions(), eids(), codes, fragment)
                .as((a, b, c, d, eid, n, f) -> new BundleStatusReport(a, b, c, d, n[0], eid,
                        new CreationTimestamp(n[1], n[2]), f[0], f[1]));
    }

    @Property(tries = 500)
    void decodeInvertsEncode(@ForAll("reports") BundleStatusReport report) {
        byte[] enc = report.encode();
        AdministrativeRecord back = AdministrativeRecord.decode(enc);
        assertThat(back).isEqualTo(report);
        assertThat(back.encode()).isEqualTo(enc);
    }

    @Property(tries = 200)
    void unknownRecordsRoundTrip(@ForAll("reports") BundleStatusReport inner) {
        // any well-formed CBOR item as content: reuse a report's encoding as an opaque item under another type code
        byte[] content = inner.encode();
        UnknownAdministrativeRecord u = new UnknownAdministrativeRecord(77, content);
        assertThat(AdministrativeRecord.decode(u.encode())).isEqualTo(u);
    }

    /** Random byte edits of valid records give a record or a typed error, never another exception. */
    @Test
    void mutatedRecordsNeverCrashTheDecoder() {
        Random rnd = new Random(0x5eed);
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(TestVectors.hex("/vectors/bpv7-bundles.json", "bespoke-admin-status-report", "hex", "payload"));
        reports().sampleStream().limit(40).forEach(r -> corpus.add(r.encode()));
        corpus.add(new UnknownAdministrativeRecord(9, HexFormat.of().parseHex("a2018203f66161c24101")).encode());
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] m = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
            try {
                AdministrativeRecord rec = AdministrativeRecord.decode(m);
                accepted++;
                // whatever was accepted re-encodes to something that decodes to the same record
                assertThat(AdministrativeRecord.decode(rec.encode())).isEqualTo(rec);
            } catch (BundleDecodeException e) {
                rejected++;
                assertThat(e.reason()).isNotNull();
            } catch (RuntimeException | StackOverflowError e) {
                fail("input " + HexFormat.of().formatHex(m) + " crashed the decoder", e);
            }
        }
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in;
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int kind = rnd.nextInt(6);
            if (b.length == 0) {
                kind = 3;
            }
            switch (kind) {
                case 0 -> { // flip a bit
                    b = b.clone();
                    int p = rnd.nextInt(b.length);
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                }
                case 1 -> { // overwrite a byte
                    b = b.clone();
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                case 2 -> { // delete a byte
                    int p = rnd.nextInt(b.length);
                    byte[] n = new byte[b.length - 1];
                    System.arraycopy(b, 0, n, 0, p);
                    System.arraycopy(b, p + 1, n, p, b.length - p - 1);
                    b = n;
                }
                case 3 -> { // insert a byte
                    int p = rnd.nextInt(b.length + 1);
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, p);
                    n[p] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, p, n, p + 1, b.length - p);
                    b = n;
                }
                case 4 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncate
                default -> { // set a byte to a CBOR head that claims a huge length
                    b = b.clone();
                    int[] heads = {0x5b, 0x7b, 0x9b, 0xbb, 0x9f, 0xff, 0x1b, 0xdb};
                    b[rnd.nextInt(b.length)] = (byte) heads[rnd.nextInt(heads.length)];
                }
            }
        }
        return b;
    }

    @Property(tries = 100)
    void statusAssertionTimesSurvive(@ForAll long t) {
        BundleStatusReport r = new BundleStatusReport(StatusAssertion.at(t), StatusAssertion.NOT_ASSERTED,
                StatusAssertion.NOT_ASSERTED, StatusAssertion.NOT_ASSERTED, 0, EndpointId.NONE,
                new CreationTimestamp(0, 0), -1, -1);
        assertThat(((BundleStatusReport) AdministrativeRecord.decode(r.encode())).received().time())
                .isEqualTo(OptionalLong.of(t));
    }
}
