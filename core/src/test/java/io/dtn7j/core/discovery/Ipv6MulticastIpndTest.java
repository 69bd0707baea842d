package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two IPND services on one host, IPv6 only, find each other by multicast to dtn7-rs's IPv6 group {@code ff02::1}
 * (no unicast destination). Linux's {@code lo} cannot carry IPv6 multicast, so this uses the first up,
 * multicast-capable interface with an IPv6 address, with IP_MULTICAST_LOOP on; the beacons go to the link-local
 * all-nodes group on a random port (not IPND's 3003), so no node on the link takes them for its own. Skipped, with
 * the probe's reason, where there is no such interface or its multicast does not come back.
 */
class Ipv6MulticastIpndTest {

    @Test
    void twoIpv6OnlyServicesFindEachOtherByMulticast() throws Exception {
        InetAddress group = InetAddress.getByName(IpndConfig.DEFAULT_IPV6_GROUP);
        Optional<NetworkInterface> found = LoopbackMulticast.ipv6MulticastInterface();
        Assumptions.assumeTrue(found.isPresent(), "no up multicast-capable interface with an IPv6 address");
        NetworkInterface ni = found.get();
        Optional<String> why = LoopbackMulticast.unavailableReason(group, ni);
        Assumptions.assumeTrue(why.isEmpty(), () -> "IPv6 multicast unavailable: " + why.orElse(""));
        Set<InetAddress> own = Collections.list(ni.getInetAddresses()).stream()
                .filter(a -> a instanceof Inet6Address).collect(Collectors.toSet());
        List<Map<String, List<DiscoveredAddress>>> seen = PeerRecorder.discoverEachOther("v6",
                (node, port, mtcpPort) -> config(node, port, ni, mtcpPort));
        DiscoveredAddress ofB = seen.get(0).get("dtn://v6-b/").getFirst();
        assertThat(ofB.cla()).isEqualTo("mtcp");
        assertThat(ofB.port()).isEqualTo(16171);
        // the beacon's source: one of this interface's IPv6 addresses (a link-local one keeps its zone)
        assertThat(InetAddress.getByName(ofB.host())).isIn(own);
        assertThat(seen.get(1).get("dtn://v6-a/").getFirst().port()).isEqualTo(16170);
    }

    private static IpndConfig config(String node, int port, NetworkInterface ni, int mtcpPort) {
        return IpndConfig.builder(EndpointId.parse(node)).port(port).ipv4(false).ipv6(true)
                .destination("[" + IpndConfig.DEFAULT_IPV6_GROUP + "]:" + port).allowInterface(ni.getName())
                .multicastLoopback(true).interval(Duration.ofMillis(100))
                .clas(List.of(ClaAdvertisement.of("mtcp", mtcpPort))).build();
    }
}
