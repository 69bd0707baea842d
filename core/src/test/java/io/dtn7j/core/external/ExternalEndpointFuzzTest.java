package io.dtn7j.core.external;

import io.dtn7j.core.api.Message;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a daemon answers to {@code GET /endpoint}, polling gives a message or a typed error, never a crash. */
class ExternalEndpointFuzzTest {

    private static FakeDaemon daemon;
    private static ExternalEndpoint endpoint;

    @BeforeContainer
    static void start() throws Exception {
        daemon = new FakeDaemon("dtn://node1/");
        endpoint = ExternalEndpoint.connect(daemon.url(), "fuzz");
    }

    @AfterContainer
    static void stop() throws Exception {
        endpoint.close();
        daemon.close();
    }

    @Property(tries = 150)
    void hostileBodiesGiveAMessageOrATypedError(@ForAll("bodies") byte[] body) {
        daemon.endpointOverride = body;
        try {
            Optional<Message> m = endpoint.poll();
            assertThat(m).isPresent(); // only a real bundle decodes
        } catch (ExternalEndpointException e) {
            assertThat(e.getMessage()).contains("GET /endpoint?fuzz");
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        // random bytes, and CBOR-ish prefixes (indefinite arrays, huge claimed lengths) that a lazy parser trusts
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> cborish = Arbitraries.of(
                new byte[] {(byte) 0x9f}, new byte[] {(byte) 0x9f, (byte) 0x89, 0x07},
                new byte[] {(byte) 0x9f, (byte) 0x5b, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                new byte[] {(byte) 0x9b, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff});
        return Arbitraries.oneOf(random, cborish, random.map(b -> {
            byte[] out = new byte[b.length + 1];
            out[0] = (byte) 0x9f;
            System.arraycopy(b, 0, out, 1, b.length);
            return out;
        }));
    }
}
