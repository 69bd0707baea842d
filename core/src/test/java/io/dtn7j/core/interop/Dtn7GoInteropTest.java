package io.dtn7j.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dtn7j.bundle.CrcType;
import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.api.Message;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.mtcp.MtcpConvergenceLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTCP exchange with a real dtn7-go node ({@code dtnd}, v0.10.1), both directions, on loopback, with dtn7-go's REST
 * agent (under {@code /rest}) sending and receiving on its side ({@link Dtn7GoNode}).
 *
 * <p>dtn7-go has no static peers: it sends only to peers its own discovery announced (CBOR announcements
 * multicast to 224.23.23.23:35039 on every interface that is up). The dtn7j nodes here run dtn7j's
 * {@link io.dtn7j.core.discovery.Dtn7GoDiscovery} on the loopback interface, and the test runs only in a network
 * namespace whose only interface is loopback, so that dtnd's announcements stay on this host. Run it as
 * docs/INTEROP.md says: {@code unshare -n sh -c 'ip link set lo up && DTN7GO_HOME=... ./mvnw ...'}.
 *
 * <p>Runs only with {@code -Ddtn7j.interop=true} and needs {@code DTN7GO_HOME} (environment variable or system
 * property): the directory holding the built {@code dtnd} binary.
 */
@EnabledIfSystemProperty(named = "dtn7j.interop", matches = "true")
class Dtn7GoInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final String GO_NODE = "dtn://gonode/";
    private static final String J_NODE = "dtn://jnode/";

    @TempDir
    Path dir;

    private Dtn7GoNode go;

    @BeforeEach
    void startDtnd() throws Exception {
        Optional<String> why = Dtn7GoNode.unavailableReason();
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        go = Dtn7GoNode.start(dir, GO_NODE);
    }

    @AfterEach
    void stop() {
        if (go != null) {
            go.close();
        }
    }

    @Test
    void dtn7jSendsToDtn7go() throws Exception {
        String uuid = go.register(GO_NODE + "incoming");
        Random random = new Random(4711);
        List<byte[]> payloads = List.of(randomBytes(random, 17), randomBytes(random, 1_500),
                randomBytes(random, 40_000), randomBytes(random, 300 * 1024), randomBytes(random, 3 << 20));
        try (DtnNode node = DtnNode.builder(J_NODE).mtcpPort(0).discovery(false)
                .peer("mtcp://127.0.0.1:" + go.mtcpPort() + "/gonode").start()) {
            LocalEndpoint sender = node.register("sender");
            for (byte[] p : payloads) {
                sender.send(p, GO_NODE + "incoming", false);
            }

            List<Dtn7GoNode.Received> received = go.fetch(uuid, payloads.size(), TIMEOUT);

            assertThat(received).as("bundles fetched from dtn7-go's REST agent").hasSize(payloads.size())
                    .allSatisfy(b -> {
                        assertThat(b.source()).isEqualTo(J_NODE + "sender");
                        assertThat(b.destination()).isEqualTo(GO_NODE + "incoming");
                    });
            assertThat(received.stream().map(b -> hex(b.payload())))
                    .containsExactlyInAnyOrderElementsOf(payloads.stream().map(Dtn7GoInteropTest::hex).toList());
        }
    }

    @Test
    void dtn7jFindsDtn7goByItsDiscoveryAndSends() throws Exception {
        String uuid = go.register(GO_NODE + "incoming");
        try (DtnNode node = DtnNode.builder(J_NODE).mtcpPort(0).discovery(false).dtn7goDiscovery("lo").start()) {
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (node.discover().stream().noneMatch(p -> p.nodeId().equals(GO_NODE)) && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(node.discover()).as("peers dtn7j learnt from dtnd's announcements")
                    .filteredOn(p -> p.nodeId().equals(GO_NODE)).singleElement()
                    .satisfies(p -> assertThat(p.addresses()).containsExactly("mtcp://127.0.0.1:" + go.mtcpPort()));

            node.register("sender").send("found you by your own discovery".getBytes(StandardCharsets.UTF_8),
                    GO_NODE + "incoming", false);

            List<Dtn7GoNode.Received> received = go.fetch(uuid, 1, TIMEOUT);
            assertThat(received).hasSize(1);
            assertThat(new String(received.get(0).payload(), StandardCharsets.UTF_8))
                    .isEqualTo("found you by your own discovery");
        }
    }

    @Test
    void dtn7goSendsToDtn7jAndItsKeepalivesKeepTheConnection() throws Exception {
        // dtn7j closes an MTCP connection idle for 8 s; dtn7-go sends 0x40 every 5 s (and after each bundle)
        MtcpConvergenceLayer mtcp = new MtcpConvergenceLayer(ClaOptions.builder().bindHost("127.0.0.1").port(0)
                .idleTimeout(Duration.ofSeconds(8)).build());
        try (DtnNode node = DtnNode.builder(J_NODE).withoutMtcp().convergenceLayer(mtcp).discovery(false)
                .dtn7goDiscovery("lo").start()) {
            LocalEndpoint incoming = node.register("incoming");
            int jPort = node.port("mtcp");
            // dtnd sends only to nodes its discovery announced: dtn7j's Dtn7GoDiscovery announces it on lo
            go.awaitLog(l -> l.contains("CLA added to senders") && l.contains(":" + jPort), TIMEOUT,
                    "registering the dtn7j node announced by dtn7j's dtn7-go discovery as an MTCP sender");
            String uuid = go.register(GO_NODE + "sender");
            Random random = new Random(815);
            List<String> payloads = List.of("hello from dtn7-go", "grüße, ünïcödé ✓ " + randomText(random, 800),
                    randomText(random, 20_000), randomText(random, 300 * 1024), randomText(random, 3 << 20));

            for (String p : payloads) {
                go.build(uuid, GO_NODE + "sender", J_NODE + "incoming", p);
            }
            List<Message> got = new ArrayList<>();
            for (int i = 0; i < payloads.size(); i++) {
                got.add(incoming.receive().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }

            assertThat(got).allSatisfy(m -> {
                assertThat(m.source()).isEqualTo(GO_NODE + "sender");
                assertThat(m.primaryBlock().crcType()).isEqualTo(CrcType.CRC32C);
            });
            assertThat(got.stream().map(m -> hex(m.payload())))
                    .containsExactlyInAnyOrderElementsOf(payloads.stream()
                            .map(p -> hex(p.getBytes(StandardCharsets.UTF_8))).toList());

            // one long-lived connection from dtn7-go; idle well past dtn7j's idle timeout, only keepalives flow
            Set<Integer> before = establishedPeerPorts(jPort);
            assertThat(before).as("dtn7-go's connections to dtn7j's MTCP port").hasSize(1);
            Thread.sleep(13_000);
            assertThat(establishedPeerPorts(jPort)).as("after 13 s idle with dtn7j's 8 s idle timeout")
                    .isEqualTo(before);
            go.build(uuid, GO_NODE + "sender", J_NODE + "incoming", "after the keepalives");
            assertThat(incoming.receive().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).text())
                    .isEqualTo("after the keepalives");
            assertThat(establishedPeerPorts(jPort)).isEqualTo(before);
        }
    }

    /** Remote ports of the established TCP connections to local port {@code port} (/proc/net/tcp and tcp6). */
    private static Set<Integer> establishedPeerPorts(int port) throws IOException {
        Set<Integer> ports = new TreeSet<>();
        List<String> lines = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> l = Files.readAllLines(Path.of(table));
            lines.addAll(l.subList(1, l.size()));
        }
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
            if (local == port && f[3].equals("01")) {
                ports.add(remote);
            }
        }
        return ports;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String randomText(Random r, int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_/\\\"'{}[]\n\t";
        return r.ints(n, 0, alphabet.length()).mapToObj(i -> String.valueOf(alphabet.charAt(i)))
                .collect(Collectors.joining());
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
