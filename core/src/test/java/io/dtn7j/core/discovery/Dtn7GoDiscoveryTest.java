package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.LocalEndpoint;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dtn7-go's discovery between dtn7j services and nodes over IPv4 multicast on the loopback interface only (the
 * real group 224.23.23.23 on a free port, except the DtnNode test, which uses dtn7-go's port 35039 as a real node
 * does). Skipped, with the probe's reason, where the kernel or sandbox does not loop multicast back over loopback.
 * The exchange with a real dtn7-go node is {@code interop.Dtn7GoInteropTest}.
 */
class Dtn7GoDiscoveryTest {

    private static final InetAddress GROUP = Dtn7GoDiscovery.DEFAULT_GROUP.getAddress();
    private NetworkInterface lo;
    private int port;

    @BeforeEach
    void probe() throws Exception {
        Optional<String> why = LoopbackMulticast.unavailableReason(GROUP);
        Assumptions.assumeTrue(why.isEmpty(), () -> "loopback multicast unavailable: " + why.orElse(""));
        lo = LoopbackMulticast.loopbackInterface().orElseThrow();
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
    }

    private Dtn7GoDiscovery.Config config(String node, int mtcpPort) {
        return Dtn7GoDiscovery.Config.of(EndpointId.parse(node),
                        () -> List.of(ClaAdvertisement.of("mtcp", mtcpPort), ClaAdvertisement.of("udp", 4556)))
                .withInterfaces(lo.getName()).withGroup(new InetSocketAddress(GROUP, port))
                .withTiming(Duration.ofMillis(100), Duration.ofMillis(600));
    }

    @Test
    void twoServicesAnnounceTheirMtcpPortsToEachOtherAndExpireWhenOneStops() throws Exception {
        PeerRecorder seenByA = new PeerRecorder();
        PeerRecorder seenByB = new PeerRecorder();
        try (Dtn7GoDiscovery a = Dtn7GoDiscovery.start(config("dtn://go-a/", 16170), seenByA)) {
            try (Dtn7GoDiscovery b = Dtn7GoDiscovery.start(config("dtn://go-b/", 16171), seenByB)) {
                await(() -> seenByA.seen.containsKey("dtn://go-b/") && seenByB.seen.containsKey("dtn://go-a/"));

                assertThat(seenByA.seen).containsOnlyKeys("dtn://go-b/"); // not itself
                assertThat(seenByA.seen.get("dtn://go-b/")).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 16171));
                assertThat(seenByB.seen.get("dtn://go-a/")).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 16170));
                assertThat(a.announcements()).containsExactly(Dtn7GoAnnouncement.mtcp(EndpointId.parse("dtn://go-a/"), 16170));
                assertThat(a.peers()).containsOnlyKeys(EndpointId.parse("dtn://go-b/"));
                assertThat(a.sent()).isPositive();
                assertThat(a.rejected()).isZero();
            }
            await(() -> seenByA.expired.contains("dtn://go-b/"));
            assertThat(a.peers()).isEmpty();
        }
    }

    @Test
    void garbageOnTheGroupIsCountedAndDroppedAndTheServiceKeepsWorking() throws Exception {
        PeerRecorder seen = new PeerRecorder();
        try (Dtn7GoDiscovery a = Dtn7GoDiscovery.start(config("dtn://go-a/", 16170), seen);
             DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET)) {
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo).setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            InetSocketAddress to = new InetSocketAddress(GROUP, port);
            for (String hex : List.of("ff", "9bffffffffffffffff", "81830a8201692f2f676f6e6f64652f1a00010000", "")) {
                tx.send(ByteBuffer.wrap(java.util.HexFormat.of().parseHex(hex)), to);
            }
            tx.send(ByteBuffer.wrap(java.util.HexFormat.of().parseHex("81830a8201692f2f676f6e6f64652f1946a1")), to);

            await(() -> seen.seen.containsKey("dtn://gonode/"));
            assertThat(seen.seen.get("dtn://gonode/")).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 18081));
            await(() -> a.rejected() == 4);
            assertThat(a.accepted()).isEqualTo(1);
        }
    }

    @Test
    void theUnspecifiedSourceAddressMeansThisHost() throws Exception {
        assertThat(Dtn7GoDiscovery.hostOf(InetAddress.getByName("0.0.0.0"))).isEqualTo("127.0.0.1");
        assertThat(Dtn7GoDiscovery.hostOf(InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void twoNodesFindEachOtherByDtn7GoDiscoveryAloneAndExchangeABundle() throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        try (DtnNode a = DtnNode.builder("dtn://goa" + suffix + "/").mtcpPort(0).discovery(false)
                .dtn7goDiscovery(lo.getName()).start();
             DtnNode b = DtnNode.builder("dtn://gob" + suffix + "/").mtcpPort(0).discovery(false)
                .dtn7goDiscovery(lo.getName()).start()) {
            LocalEndpoint inbox = b.register("inbox");
            await(() -> a.discover().stream().anyMatch(p -> p.nodeId().equals("dtn://gob" + suffix + "/")));
            assertThat(a.discover()).filteredOn(p -> p.nodeId().equals("dtn://gob" + suffix + "/"))
                    .singleElement().satisfies(p -> assertThat(p.addresses())
                            .contains("mtcp://127.0.0.1:" + b.port("mtcp")));

            a.register("out").send("found by dtn7-go discovery".getBytes(), "dtn://gob" + suffix + "/inbox", false);

            assertThat(inbox.receive().get(20, TimeUnit.SECONDS).text()).isEqualTo("found by dtn7-go discovery");
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
