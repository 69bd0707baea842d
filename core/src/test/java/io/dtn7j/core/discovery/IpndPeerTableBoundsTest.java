package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile beacons against IPND's peer table: a flood of distinct node IDs fills it only up to its bound (each new
 * peer costs the daemon an agent peer and a re-forwarding of every stored bundle), and a beacon announcing an absurd
 * period keeps its peer a day at most, not centuries.
 */
@Timeout(120)
class IpndPeerTableBoundsTest {

    private static final long MAX_PERIOD = 0xFFFF_FFFFL; // the largest period the codec accepts

    private static IpndConfig config() {
        return IpndConfig.builder(EndpointId.parse("dtn://victim/")).port(0)
                .destination(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
                .interval(Duration.ofSeconds(1))
                .clas(List.of(ClaAdvertisement.of("mtcp", 16162))).build();
    }

    private static byte[] beacon(String node, long period) {
        return BeaconCodec.encode(Beacon.of(EndpointId.parse("dtn://" + node + "/"), 0,
                List.of(ClaAdvertisement.of("mtcp", 16162)), List.of(), OptionalLong.of(period)));
    }

    private static void waitFor(java.util.function.BooleanSupplier c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /**
     * One 40-byte spoofed beacon announcing the largest period (2^32-1 s) keeps a peer in the table (and in the
     * agent, as a forwarding candidate) for 2 * 136 years: nothing clamps the announced period.
     */
    @Test
    void anAbsurdAnnouncedPeriodDoesNotPinAPeerForCenturies() throws Exception {
        try (IpndService victim = IpndService.start(config(), new PeerRecorderStub());
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] b = beacon("ghost", MAX_PERIOD);
            attacker.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), victim.port()));
            waitFor(() -> !victim.peers().isEmpty(), Duration.ofSeconds(5));
            assertThat(victim.peers()).hasSize(1);
            assertThat(victim.peers().get(0).timeout()).as("how long one beacon keeps the ghost peer")
                    .isLessThanOrEqualTo(Duration.ofDays(1));
        }
    }

    /**
     * 20,000 beacons of about 40 bytes (0.8 MB of traffic), each with a new node ID: the table stops at its bound, the
     * listener hears of that many peers, and the rest are counted as refused.
     */
    @Test
    void aFloodOfDistinctNodeIdsDoesNotGrowThePeerTableWithoutBound() throws Exception {
        int n = 20_000;
        AtomicInteger seen = new AtomicInteger();
        DiscoveryListener counting = new DiscoveryListener() {
            @Override
            public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
                seen.incrementAndGet();
            }

            @Override
            public void peerExpired(EndpointId nodeId) {
            }
        };
        try (IpndService victim = IpndService.start(config(), counting);
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < n; i++) {
                byte[] b = beacon("ghost" + i, MAX_PERIOD);
                attacker.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), victim.port()));
                if (i % 200 == 199) { // pace, so the socket buffer does not drop them
                    int sent = i + 1;
                    waitFor(() -> victim.statistics().beaconsAccepted() >= sent, Duration.ofSeconds(5));
                }
            }
            waitFor(() -> victim.statistics().beaconsAccepted() >= n, Duration.ofSeconds(10));
            assertThat(victim.peers()).as("peers kept after a flood of " + n + " distinct node IDs")
                    .hasSize(IpndService.MAX_PEERS);
            assertThat(seen.get()).as("new peers reported to the listener").isEqualTo(IpndService.MAX_PEERS);
            assertThat(victim.statistics().peersRefused()).isEqualTo(n - IpndService.MAX_PEERS);
        }
    }

    private static final class PeerRecorderStub implements DiscoveryListener {
        @Override
        public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
        }

        @Override
        public void peerExpired(EndpointId nodeId) {
        }
    }
}
