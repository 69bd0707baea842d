package io.dtn7j.daemon.ecla;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.core.discovery.BeaconService;
import io.dtn7j.core.discovery.ClaAdvertisement;
import io.dtn7j.daemon.Daemon;
import io.dtn7j.daemon.api.Json;
import io.dtn7j.daemon.api.RawWebSocket;
import io.dtn7j.daemon.api.WsClient;
import io.dtn7j.daemon.config.DaemonConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ws/ecla} against a real daemon over a real socket, with a java.net.http WebSocket client acting as the
 * external convergence layer module: registration, beacons both ways, a bundle for a peer reachable only through the
 * module handed out as {@code ForwardData}, a bundle the module injects delivered locally, and bad packets answered
 * with {@code Error}.
 */
class EclaWebSocketTest {
    @TempDir
    Path dir;
    private Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    private final List<Daemon> more = new java.util.ArrayList<>();

    private String start(boolean ecla) throws Exception {
        daemon = daemon("node1", ecla);
        return "127.0.0.1:" + daemon.apiPort();
    }

    private Daemon daemon(String name, boolean ecla) throws Exception {
        return daemon(name, ecla, null);
    }

    private Daemon daemon(String name, boolean ecla, Integer tcpPort) throws Exception {
        DaemonConfig c = new DaemonConfig();
        c.eclaTcpPort = tcpPort;
        c.nodeId = "dtn://" + name + "/";
        c.db = "mem";
        c.workdir = dir.resolve(name);
        c.clas = List.of(new DaemonConfig.ClaSpec("mtcp", Map.of("port", "0", "bind", "127.0.0.1")));
        c.discoveryDisabled = true;
        c.webPort = 0;
        c.janitorMs = 500;
        c.crc = "none";
        c.discoveryIntervalMs = 300; // beacon interval towards the modules
        c.ecla = ecla;
        Daemon d = Daemon.start(c, new PrintStream(OutputStream.nullOutputStream()));
        more.add(d);
        return d;
    }

    @AfterEach
    void stop() {
        more.forEach(Daemon::close);
    }

