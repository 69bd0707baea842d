package io.dtn7j.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.daemon.api.Hex;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Hostile text never gets more than an IllegalArgumentException out of the daemon's parsers. */
class ParserPropertiesTest {

    @Property(tries = 2000)
    void humantimeOnlyThrowsIllegalArgument(@ForAll @StringLength(max = 40) String s) {
        try {
            assertThat(Humantime.parse(s)).isNotNull();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 500)
    void humantimeRoundTrips(@ForAll @LongRange(min = 0, max = 10L * 365 * 86_400_000) long ms) {
        assertThat(Humantime.parse(Humantime.format(Duration.ofMillis(ms))).toMillis()).isEqualTo(ms);
    }

    @Property(tries = 2000)
    void peerUrlOnlyThrowsIllegalArgument(@ForAll @StringLength(max = 60) String s) {
        try {
            PeerUrl u = PeerUrl.parse(s);
            assertThat(PeerUrl.parse(u.toString())).isEqualTo(u);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 500)
    void peerUrlRoundTrips(@ForAll("names") String name, @ForAll @IntRange(min = 1, max = 65535) int port) {
        PeerUrl u = PeerUrl.parse("tcp://10.1.2.3:" + port + "/" + name);
        assertThat(u.port()).isEqualTo(port);
        assertThat(PeerUrl.parse(u.toString())).isEqualTo(u);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> names() {
        return net.jqwik.api.Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
    }

    @Property(tries = 2000)
    void claSpecAndHexOnlyThrowIllegalArgument(@ForAll @StringLength(max = 40) String s) {
        try {
            DaemonConfig.ClaSpec.parse(s);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            byte[] b = Hex.decode(s);
            assertThat(Hex.encode(b)).isEqualToIgnoringCase(s);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void nodeIdRuleOnlyThrowsIllegalArgument(@ForAll @StringLength(max = 30) String s) {
        try {
            String id = DaemonConfig.nodeIdFrom(s);
            assertThat(id).matches("dtn://[^/]+/|ipn:\\d+\\.0");
        } catch (IllegalArgumentException | ArithmeticException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
