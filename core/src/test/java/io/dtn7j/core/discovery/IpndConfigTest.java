package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.EndpointId;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IpndConfigTest {

    private static EndpointId eid(String s) {
        try {
            return EndpointId.parse(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void defaultsAreThoseOfDtn7Rs() {
        IpndConfig c = IpndConfig.builder(eid("dtn://n/")).build();
        assertThat(c.port()).isEqualTo(3003);
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.peerTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.effectiveDestinations()).containsExactly(new InetSocketAddress("224.0.0.26", 3003));
        IpndConfig both = IpndConfig.builder(eid("dtn://n/")).ipv6(true).build();
        assertThat(both.effectiveDestinations()).containsExactly(
                new InetSocketAddress("224.0.0.26", 3003), new InetSocketAddress("ff02::1", 3003));
    }

    @Test
    void destinationsParseLikeDtndDashE() {
        assertThat(IpndConfig.parseDestination("192.168.1.255")).isEqualTo(new InetSocketAddress("192.168.1.255", 3003));
        assertThat(IpndConfig.parseDestination("10.0.0.1:4000")).isEqualTo(new InetSocketAddress("10.0.0.1", 4000));
        assertThat(IpndConfig.parseDestination("[ff02::1]:3004")).isEqualTo(new InetSocketAddress("ff02::1", 3004));
        assertThat(IpndConfig.parseDestination("ff02::1")).isEqualTo(new InetSocketAddress("ff02::1", 3003));
        assertThatThrownBy(() -> IpndConfig.parseDestination("example.org")).hasMessageContaining("not an IP address literal");
        assertThatThrownBy(() -> IpndConfig.parseDestination("10.0.0.1:99999")).hasMessageContaining("outside");
        assertThatThrownBy(() -> IpndConfig.parseDestination("10.0.0.1:x")).hasMessageContaining("invalid port");
    }

    @Test
    void familiesFilterDestinationsAndBadValuesAreRejected() {
        IpndConfig v4only = IpndConfig.builder(eid("dtn://n/")).destination("10.0.0.1").destination("[fd00::1]:3003").build();
        assertThat(v4only.effectiveDestinations()).containsExactly(new InetSocketAddress("10.0.0.1", 3003));
        assertThatThrownBy(() -> IpndConfig.builder(eid("dtn://n/")).interval(Duration.ZERO).build())
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> IpndConfig.builder(eid("dtn://n/")).ipv4(false).build()).hasMessageContaining("IPv4, IPv6");
    }
}
