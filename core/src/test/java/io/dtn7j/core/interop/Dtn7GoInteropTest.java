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
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * MTCP exchange with a real dtn7-go node ({@code dtnd}, the 2024+ rewrite), both directions, on loopback, with
 * dtn7-go's REST agent (under {@code /rest}) sending and receiving on its side.
 *
 * <p>dtn7-go has no static peers: it sends only to peers its own discovery announced (CBOR announcements
 * multicast to 224.23.23.23:35039 on every interface that is up). The dtn7j nodes here run dtn7j's
 * {@link io.dtn7j.core.discovery.Dtn7GoDiscovery} on the loopback interface, and the test runs only in a network
 * namespace whose only interface is loopback, so that dtnd's announcements stay on this host. Run it as docs/INTEROP.md says:
 * {@code unshare -n sh -c 'ip link set lo up && DTN7GO_HOME=... ./mvnw ...'}.
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

    private Path dtnd;
    private PeerProcesses peers;
    private PeerProcesses.Child go;
    private int restPort;
    private int goMtcpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startDtnd() throws Exception {
        String home = PeerProcesses.setting("DTN7GO_HOME");
        assumeTrue(home != null, "DTN7GO_HOME is not set: point it at the directory of a built dtn7-go dtnd "
                + "(see docs/INTEROP.md) to run this test");
        dtnd = Path.of(home).resolve("dtnd");
        assumeTrue(Files.isExecutable(dtnd), "DTN7GO_HOME=" + home + " has no executable dtnd");
        List<String> outside = interfacesOtherThanLoopbackThatAreUp();
        assumeTrue(outside.isEmpty(), "dtn7-go multicasts its discovery on every interface that is up; up here: "
                + outside + ". Run this test in a network namespace with only loopback: "
                + "unshare -n sh -c 'ip link set lo up && ...' (docs/INTEROP.md)");

        restPort = PeerProcesses.freeTcpPort();
        goMtcpPort = PeerProcesses.freeTcpPort();
        peers = new PeerProcesses(dir, Map.of());
        Path config = peers.write("dtnd.toml", """
                node_id = "%s"
                log_level = "Debug"

                [Store]
                path = "%s"

                [Routing]
                algorithm = "epidemic"

                [Agents]
                [Agents.REST]
                address = "127.0.0.1:%d"

                [[Listener]]
                type = "MTCP"
                address = "127.0.0.1:%d"

                [Cron]
                dispatch = "1s"
                gc = "1h15s"
                """.formatted(GO_NODE, dir.resolve("store"), restPort, goMtcpPort));
        go = peers.start("dtnd", null, dtnd.toString(), config.toString());
        go.awaitLine(l -> l.contains("Starting discovery manager"), TIMEOUT, "starting its discovery");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (go != null) {
            go.process().destroy(); // SIGTERM: dtnd shuts its store down
            if (!go.process().waitFor(10, TimeUnit.SECONDS)) {
                go.process().destroyForcibly();
            }
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void dtn7jSendsToDtn7go() throws Exception {
        String uuid = register(GO_NODE + "incoming");
        Random random = new Random(4711);
        List<byte[]> payloads = List.of(randomBytes(random, 17), randomBytes(random, 1_500),
                randomBytes(random, 40_000), randomBytes(random, 300 * 1024));
        try (DtnNode node = DtnNode.builder(J_NODE).mtcpPort(0).discovery(false)
                .peer("mtcp://127.0.0.1:" + goMtcpPort + "/gonode").start()) {
            LocalEndpoint sender = node.register("sender");
            for (byte[] p : payloads) {
                sender.send(p, GO_NODE + "incoming", false);
            }

            List<Map<String, Object>> received = fetchUntil(uuid, payloads.size());

            assertThat(received).allSatisfy(b -> {
                assertThat(primary(b).get("source")).isEqualTo(J_NODE + "sender");
                assertThat(primary(b).get("destination")).isEqualTo(GO_NODE + "incoming");
            });
            assertThat(received.stream().map(b -> hex(payload(b))))
                    .containsExactlyInAnyOrderElementsOf(payloads.stream().map(Dtn7GoInteropTest::hex).toList());
        }
    }

    @Test
    void dtn7jFindsDtn7goByItsDiscoveryAndSends() throws Exception {
        String uuid = register(GO_NODE + "incoming");
        try (DtnNode node = DtnNode.builder(J_NODE).mtcpPort(0).discovery(false).dtn7goDiscovery("lo").start()) {
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (node.discover().stream().noneMatch(p -> p.nodeId().equals(GO_NODE)) && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(node.discover()).as("peers dtn7j learnt from dtnd's announcements")
                    .filteredOn(p -> p.nodeId().equals(GO_NODE)).singleElement()
                    .satisfies(p -> assertThat(p.addresses()).containsExactly("mtcp://127.0.0.1:" + goMtcpPort));

            node.register("sender").send("found you by your own discovery".getBytes(StandardCharsets.UTF_8),
                    GO_NODE + "incoming", false);

            List<Map<String, Object>> received = fetchUntil(uuid, 1);
            assertThat(new String(payload(received.get(0)), StandardCharsets.UTF_8))
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
            go.awaitLine(l -> l.contains("CLA added to senders") && l.contains(":" + jPort), TIMEOUT,
                    "registering the dtn7j node announced by dtn7j's dtn7-go discovery as an MTCP sender");
            String uuid = register(GO_NODE + "sender");
            Random random = new Random(815);
            List<String> payloads = List.of("hello from dtn7-go", "grüße, ünïcödé ✓ " + randomText(random, 800),
                    randomText(random, 20_000), randomText(random, 300 * 1024));

            for (String p : payloads) {
                build(uuid, J_NODE + "incoming", p);
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
            build(uuid, J_NODE + "incoming", "after the keepalives");
            assertThat(incoming.receive().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).text())
                    .isEqualTo("after the keepalives");
            assertThat(establishedPeerPorts(jPort)).isEqualTo(before);
        }
    }

    // ---- dtn7-go's REST agent ----

    private String register(String eid) throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, Object> r = post("register", "{\"endpoint_id\":" + MiniJson.quote(eid) + "}");
                assertThat(r.get("error")).as("register error").isEqualTo("");
                return (String) r.get("uuid");
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("dtnd's REST agent on port " + restPort + " did not answer: " + e
                            + "; output: " + go.output());
                }
                Thread.sleep(100);
            }
        }
    }

    private void build(String uuid, String destination, String payload) throws Exception {
        Map<String, Object> r = post("build", "{\"uuid\":" + MiniJson.quote(uuid) + ",\"arguments\":{"
                + "\"source\":" + MiniJson.quote(GO_NODE + "sender") + ","
                + "\"destination\":" + MiniJson.quote(destination) + ","
                + "\"creation_timestamp_now\":1,\"lifetime\":\"24h\","
                + "\"payload_block\":" + MiniJson.quote(payload) + "}}");
        assertThat(r.get("error")).as("build error").isEqualTo("");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> fetchUntil(String uuid, int count) throws Exception {
        List<Map<String, Object>> all = new ArrayList<>();
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (all.size() < count && System.nanoTime() < end) {
            Map<String, Object> r = post("fetch", "{\"uuid\":" + MiniJson.quote(uuid) + "}");
            assertThat(r.get("error")).as("fetch error").isEqualTo("");
            if (r.get("bundles") instanceof List<?> l) {
                l.forEach(b -> all.add((Map<String, Object>) b));
            }
            Thread.sleep(200);
        }
        assertThat(all).as("bundles fetched from dtn7-go's REST agent").hasSize(count);
        return all;
    }

    /** The payload of a bundle in dtn7-go's JSON: the payload block's "data", base64. */
    @SuppressWarnings("unchecked")
    private static byte[] payload(Map<String, Object> bundle) {
        Map<String, Object> block = (Map<String, Object>) bundle.get("payloadBlock");
        return Base64.getDecoder().decode((String) block.get("data"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> primary(Map<String, Object> bundle) {
        return (Map<String, Object>) bundle.get("primaryBlock");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort
                        + "/rest/" + path)).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("HTTP status of /rest/" + path + ": " + r.body()).isEqualTo(200);
        return (Map<String, Object>) MiniJson.parse(r.body());
    }

    // ---- helpers ----

    private static List<String> interfacesOtherThanLoopbackThatAreUp() throws SocketException {
        List<String> up = new ArrayList<>();
        for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
            if (i.isUp() && !i.isLoopback()) {
                up.add(i.getName());
            }
        }
        return up;
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
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Just enough JSON for dtn7-go's REST replies: objects, arrays, strings, numbers, booleans, null. */
    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            MiniJson p = new MiniJson(text);
            Object v = p.value();
            p.ws();
            if (p.i != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + p.i + " in JSON: " + text);
            }
            return v;
        }

        static String quote(String v) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : v.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    case '\r' -> b.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = i;
                    while (i < s.length() && "{}[],: \n\r\t".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    String t = s.substring(start, i);
                    return switch (t) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> Double.parseDouble(t);
                    };
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i + " in JSON");
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            i++;
            return b.toString();
        }
    }
}
