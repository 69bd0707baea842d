package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.discovery.BeaconService;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.routing.Routers;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.daemon.node.AgentNodeService;
import io.dtn7j.daemon.node.MeteredConvergenceLayer;
import io.dtn7j.daemon.node.PeerExtras;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /routing/cmd}, {@code /routing/getdata}, {@code /debug/*}, the {@code services}/{@code fails} of
 * {@code /status/peers} and the extra {@code /metrics} series, over real HTTP with the real agent behind them.
 */
class RoutingDebugApiTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private BundleProtocolAgent agent;
    private String base;
    private PeerExtras extras;

    @TempDir
    Path dir;

    private void start(Router router) throws Exception {
        start(router, List.of());
    }

    private void start(Router router, List<MeteredConvergenceLayer> clas) throws Exception {
        agent = new BundleProtocolAgent(AgentConfig.builder(EndpointId.parse("dtn://node1/"))
                .store(new MemoryBundleStore()).router(router).convergenceLayers(clas)
                .janitorInterval(Duration.ZERO).build());
        agent.register(EndpointId.parse("dtn://node1/"), null);
        agent.start();
        toClose.add(agent);
        extras = new PeerExtras();
        AgentNodeService node = new AgentNodeService(agent, new NodeDescription(router.name(), List.of(), 0, 0, 20_000, "mem"),
                () -> clas.stream().map(m -> new ClaCounters(m.name(), m.sessions(), m.bundlesIn(), m.bundlesOut(),
                        m.bytesIn(), m.bytesOut(), m.failures())).toList(), extras);
        ApiServer server = new ApiServer(node, ApiOptions.loopback(0)).start();
        toClose.add(0, server);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String send(String dst) throws Exception {
        String r = http.send(HttpRequest.newBuilder(URI.create(base + "/send?dst=" + dst))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return r.substring("Sent ADU in bundle ".length(), r.indexOf(" with "));
    }

    @Test
    void staticRoutesAreListedAddedRemovedAndReloaded() throws Exception {
        Path routes = dir.resolve("routes.csv");
        Files.writeString(routes, "# comment\n1 * dtn://node3/* dtn://node2/\n");
        start(Routers.create("static", Map.of("static.routes", routes.toString())));

        HttpResponse<String> data = get("/routing/getdata");
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.body()).isEqualTo("#1: route from * to dtn://node3/* via dtn://node2/\n");

        HttpResponse<String> add = get("/routing/cmd?c=" + q("add 2 dtn://node1/* ipn:[2-3].* ipn:2.0"));
        assertThat(add.statusCode()).isEqualTo(200);
        assertThat(add.body()).isEqualTo("Added #2: route from dtn://node1/* to ipn:[2-3].* via ipn:2.0");
        assertThat(get("/routing/getdata").body()).isEqualTo("#1: route from * to dtn://node3/* via dtn://node2/\n"
                + "#2: route from dtn://node1/* to ipn:[2-3].* via ipn:2.0\n");

        assertThat(get("/routing/cmd?c=" + q("del 2")).body()).isEqualTo("Removed 1 route with index 2");
        HttpResponse<String> missing = get("/routing/cmd?c=" + q("del 2"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("no static route with index 2");

        Files.writeString(routes, "7 dtn://a/* * dtn://node9/\n");
        HttpResponse<String> reload = get("/routing/cmd?c=reload");
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).startsWith("Reloaded 1 static routes from ");
        assertThat(get("/routing/getdata").body()).isEqualTo("#7: route from dtn://a/* to * via dtn://node9/\n");

        // POST works as in dtnd
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/routing/cmd?c=" + q("del 7")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(get("/routing/getdata").body()).isEmpty();
    }

    @Test
    void staticRouterRejectsBadCommands() throws Exception {
        Path routes = dir.resolve("routes.csv");
        Files.writeString(routes, "1 * * dtn://node2/\n");
        start(Routers.create("static", Map.of("static.routes", routes.toString())));
        for (String bad : List.of("frobnicate", "add 1 * *", "add 1 * * not-an-eid", "del", "reload now", " ")) {
            HttpResponse<String> r = get("/routing/cmd?c=" + q(bad));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).isNotBlank();
        }
        assertThat(get("/routing/cmd?c=frobnicate").body()).contains("unknown command 'frobnicate'", "reload", "add", "del");
        assertThat(get("/routing/cmd?c=" + q("add 1 * * not-an-eid")).body()).startsWith("bad route: ");
        Files.delete(routes);
        HttpResponse<String> reload = get("/routing/cmd?c=reload");
        assertThat(reload.statusCode()).isEqualTo(500);
        assertThat(reload.body()).startsWith("reload failed, the old routes stay: ");
        assertThat(get("/routing/getdata").body()).isEqualTo("#1: route from * to * via dtn://node2/\n");
    }

    @Test
    void epidemicShowsWhoHoldsEachBundleAndTakesNoCommands() throws Exception {
        start(Routers.create("epidemic"));
        String bid = send("dtn://node3/x");
        JsonNode data = Json.MAPPER.readTree(get("/routing/getdata").body());
        assertThat(data.has(bid)).isTrue();
        assertThat(data.get(bid).isArray()).isTrue();
        JsonNode one = Json.MAPPER.readTree(get("/routing/getdata?p=" + q(bid)).body());
        assertThat(one.size()).isEqualTo(1);
        assertThat(one.has(bid)).isTrue();

        HttpResponse<String> cmd = get("/routing/cmd?c=reload");
        assertThat(cmd.statusCode()).isEqualTo(400);
        assertThat(cmd.body()).isEqualTo("the epidemic router takes no commands (got 'reload')");
        HttpResponse<String> badId = get("/routing/getdata?p=nonsense");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).startsWith("p is not a bundle ID");
        HttpResponse<String> unknown = get("/routing/getdata?p=" + q("dtn://node9/-1-0"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("Bundle not found");
    }

    @Test
    void sprayAndWaitShowsCopiesLeft() throws Exception {
        start(Routers.create("sprayandwait", Map.of("num_copies", "5")));
        String bid = send("dtn://node3/x");
        JsonNode data = Json.MAPPER.readTree(get("/routing/getdata").body());
        assertThat(data.at("/" + bid.replace("~", "~0").replace("/", "~1") + "/copies").asInt()).isEqualTo(5);
        assertThat(data.get(bid).get("sent_to").isArray()).isTrue();
    }

    @Test
    void debugRoutesInsertARandomBundleAndPeer() throws Exception {
        start(Routers.create("epidemic"));
        HttpResponse<String> b = get("/debug/rnd_bundle");
        assertThat(b.statusCode()).isEqualTo(200);
        String bid = b.body();
        assertThat(bid).matches("dtn://node\\d+/[a-z0-9]+-\\d+-0");
        assertThat(get("/status/bundles").body()).contains(bid);
        HttpResponse<byte[]> dl = http.send(HttpRequest.newBuilder(URI.create(base + "/download?" + bid)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Bundle bundle = BundleCodec.decode(dl.body(), DecodeOptions.DEFAULT);
        assertThat(bundle.payload().toByteArray()).isEqualTo("ABC".getBytes(StandardCharsets.UTF_8));
        assertThat(bundle.primary().flags().bits()).isEqualTo(0x20004);
        assertThat(bundle.hopCount()).isNotNull();

        HttpResponse<String> p = get("/debug/rnd_peer");
        assertThat(p.statusCode()).isEqualTo(200);
        JsonNode peer = Json.MAPPER.readTree(p.body());
        String ssp = peer.get("eid").get(1).asText();
        assertThat(ssp).matches("//[a-z][a-z0-9]{9}/");
        assertThat(peer.get("con_type").asText()).isEqualTo("Dynamic");
        assertThat(peer.get("cla_list").size()).isZero();
        assertThat(peer.at("/addr/Ip").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        JsonNode peers = Json.MAPPER.readTree(get("/status/peers").body());
        assertThat(peers.has(ssp.substring(2, ssp.length() - 1))).isTrue();
    }

    @Test
    void peersShowFailedTransmissionsAndAdvertisedServices() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PeerExtras[] holder = new PeerExtras[1];
        MeteredConvergenceLayer mtcp = new MeteredConvergenceLayer(
                ConvergenceLayers.create("mtcp", ClaOptions.defaults().toBuilder().port(0).bindHost("127.0.0.1").build()),
                new io.dtn7j.daemon.node.TransferListener() {
                    @Override
                    public void failed(String cla, ClaAddress to, io.dtn7j.core.cla.OutgoingBundle bundle,
                                       io.dtn7j.core.cla.TransmissionException error) {
                        holder[0].failed(cla, to, bundle, error);
                    }
                });
        start(Routers.create("epidemic"), List.of(mtcp));
        holder[0] = extras;
        agent.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://node2/"), new ClaAddress("mtcp", "127.0.0.1", closedPort)));
        extras.servicesSeen(EndpointId.parse("dtn://node2/"), List.of(
                new BeaconService(BeaconService.TAG_TEXT, "hello".getBytes(StandardCharsets.UTF_8)),
                new BeaconService(BeaconService.TAG_BATTERY, new byte[] {75}),
                new BeaconService(BeaconService.TAG_GEO_LOCATION, java.nio.ByteBuffer.allocate(8).putFloat(52.5f).putFloat(13f).array()),
                new BeaconService(42, "unicast".getBytes(StandardCharsets.UTF_8)),
                new BeaconService(200, new byte[] {(byte) 0xff, 0})));
        send("dtn://node2/x");
        JsonNode node2 = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            node2 = Json.MAPPER.readTree(get("/status/peers").body()).get("node2");
            if (node2.get("fails").asInt() > 0) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(node2.get("fails").asInt()).isPositive();
        assertThat(node2.get("services").toString())
                .isEqualTo("{\"42\":\"unicast\",\"63\":\"hello\",\"127\":\"52.5 13\",\"191\":\"75\",\"200\":\"ff00\"}");
        String metrics = get("/metrics").body();
        assertThat(metrics).containsPattern("(?m)^dtn7j_cla_send_failures_total\\{cla=\"mtcp\"} [1-9]\\d*$");
        assertThat(metrics).contains("# TYPE dtn7j_bundles_deviations_total counter",
                "dtn7j_bundles_deviations_total{kind=\"none\"} 0", "dtn7j_registrations ", "dtn7j_api_websocket_sessions 0");
    }

    @Test
    void metricsCountWaivedDeviationsByKind() throws Exception {
        start(Routers.create("epidemic"));
        // a node ID without the trailing slash is a deviation the default policy waives
        byte[] b = BundleCodec.encode(Bundle.builder().source("dtn://node7").destination("dtn://node1/in")
                .lifetimeMs(3_600_000).payload("x").build());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/push"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(b)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String metrics = get("/metrics").body();
        assertThat(metrics).containsPattern("(?m)^dtn7j_bundles_deviations_total\\{kind=\"node_id_without_slash\"} [1-9]\\d*$");
        assertThat(metrics).doesNotContain("kind=\"none\"");
        for (String line : metrics.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) .*|[a-z0-9_]+(\\{[a-z]+=\"[^\"]*\"})? -?\\d+");
        }
    }
}
