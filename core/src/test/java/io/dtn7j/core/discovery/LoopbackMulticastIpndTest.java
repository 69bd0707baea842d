package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<String, List<DiscoveredAddress>> seenByA = new ConcurrentHashMap<>();
        Map<String, List<DiscoveredAddress>> seenByB = new ConcurrentHashMap<>();
        try (IpndService a = IpndService.start(config("dtn://lo-a/", port, lo, 16170), listener(seenByA));
             IpndService b = IpndService.start(config("dtn://lo-b/", port, lo, 16171), listener(seenByB))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((seenByA.isEmpty() || seenByB.isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(seenByA).containsOnlyKeys("dtn://lo-b/");
            assertThat(seenByB).containsOnlyKeys("dtn://lo-a/");
            assertThat(seenByA.get("dtn://lo-b/")).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 16171));
            assertThat(seenByB.get("dtn://lo-a/")).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 16170));
            assertThat(a.statistics().beaconsSent()).isPositive();
            assertThat(a.statistics().sendErrors()).isZero();
        }
    }

    private static IpndConfig config(String node, int port, NetworkInterface lo, int mtcpPort) {
        return IpndConfig.builder(EndpointId.parse(node)).port(port).destination("224.0.0.26:" + port)
                .allowInterface(lo.getName()).multicastLoopback(true).interval(Duration.ofMillis(100))
                .clas(List.of(ClaAdvertisement.of("mtcp", mtcpPort))).build();
    }

    private static DiscoveryListener listener(Map<String, List<DiscoveredAddress>> seen) {
        return new DiscoveryListener() {
            @Override
            public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
                seen.put(nodeId.uri(), addresses);
            }

            @Override
            public void peerExpired(EndpointId nodeId) {
                seen.remove(nodeId.uri());
            }
        };
    }
}
