package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.discovery.BeaconDecodeException.Reason;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IPND over real UDP sockets on loopback. */
@Timeout(30)
class IpndServiceTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Records listener calls. */
    static final class Recorder implements DiscoveryListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile List<DiscoveredAddress> lastAddresses = List.of();

        @Override
        public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
            lastAddresses = addresses;
            events.add("seen " + nodeId.uri());
        }

        @Override
        public void peerExpired(EndpointId nodeId) {
            events.add("expired " + nodeId.uri());
        }

        String await(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String e = events.poll(50, TimeUnit.MILLISECONDS);
                if (e != null && e.startsWith(prefix)) {
                    return e;
                }
            }
            throw new AssertionError("no event starting with \"" + prefix + "\" within " + timeout);
        }
    }

    private static EndpointId eid(String s) {
        try {
            return EndpointId.parse(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private IpndService start(IpndConfig.Builder b, DiscoveryListener l) throws IOException {
        IpndService s = IpndService.start(b.build(), l);
        open.add(s);
        return s;
    }

    private static IpndConfig.Builder unicastNode(String name, int claPort) {
        return IpndConfig.builder(eid("dtn://" + name + "/")).port(0)
                .destination(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)) // discard port, replaces multicast default
                .interval(Duration.ofMillis(100))
                .clas(List.of(ClaAdvertisement.of("mtcp", claPort), ClaAdvertisement.of("tcp", claPort + 1)));
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void twoServicesOnLoopbackDiscoverEachOtherAndIgnoreTheirOwnBeacons() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        IpndService a = start(unicastNode("alpha", 16162), ra);
        IpndService b = start(unicastNode("beta", 26162), rb);
        a.addDestination(loopback(b.port()));
        b.addDestination(loopback(a.port()));
        a.addDestination(loopback(a.port())); // a hears itself too

        assertThat(ra.await("seen ", Duration.ofSeconds(5))).isEqualTo("seen dtn://beta/");
        assertThat(rb.await("seen ", Duration.ofSeconds(5))).isEqualTo("seen dtn://alpha/");
        assertThat(ra.lastAddresses).containsExactly(
                new DiscoveredAddress("mtcp", "127.0.0.1", 26162), new DiscoveredAddress("tcp", "127.0.0.1", 26163));
        assertThat(rb.lastAddresses).containsExactly(
                new DiscoveredAddress("mtcp", "127.0.0.1", 16162), new DiscoveredAddress("tcp", "127.0.0.1", 16163));

        waitFor(() -> a.statistics().ownBeaconsIgnored() > 0, Duration.ofSeconds(5));
        assertThat(a.peers()).extracting(DiscoveredPeer::nodeId).containsExactly(eid("dtn://beta/"));
        DiscoveredPeer beta = a.peers().get(0);
        assertThat(beta.lastBeacon().periodSeconds()).hasValue(1); // 100 ms rounds up to 1 s
        assertThat(beta.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.statistics().peersDiscovered()).isEqualTo(1);
        assertThat(a.statistics().badBeaconsDropped()).isZero();
    }

    @Test
    void beaconsCarryIncreasingSequenceNumbersPerDestination() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            sink.setSoTimeout(5000);
            IpndService a = start(unicastNode("seq", 1000).announcePeriod(false), new Recorder());
            a.addDestination(loopback(sink.getLocalPort()));
            List<Beacon> got = new ArrayList<>();
            byte[] buf = new byte[2048];
            while (got.size() < 3) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                sink.receive(p);
                assertThat(p.getPort()).isEqualTo(a.port()); // sent from the listening socket, like dtn7-rs
                got.add(BeaconCodec.decode(java.util.Arrays.copyOf(p.getData(), p.getLength())));
            }
            assertThat(got).extracting(Beacon::sequenceNumber).containsExactly(0L, 1L, 2L);
            assertThat(got.get(0).flags()).isEqualTo(Beacon.FLAG_EID | Beacon.FLAG_SERVICE_BLOCK);
            assertThat(got.get(0).periodSeconds()).isEmpty();
            assertThat(got.get(0).clas()).containsExactly(ClaAdvertisement.of("mtcp", 1000), ClaAdvertisement.of("tcp", 1001));
        }
    }

    @Test
    void peersExpireTwoPeriodsAfterTheirLastBeacon() throws Exception {
        Recorder ra = new Recorder();
        IpndService a = start(unicastNode("alpha", 1), ra);
        IpndService b = start(unicastNode("beta", 2), new Recorder());
        b.addDestination(loopback(a.port()));
        ra.await("seen dtn://beta/", Duration.ofSeconds(5));
        b.close();
        long stopped = System.nanoTime();
        assertThat(ra.await("expired ", Duration.ofSeconds(6))).isEqualTo("expired dtn://beta/");
        long afterMs = (System.nanoTime() - stopped) / 1_000_000;
        assertThat(afterMs).isBetween(1500L, 4000L); // announced period 1 s -> timeout 2 s
        assertThat(a.peers()).isEmpty();
        assertThat(a.statistics().peersExpired()).isEqualTo(1);
    }

    @Test
    void peersWithoutPeriodExpireAfterThePeerTimeoutAndComeBack() throws Exception {
        Recorder ra = new Recorder();
        IpndService a = start(unicastNode("alpha", 1).peerTimeout(Duration.ofMillis(400)), ra);
        IpndService b = start(unicastNode("beta", 2).announcePeriod(false), new Recorder());
        b.addDestination(loopback(a.port()));
        ra.await("seen dtn://beta/", Duration.ofSeconds(5));
        assertThat(a.peers().get(0).timeout()).isEqualTo(Duration.ofMillis(400));
        b.close();
        ra.await("expired dtn://beta/", Duration.ofSeconds(3));
        // the same node again: a new contact
        IpndService b2 = start(unicastNode("beta", 2).announcePeriod(false), new Recorder());
        b2.addDestination(loopback(a.port()));
        ra.await("seen dtn://beta/", Duration.ofSeconds(5));
        waitFor(() -> a.statistics().peersDiscovered() == 2, Duration.ofSeconds(2));
    }

    @Test
    void badDatagramsAreCountedByReasonAndDiscoveryKeepsWorking() throws Exception {
        Recorder ra = new Recorder();
        IpndService a = start(unicastNode("alpha", 1), ra);
        HexFormat hex = HexFormat.of();
        try (DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String[] bad = {
                "deadbeef",                                        // garbage
                "840601" + "8201642f2f6e2f" + "00",                // version 6
                "840701" + "82017bffffffffffffffff",               // text claiming 2^64-1 bytes
                "9bffffffff00000000",                              // array claiming 2^64-2^32 elements
                "840701" + "8201642f2f6e2f",                       // truncated
            };
            for (String h : bad) {
                byte[] d = hex.parseHex(h);
                attacker.send(new DatagramPacket(d, d.length, loopback(a.port())));
            }
            byte[] huge = new byte[60_000];
            huge[0] = (byte) 0x84;
            attacker.send(new DatagramPacket(huge, huge.length, loopback(a.port())));
        }
        waitFor(() -> a.statistics().badBeaconsDropped() == 6, Duration.ofSeconds(5));
        IpndStatistics st = a.statistics();
        assertThat(st.dropped(Reason.WRONG_VERSION)).isEqualTo(1);
        assertThat(st.dropped(Reason.LENGTH_EXCEEDS_INPUT)).isEqualTo(2);
        assertThat(st.dropped(Reason.TRUNCATED)).isEqualTo(1);
        assertThat(st.dropped(Reason.TRAILING_BYTES) + st.dropped(Reason.NOT_A_BEACON) + st.dropped(Reason.MALFORMED_CBOR))
                .isEqualTo(2); // "deadbeef" and the 60 kB array
        assertThat(ra.events).isEmpty();

        IpndService b = start(unicastNode("beta", 2), new Recorder());
        b.addDestination(loopback(a.port()));
        assertThat(ra.await("seen ", Duration.ofSeconds(5))).isEqualTo("seen dtn://beta/");
    }

    @Test
    void datagramsAboveTheConfiguredMaximumAreDroppedAsTooLarge() throws Exception {
        IpndService a = start(unicastNode("alpha", 1).maxBeaconSize(256), new Recorder());
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] d = new byte[1000];
            s.send(new DatagramPacket(d, d.length, loopback(a.port())));
        }
        waitFor(() -> a.statistics().dropped(Reason.TOO_LARGE) == 1, Duration.ofSeconds(5));
    }

    @Test
    void theInterfaceAllowListFiltersSources() throws Exception {
        Recorder onlyEth = new Recorder();
        Recorder onlyLo = new Recorder();
        String lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getName();
        IpndService blocked = start(unicastNode("blocked", 1).allowInterface("no-such-if0"), onlyEth);
        IpndService allowed = start(unicastNode("allowed", 1).allowInterface(lo), onlyLo);
        IpndService b = start(unicastNode("beta", 2), new Recorder());
        b.addDestination(loopback(blocked.port()));
        b.addDestination(loopback(allowed.port()));
        assertThat(onlyLo.await("seen ", Duration.ofSeconds(5))).isEqualTo("seen dtn://beta/");
        waitFor(() -> blocked.statistics().notAllowedDropped() >= 2, Duration.ofSeconds(5));
        assertThat(onlyEth.events).isEmpty();
        assertThat(blocked.peers()).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotStopDiscovery() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        IpndService a = start(unicastNode("alpha", 1), new DiscoveryListener() {
            @Override
            public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
                seen.add(nodeId.uri());
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void peerExpired(EndpointId nodeId) {
            }
        });
        IpndService b = start(unicastNode("beta", 2), new Recorder());
        b.addDestination(loopback(a.port()));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("dtn://beta/");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("dtn://beta/");
    }

    @Test
    void ipv6UnicastOnLoopback() throws Exception {
        InetAddress v6lo = InetAddress.getByName("::1");
        Assumptions.assumeTrue(ipv6LoopbackWorks(v6lo), "no IPv6 loopback here");
        Recorder ra = new Recorder();
        IpndService a = start(IpndConfig.builder(eid("ipn:7.0")).port(0).ipv4(false).ipv6(true)
                .destination("[::1]:9").interval(Duration.ofMillis(100)).clas(List.of(ClaAdvertisement.of("tcp", 4556))), ra);
        IpndService b = start(IpndConfig.builder(eid("ipn:8.0")).port(0).ipv4(false).ipv6(true)
                .destination("[::1]:9").interval(Duration.ofMillis(100)).clas(List.of(ClaAdvertisement.of("tcp", 4557))), new Recorder());
        b.addDestination(new InetSocketAddress(v6lo, a.port()));
        assertThat(ra.await("seen ", Duration.ofSeconds(5))).isEqualTo("seen ipn:8.0");
        assertThat(ra.lastAddresses).containsExactly(new DiscoveredAddress("tcp", "0:0:0:0:0:0:0:1", 4557));
    }

    private static boolean ipv6LoopbackWorks(InetAddress v6lo) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(v6lo, 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * dtn7-rs's real transport: both nodes on the same UDP port, beacons to the multicast group 224.0.0.26. Needs a
     * multicast-capable interface (the loopback interface usually is not one); skipped otherwise.
     */
    @Test
    void twoServicesFindEachOtherByMulticast() throws Exception {
        NetworkInterface mif = multicastInterface();
        Assumptions.assumeTrue(mif != null, "no up, multicast-capable IPv4 interface");
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        IpndService a = start(IpndConfig.builder(eid("dtn://mc-a/")).port(port).destination("224.0.0.26:" + port)
                .allowInterface(mif.getName()).multicastLoopback(true).interval(Duration.ofMillis(100))
                .clas(List.of(ClaAdvertisement.of("mtcp", 16162))), ra);
        IpndService b = start(IpndConfig.builder(eid("dtn://mc-b/")).port(port).destination("224.0.0.26:" + port)
                .allowInterface(mif.getName()).multicastLoopback(true).interval(Duration.ofMillis(100))
                .clas(List.of(ClaAdvertisement.of("mtcp", 16163))), rb);
        assertThat(a.port()).isEqualTo(b.port());
        assertThat(ra.await("seen dtn://mc-b/", Duration.ofSeconds(5))).isNotNull();
        assertThat(rb.await("seen dtn://mc-a/", Duration.ofSeconds(5))).isNotNull();
        assertThat(ra.lastAddresses).extracting(DiscoveredAddress::port).containsExactly(16163);
    }

    @Test
    void acceptsDtn7zeroBeaconsIncludingItsUnicastReplies() throws Exception {
        Recorder ra = new Recorder();
        IpndService a = start(unicastNode("alpha", 1), ra);
        HexFormat hex = HexFormat.of();
        // dtn7zero's own beacon: [7, 3, [1, "//zero/"], 1, [[["mtcp", 16162]], {}]]
        String periodic = "850703" + "820167" + hex.formatHex("//zero/".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "01" + "82" + "8182646d746370193f22" + "a0";
        // its unicast reply carries {42: b'unicast'} as a byte string, which dtn7-rs cannot read
        String unicast = periodic.substring(0, periodic.length() - 2) + "a1182a47"
                + hex.formatHex("unicast".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (DatagramSocket zero = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (String h : new String[] {periodic, unicast}) {
                byte[] d = hex.parseHex(h);
                zero.send(new DatagramPacket(d, d.length, loopback(a.port())));
            }
        }
        assertThat(ra.await("seen ", Duration.ofSeconds(5))).isEqualTo("seen dtn://zero/");
        assertThat(ra.await("seen ", Duration.ofSeconds(5))).isEqualTo("seen dtn://zero/");
        assertThat(ra.lastAddresses).containsExactly(new DiscoveredAddress("mtcp", "127.0.0.1", 16162));
        assertThat(a.peers().get(0).lastBeacon().service(BeaconService.TAG_DTN7ZERO_UNICAST)).isPresent();
        assertThat(a.peers().get(0).timeout()).isEqualTo(IpndConfig.DEFAULT_PEER_TIMEOUT); // no period announced
        assertThat(a.statistics().badBeaconsDropped()).isZero();
    }

    /** The dtn7zero path: beacons also go to each interface's subnet broadcast address. */
    @Test
    void subnetBroadcastReachesListenersOnTheBroadcastPort() throws Exception {
        NetworkInterface bif = null;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && ni.getInterfaceAddresses().stream().anyMatch(ia -> ia.getBroadcast() != null)) {
                bif = ni;
                break;
            }
        }
        Assumptions.assumeTrue(bif != null, "no up interface with an IPv4 broadcast address");
        try (DatagramSocket sink = new DatagramSocket(null)) {
            sink.setReuseAddress(true);
            sink.bind(new InetSocketAddress(0));
            sink.setSoTimeout(5000);
            start(unicastNode("bcast", 16162).subnetBroadcast(true).broadcastPort(sink.getLocalPort())
                    .allowInterface(bif.getName()), new Recorder());
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            sink.receive(p);
            Beacon b = BeaconCodec.decode(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            assertThat(b.nodeId()).isEqualTo(eid("dtn://bcast/"));
            assertThat(b.clas()).contains(ClaAdvertisement.of("mtcp", 16162));
        }
    }

    private static NetworkInterface multicastInterface() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && ni.supportsMulticast()
                    && Collections.list(ni.getInetAddresses()).stream().anyMatch(x -> x instanceof Inet4Address)) {
                return ni;
            }
        }
        return null;
    }
}