    /** Copies packets from one module connection to the other, as a radio would, stamping its own address. */
    private static Thread relay(WsClient from, WsClient to, String fromAddr) {
        return Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Object o = from.received.poll(100, TimeUnit.MILLISECONDS);
                    if (!(o instanceof String text)) {
                        continue;
                    }
                    com.fasterxml.jackson.databind.node.ObjectNode p =
                            (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(text);
                    switch (p.get("type").asText()) {
                        case "Beacon" -> p.put("addr", fromAddr);
                        case "ForwardData" -> p.put("src", fromAddr);
                        default -> {
                            continue;
                        }
                    }
                    to.send(p.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void twoDaemonsExchangeABundleThroughARelayOfModules() throws Exception {
        Daemon node1 = daemon("node1", true);
        Daemon node2 = daemon("node2", true);
        String api1 = "127.0.0.1:" + node1.apiPort();
        String api2 = "127.0.0.1:" + node2.apiPort();
        assertThat(get(api2, "/register?incoming").statusCode()).isEqualTo(200);
        try (WsClient a = new WsClient("ws://" + api1 + "/ws/ecla"); WsClient b = new WsClient("ws://" + api2 + "/ws/ecla")) {
            a.send(register("radio", null));
            b.send(register("radio", null));
            assertThat(packet(a).get("type").asText()).isEqualTo("Registered");
            assertThat(packet(b).get("type").asText()).isEqualTo("Registered");
            Thread ab = relay(a, b, "radio-A");
            Thread ba = relay(b, a, "radio-B");
            try {
                // both daemons also run MTCP; the relay's address is no IP, so only the module can carry the bundle
                send(api1, "dtn://node2/incoming", "over the air");
                String body = null;
                for (int i = 0; i < 250; i++) {
                    body = get(api2, "/endpoint?incoming").body();
                    if (!body.equals("Nothing to receive")) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(body).contains("over the air");
                JsonNode node1Peers = Json.MAPPER.readTree(get(api1, "/status/peers").body());
                assertThat(node1Peers.at("/node2/cla_list/0/0").asText()).isEqualTo("radio");
                assertThat(node1Peers.at("/node2/addr/Generic").asText()).isEqualTo("radio-B");
            } finally {
                ab.interrupt();
                ba.interrupt();
            }
        }
    }

    private HttpResponse<String> get(String hostPort, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String send(String api, String dst, String payload) throws Exception {
        String sent = http.send(HttpRequest.newBuilder(URI.create("http://" + api + "/send?dst=" + dst))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return sent.substring("Sent ADU in bundle ".length(), sent.indexOf(" with "));
    }

    private static JsonNode packet(WsClient c) throws Exception {
        return Json.MAPPER.readTree(c.nextText());
    }

    /** Next packet of the given type, skipping periodic beacons. */
    private static JsonNode packet(WsClient c, String type) throws Exception {
        for (int i = 0; i < 50; i++) {
            JsonNode p = packet(c);
            if (p.get("type").asText().equals(type)) {
                return p;
            }
            assertThat(p.get("type").asText()).as("unexpected packet %s", p).isEqualTo("Beacon");
        }
        throw new AssertionError("no " + type + " packet");
    }

    private static String register(String name, Integer port) {
        return "{\"type\":\"Register\",\"name\":\"" + name + "\",\"enable_beacon\":true,\"port\":" + port + "}";
    }

    @Test
    void moduleCarriesBundlesBothWaysAndAdvertisesPeers() throws Exception {
        String api = start(true);
        try (WsClient m = new WsClient("ws://" + api + "/ws/ecla")) {
            m.send(register("extcla", 4711));
            JsonNode registered = packet(m);
            assertThat(registered.toString())
                    .isEqualTo("{\"type\":\"Registered\",\"eid\":[1,\"//node1/\"],\"nodeid\":\"dtn://node1/\"}");
            JsonNode beacon = packet(m);
            assertThat(beacon.get("type").asText()).isEqualTo("Beacon");
            assertThat(beacon.get("eid").toString()).isEqualTo("[1,\"//node1/\"]");
            assertThat(beacon.get("addr").asText()).isEmpty();
            ServiceBlocks.Content own = ServiceBlocks.decode(Base64.getDecoder().decode(beacon.get("service_block").asText()));
            assertThat(own.clas()).contains(new ClaAdvertisement("extcla", 4711));
            assertThat(daemon.agent().convergenceLayers()).containsKey("extcla");

            // a peer only the module can reach
            byte[] block = ServiceBlocks.encode(List.of(new ClaAdvertisement("extcla", 5000)),
                    List.of(new BeaconService(BeaconService.TAG_TEXT, "far away".getBytes(StandardCharsets.UTF_8))));
            m.send("{\"type\":\"Beacon\",\"eid\":[1,\"//node2/\"],\"addr\":\"radio-7\",\"service_block\":\""
                    + Base64.getEncoder().encodeToString(block) + "\"}");
            JsonNode node2 = null;
            for (int i = 0; i < 100 && node2 == null; i++) {
                node2 = Json.MAPPER.readTree(get(api, "/status/peers").body()).get("node2");
                Thread.sleep(20);
            }
            assertThat(node2).isNotNull();
            assertThat(node2.get("cla_list").toString()).isEqualTo("[[\"extcla\",5000]]");
            assertThat(node2.get("addr").toString()).isEqualTo("{\"Generic\":\"radio-7\"}");
            assertThat(node2.get("services").toString()).isEqualTo("{\"63\":\"far away\"}");

            // a bundle for node2 leaves through the module, as ForwardData to <addr>:<port>
            String bid = send(api, "dtn://node2/inbox", "hello ecla");
            JsonNode fwd = packet(m, "ForwardData");
            assertThat(fwd.get("src").asText()).isEmpty();
            assertThat(fwd.get("dst").asText()).isEqualTo("radio-7:5000");
            assertThat(fwd.get("bundle_id").asText()).isEqualTo(bid);
            Bundle out = BundleCodec.decode(Base64.getDecoder().decode(fwd.get("data").asText()), DecodeOptions.DEFAULT);
            assertThat(out.destination().uri()).isEqualTo("dtn://node2/inbox");
            assertThat(out.payload().toByteArray()).isEqualTo("hello ecla".getBytes(StandardCharsets.UTF_8));
            assertThat(out.previousNode().orElseThrow().uri()).isEqualTo("dtn://node1/");

            // a static peer naming the external CLA dtnd's way (ecla+<name>) is reached through the module too
            assertThat(get(api, "/peers/add?p=ecla%2Bextcla://radio-9:6000/node3&p_t=STATIC").statusCode()).isEqualTo(200);
            send(api, "dtn://node3/x", "via static");
            JsonNode fwd3 = packet(m, "ForwardData");
            assertThat(fwd3.get("dst").asText()).isEqualTo("radio-9:6000");

            // a bundle the module received is delivered locally
            assertThat(get(api, "/register?incoming").statusCode()).isEqualTo(200);
            byte[] in = BundleCodec.encode(Bundle.builder().source("dtn://node2/app").destination("dtn://node1/incoming")
                    .creation(DtnTime.now(), 0).lifetimeMs(3_600_000).payload("from the module").build());
            m.send("{\"type\":\"ForwardData\",\"src\":\"radio-7:5000\",\"dst\":\"\",\"bundle_id\":\"x\",\"data\":\""
                    + Base64.getEncoder().encodeToString(in) + "\"}");
            byte[] delivered = null;
            for (int i = 0; i < 100; i++) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + api + "/endpoint?incoming"))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                if (!new String(r.body(), StandardCharsets.UTF_8).equals("Nothing to receive")) {
                    delivered = r.body();
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(delivered).isNotNull();
            assertThat(BundleCodec.decode(delivered, DecodeOptions.DEFAULT).payload().toByteArray())
                    .isEqualTo("from the module".getBytes(StandardCharsets.UTF_8));

            // beacons keep coming every interval
            assertThat(packet(m, "Beacon").get("eid").toString()).isEqualTo("[1,\"//node1/\"]");

            String metrics = get(api, "/metrics").body();
            assertThat(get(api, "/").body()).contains("extcla:4711 (ECLA module)");
            assertThat(metrics).contains("dtn7j_cla_sessions{cla=\"extcla\"} 1");
            assertThat(metrics).contains("dtn7j_ecla_modules 1", "dtn7j_cla_sent_bundles_total{cla=\"extcla\"} 2",
                    "dtn7j_cla_received_bundles_total{cla=\"extcla\"} 1");
        }
        // the module's CLA leaves with its connection
        for (int i = 0; i < 100 && daemon.agent().convergenceLayers().containsKey("extcla"); i++) {
            Thread.sleep(20);
        }
        assertThat(daemon.agent().convergenceLayers()).doesNotContainKey("extcla").containsKey("mtcp");
        assertThat(get(api(), "/metrics").body()).contains("dtn7j_ecla_modules 0").doesNotContain("cla=\"extcla\"");
    }

    /**
     * A module that stops reading: a bundle forwarded through it cannot be written, and after the send timeout (30 s)
     * the module is disconnected and its CLA removed, instead of each forwarding attempt leaving another copy of the
     * bundle queued in its connection until the heap runs out.
     */
    @Test
    void aModuleThatStopsReadingIsDisconnected() throws Exception {
        String api = start(true);
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", daemon.apiPort()));
            OutputStream out = raw.getOutputStream();
            RawWebSocket.upgrade(out, "/ws/ecla");
            out.write(RawWebSocket.maskedText(register("stalled", 4711)));
            byte[] block = ServiceBlocks.encode(List.of(new ClaAdvertisement("stalled", 5000)), List.of());
            out.write(RawWebSocket.maskedText("{\"type\":\"Beacon\",\"eid\":[1,\"//node2/\"],\"addr\":\"radio-7\",\"service_block\":\""
                    + Base64.getEncoder().encodeToString(block) + "\"}"));
            out.flush();
            // from here the module reads nothing
            for (int i = 0; i < 250 && Json.MAPPER.readTree(get(api, "/status/peers").body()).get("node2") == null; i++) {
                Thread.sleep(20);
            }
            assertThat(get(api, "/metrics").body()).contains("dtn7j_ecla_modules 1");
            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create("http://" + api
                    + "/send?dst=dtn://node2/inbox")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[16 << 20]))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (System.nanoTime() < deadline && daemon.agent().convergenceLayers().containsKey("stalled")) {
                Thread.sleep(200);
            }
            assertThat(daemon.agent().convergenceLayers()).as("CLAs once the module took nothing for 30 s")
                    .doesNotContainKey("stalled");
            assertThat(get(api, "/metrics").body()).contains("dtn7j_ecla_modules 0");
        }
    }

    /**
     * A module that floods bad packets and reads none of the Error replies: the replies it leaves unread are bounded
     * ({@link io.dtn7j.daemon.api.UnwrittenLimit}), past that the daemon drops the connection, instead of queueing
     * every reply for as long as the connection lasts.
     */
    @Test
    void aModuleThatReadsNoRepliesIsDroppedOnceTheyPileUp() throws Exception {
        start(true);
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", daemon.apiPort()));
            OutputStream out = new java.io.BufferedOutputStream(raw.getOutputStream(), 1 << 16);
            RawWebSocket.upgrade(out, "/ws/ecla");
            byte[] bad = RawWebSocket.maskedText("{\"type\":1}");
            int sent = 0;
            boolean dropped = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try {
                while (sent < 1_000_000 && System.nanoTime() < deadline) {
                    out.write(bad);
                    sent++;
                }
                out.flush();
            } catch (java.io.IOException e) {
                dropped = true; // reset by the daemon
            }
            if (!dropped) { // all written: give the daemon a moment, then see whether it is still there
                Thread.sleep(2000);
                try {
                    for (int i = 0; i < 1000; i++) {
                        out.write(bad);
                        out.flush();
                        Thread.sleep(1);
                    }
                } catch (java.io.IOException e) {
                    dropped = true;
                }
            }
            assertThat(dropped).as("the daemon dropped a module that read none of %d replies", sent).isTrue();
        }
        assertThat(get(api(), "/status/nodeid").statusCode()).isEqualTo(200);
    }

    private String api() {
        return "127.0.0.1:" + daemon.apiPort();
    }

    @Test
    void badPacketsGetAnErrorAndNeverCrashTheDaemon() throws Exception {
        String api = start(true);
        try (WsClient m = new WsClient("ws://" + api + "/ws/ecla")) {
            m.send("not json");
            assertThat(packet(m).get("reason").asText()).startsWith("packet is not JSON");
            m.send("{\"type\":\"Teleport\"}");
            assertThat(packet(m).get("reason").asText()).startsWith("unknown packet type \"Teleport\"");
            m.send("{\"type\":\"ForwardData\",\"src\":\"\",\"dst\":\"\",\"bundle_id\":\"\",\"data\":\"\"}");
            assertThat(packet(m).get("reason").asText()).isEqualTo("register first: the first packet must be a Register");
            m.send("{\"type\":\"Register\",\"name\":\"x\"}");
            assertThat(packet(m).get("reason").asText()).isEqualTo("Register needs \"enable_beacon\": true or false");
            m.send("{\"type\":\"Register\",\"name\":\"x\",\"enable_beacon\":false,\"port\":70000}");
            assertThat(packet(m).get("reason").asText()).startsWith("Register \"port\" must be null or 0..65535");
            m.send(new byte[] {1, 2, 3});
            assertThat(packet(m).get("reason").asText()).contains("text frames");

            m.send("{\"type\":\"Register\",\"name\":\"quiet\",\"enable_beacon\":false,\"port\":null}");
            assertThat(packet(m).get("type").asText()).isEqualTo("Registered");
            m.send("{\"type\":\"Beacon\",\"eid\":[1,\"//node2/\"],\"addr\":\"a\",\"service_block\":\"////\"}");
            assertThat(packet(m).get("reason").asText()).startsWith("bad Beacon: ");
            m.send("{\"type\":\"Beacon\",\"eid\":[9,\"x\"],\"addr\":\"a\",\"service_block\":\"gA==\"}");
            assertThat(packet(m).get("reason").asText()).startsWith("Beacon: endpoint ID must be");
            m.send("{\"type\":\"ForwardData\",\"src\":\"a\",\"dst\":\"\",\"bundle_id\":\"b\",\"data\":\"%%%\"}");
            assertThat(packet(m).get("reason").asText()).startsWith("\"data\" is not standard base64");
            m.send("{\"type\":\"ForwardData\",\"src\":\"a\",\"dst\":\"\",\"bundle_id\":\"b\",\"data\":\"AAEC\"}");
            assertThat(packet(m).get("reason").asText()).startsWith("bundle b rejected: ");
            // enable_beacon false: no beacons arrive (dtnd would send them anyway)
            assertThat(m.poll(800)).isNull();

            // a second module with the same name, or a built-in CLA's name, is refused and disconnected
            for (String taken : List.of("quiet", "mtcp")) {
                try (WsClient other = new WsClient("ws://" + api + "/ws/ecla")) {
                    other.send(register(taken, null));
                    assertThat(packet(other).toString()).isEqualTo("{\"type\":\"Error\",\"reason\":\"already registered\"}");
                    assertThat(other.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
                }
            }
            try (WsClient other = new WsClient("ws://" + api + "/ws/ecla")) {
                other.send(register("x".repeat(65), null));
                assertThat(packet(other).get("reason").asText()).isEqualTo("invalid name");
                assertThat(other.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
            }
            // the first module still works
            assertThat(get(api, "/status/nodeid").body()).isEqualTo("dtn://node1/");
            assertThat(daemon.agent().convergenceLayers()).containsKey("quiet");
        }
        String metrics = get(api, "/metrics").body();
        assertThat(metrics).containsPattern("(?m)^dtn7j_ecla_bad_packets_total ([89]|\\d\\d+)$");
    }

    /** A module on the TCP connector: u32 big-endian length + JSON per packet. */
    private static final class TcpModule implements AutoCloseable {
        final java.net.Socket socket;
        final java.io.DataInputStream in;
        final java.io.DataOutputStream out;

        TcpModule(int port) throws Exception {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            in = new java.io.DataInputStream(socket.getInputStream());
            out = new java.io.DataOutputStream(socket.getOutputStream());
        }

        void send(String json) throws Exception {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
            out.flush();
        }

        JsonNode next() throws Exception {
            int n = in.readInt();
            assertThat(n).isBetween(1, 1 << 20);
            return Json.MAPPER.readTree(in.readNBytes(n));
        }

        JsonNode next(String type) throws Exception {
            for (int i = 0; i < 50; i++) {
                JsonNode p = next();
                if (p.get("type").asText().equals(type)) {
                    return p;
                }
            }
            throw new AssertionError("no " + type);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void tcpConnectorCarriesTheSameProtocol() throws Exception {
        Daemon node1 = daemon("node1", false, 0);
        String api = "127.0.0.1:" + node1.apiPort();
        assertThat(node1.eclaTcpPort()).isPositive();
        try (TcpModule m = new TcpModule(node1.eclaTcpPort())) {
            m.send("not json");
            assertThat(m.next().get("reason").asText()).startsWith("packet is not JSON");
            m.send(register("wire", 7000));
            assertThat(m.next().toString())
                    .isEqualTo("{\"type\":\"Registered\",\"eid\":[1,\"//node1/\"],\"nodeid\":\"dtn://node1/\"}");
            assertThat(m.next().get("type").asText()).isEqualTo("Beacon");
            byte[] block = ServiceBlocks.encode(List.of(new ClaAdvertisement("wire", 7001)), List.of());
            m.send("{\"type\":\"Beacon\",\"eid\":[2,[23,0]],\"addr\":\"bus-3\",\"service_block\":\""
                    + Base64.getEncoder().encodeToString(block) + "\"}");
            for (int i = 0; i < 100 && !get(api, "/status/peers").body().contains("\"23\""); i++) {
                Thread.sleep(20);
            }
            String bid = send(api, "ipn:23.5", "over tcp");
            JsonNode fwd = m.next("ForwardData");
            assertThat(fwd.get("dst").asText()).isEqualTo("bus-3:7001");
            assertThat(fwd.get("bundle_id").asText()).isEqualTo(bid);
            assertThat(BundleCodec.decode(Base64.getDecoder().decode(fwd.get("data").asText()), DecodeOptions.DEFAULT)
                    .payload().toByteArray()).isEqualTo("over tcp".getBytes(StandardCharsets.UTF_8));
        }
        // a length field claiming 4 GiB gets an Error and the connection closes, nothing allocated
        try (TcpModule m = new TcpModule(node1.eclaTcpPort())) {
            m.out.writeInt(-1);
            m.out.flush();
            assertThat(m.next().get("reason").asText()).startsWith("frame of 4294967295 bytes exceeds the limit");
            assertThat(m.in.read()).isEqualTo(-1);
        }
        for (int i = 0; i < 100 && node1.agent().convergenceLayers().containsKey("wire"); i++) {
            Thread.sleep(20);
        }
        assertThat(node1.agent().convergenceLayers()).doesNotContainKey("wire");
        assertThat(get(api, "/status/nodeid").body()).isEqualTo("dtn://node1/");
    }

    /**
     * The TCP connector: a module that stops reading holds no sender for good (a socket write has no timeout of its
     * own); its connection is closed once a packet was not taken within 30 s, and its CLA leaves with it.
     */
    @Test
    void aTcpModuleThatStopsReadingIsDisconnected() throws Exception {
        Daemon node1 = daemon("node1", false, 0);
        String api = "127.0.0.1:" + node1.apiPort();
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", node1.eclaTcpPort()));
            java.io.DataOutputStream out = new java.io.DataOutputStream(raw.getOutputStream());
            byte[] block = ServiceBlocks.encode(List.of(new ClaAdvertisement("wire", 7001)), List.of());
            for (String json : List.of(register("wire", 7000), "{\"type\":\"Beacon\",\"eid\":[2,[23,0]],"
                    + "\"addr\":\"bus-3\",\"service_block\":\"" + Base64.getEncoder().encodeToString(block) + "\"}")) {
                byte[] b = json.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            out.flush();
            // from here the module reads nothing
            for (int i = 0; i < 250 && !get(api, "/status/peers").body().contains("\"23\""); i++) {
                Thread.sleep(20);
            }
            assertThat(node1.agent().convergenceLayers()).containsKey("wire");
            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create("http://" + api + "/send?dst=ipn:23.5"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[16 << 20])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (System.nanoTime() < deadline && node1.agent().convergenceLayers().containsKey("wire")) {
                Thread.sleep(200);
            }
            assertThat(node1.agent().convergenceLayers()).as("CLAs once the module took nothing for 30 s")
                    .doesNotContainKey("wire");
        }
        assertThat(get(api, "/status/nodeid").body()).isEqualTo("dtn://node1/");
    }

    @Test
    void eclaIsOffUnlessEnabled() throws Exception {
        String api = start(false);
        HttpResponse<String> r = get(api, "/ws/ecla");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("the external convergence layer interface is off: start the daemon with --ecla");
    }

    @Test
    void serviceBlocksRoundTripAndRejectGarbage() throws Exception {
        byte[] block = ServiceBlocks.encode(List.of(new ClaAdvertisement("mtcp", 16162), new ClaAdvertisement("x", null)),
                List.of(new BeaconService(191, new byte[] {75})));
        // dtn7-rs's form: [[["mtcp",16162],["x",null]],{191:[75]}]
        assertThat(java.util.HexFormat.of().formatHex(block))
                .isEqualTo("82" + "82" + "82646d746370193f22" + "826178f6" + "a1" + "18bf" + "81" + "184b");
        ServiceBlocks.Content c = ServiceBlocks.decode(block);
        assertThat(c.clas()).containsExactly(new ClaAdvertisement("mtcp", 16162), new ClaAdvertisement("x", null));
        assertThat(c.services()).containsExactly(new BeaconService(191, new byte[] {75}));
        assertThat(ServiceBlocks.decode(new byte[] {(byte) 0x80}).clas()).isEmpty();
        for (byte[] bad : List.of(new byte[0], new byte[] {5}, new byte[] {(byte) 0x82, 1, 2}, new byte[] {(byte) 0x9b, -1, -1, -1, -1, -1, -1, -1, -1})) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceBlocks.decode(bad))
                    .isInstanceOf(io.dtn7j.core.discovery.BeaconDecodeException.class);
        }
    }
}
