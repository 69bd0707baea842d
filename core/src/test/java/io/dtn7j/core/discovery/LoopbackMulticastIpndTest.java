package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two IPND services on one host find each other by IPv4 multicast over the loopback interface only (allow-list
 * {@code lo}, destination the dtn7-rs group 224.0.0.26 on a shared port, no unicast destination). Skipped, with
 * the probe's reason, where the kernel or sandbox does not loop multicast back over loopback.
 */
class LoopbackMulticastIpndTest {

    @Test
    void twoServicesFindEachOtherByMulticastOverLoopback() throws Exception {
        InetAddress group = InetAddress.getByName("224.0.0.26");
        Optional<String> why = LoopbackMulticast.unavailableReason(group);
        Assumptions.assumeTrue(why.isEmpty(), () -> "loopback multicast unavailable: " + why.orElse(""));
        NetworkInterface lo = LoopbackMulticast.loopbackInterface().orElseThrow();
        List<Map<String, List<DiscoveredAddress>>> seen = PeerRecorder.discoverEachOther("lo",
                (node, port, mtcpPort) -> config(node, port, lo, mtcpPort));
        assertThat(seen.get(0).get("dtn://lo-b/")).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 16171));
        assertThat(seen.get(1).get("dtn://lo-a/")).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 16170));
    }

    private static IpndConfig config(String node, int port, NetworkInterface lo, int mtcpPort) {
        return IpndConfig.builder(EndpointId.parse(node)).port(port).destination("224.0.0.26:" + port)
                .allowInterface(lo.getName()).multicastLoopback(true).interval(Duration.ofMillis(100))
                .clas(List.of(ClaAdvertisement.of("mtcp", mtcpPort))).build();
    }
}
