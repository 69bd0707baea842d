package io.dtn7j.daemon.erouting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.daemon.Daemon;
import io.dtn7j.daemon.api.Json;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -r external} with a java.net.http WebSocket client acting as the external router on {@code /ws/erouting}:
 * it gets the peer and service state, peer events and a RequestSenderForBundle per bundle, and its answer makes the
 * daemon forward the bundle over MTCP on loopback to a second daemon, which delivers it.
 */
class ExternalRoutingTest {
    @TempDir
    Path dir;
    private final List<Daemon> daemons = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private Daemon start(String node, String routing, Map<String, String> routingOptions, String endpoint) throws Exception {
        DaemonConfig c = new DaemonConfig();
        c.nodeId = "dtn://" + node + "/";
        c.db = "mem";
        c.workdir = dir.resolve(node);
        c.clas = List.of(new DaemonConfig.ClaSpec("mtcp", Map.of("port", "0", "bind", "127.0.0.1")));
        c.discoveryDisabled = true;
        c.webPort = 0;
        c.janitorMs = 60_000;
        c.crc = "none";
        c.routing = routing;
        c.routingOptions.putAll(routingOptions);
        c.services.put(63, "router test");
        if (endpoint != null) {
            c.endpoints = List.of(endpoint);
        }
        Daemon d = Daemon.start(c, new PrintStream(OutputStream.nullOutputStream()));
        daemons.add(d);
        return d;
    }

    @AfterEach
    void stop() {
        daemons.forEach(Daemon::close);
    }

    private HttpResponse<String> get(Daemon d, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.apiPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String send(Daemon d, String dst, String payload) throws Exception {
        String r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.apiPort() + "/send?dst=" + dst))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return r.substring("Sent ADU in bundle ".length(), r.indexOf(" with "));
    }

    private static WsClient router(Daemon d) throws Exception {
        return new WsClient("ws://127.0.0.1:" + d.apiPort() + "/ws/erouting");
    }

    /** Next packet of {@code type}, skipping other notifications. */
    private static JsonNode next(WsClient c, String type) throws Exception {
        for (int i = 0; i < 50; i++) {
            JsonNode p = Json.MAPPER.readTree(c.nextText());
            if (p.path("type").asText().equals(type)) {
                return p;
            }
        }
        throw new AssertionError("no " + type + " packet");
    }

    @Test
    void theRoutersAnswerDecidesTheNextHopAndTheBundleIsDelivered() throws Exception {
        Daemon node2 = start("node2", "epidemic", Map.of(), "incoming");
        // a generous answer deadline: the test's router runs on a busy machine (dtnd's 250 ms is the default)
        Daemon node1 = start("node1", "external", Map.of("external.timeout_ms", "2000"), null);
        int node2Mtcp = node2.agent().convergenceLayers().get("mtcp").port();
        try (WsClient r = router(node1)) {
            JsonNode peerState = next(r, "PeerState");
            assertThat(peerState.get("peers").isObject()).isTrue();
            JsonNode serviceState = next(r, "ServiceState");
            assertThat(serviceState.get("service_list").toString()).isEqualTo("{\"63\":\"router test\"}");

            assertThat(get(node1, "/peers/add?p=mtcp://127.0.0.1:" + node2Mtcp + "/node2&p_t=STATIC").statusCode()).isEqualTo(200);
            JsonNode encountered = next(r, "EncounteredPeer");
            assertThat(encountered.get("name").asText()).isEqualTo("node2");
            assertThat(encountered.get("eid").toString()).isEqualTo("[1,\"//node2/\"]");
            assertThat(encountered.at("/peer/cla_list").toString()).isEqualTo("[[\"mtcp\"," + node2Mtcp + "]]");

            String bid = send(node1, "dtn://node2/incoming", "routed externally");
            JsonNode request = next(r, "RequestSenderForBundle");
            assertThat(request.get("clas").toString()).isEqualTo("[\"mtcp\"]");
            JsonNode bp = request.get("bp");
            assertThat(bp.get("id").asText()).isEqualTo(bid);
            assertThat(bp.get("source").toString()).isEqualTo("[1,\"//node1/\"]");
            assertThat(bp.get("destination").toString()).isEqualTo("[1,\"//node2/incoming\"]");
            assertThat(bp.get("lifetime").asLong()).isEqualTo(3_600_000);
            assertThat(bp.get("administrative").asBoolean()).isFalse();
            assertThat(bp.get("size").asLong()).isPositive();
            assertThat(bp.get("received_time").asLong()).isCloseTo(System.currentTimeMillis(),
                    org.assertj.core.data.Offset.offset(60_000L));
            assertThat(bp.get("constraints").toString()).contains("ForwardPending");

            r.send("{\"type\":\"ResponseSenderForBundle\",\"bp\":" + bp + ",\"clas\":[{\"remote\":{\"Ip\":\"127.0.0.1\"},"
                    + "\"port\":" + node2Mtcp + ",\"agent\":\"mtcp\",\"next_hop\":[1,\"//node2/\"]}],\"delete_afterwards\":true}");
            JsonNode ok = next(r, "SendingSucceeded");
            assertThat(ok.get("bid").asText()).isEqualTo(bid);
            assertThat(ok.get("cla_sender").asText()).isEqualTo("node2");

            byte[] got = null;
            for (int i = 0; i < 200 && got == null; i++) {
                HttpResponse<byte[]> e = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node2.apiPort()
                        + "/endpoint?incoming")).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (!new String(e.body(), StandardCharsets.UTF_8).equals("Nothing to receive")) {
                    got = e.body();
                }
                Thread.sleep(20);
            }
            assertThat(got).isNotNull();
            Bundle b = BundleCodec.decode(got, DecodeOptions.DEFAULT);
            assertThat(b.id().toString()).isEqualTo(bid);
            assertThat(b.payload().toByteArray()).isEqualTo("routed externally".getBytes(StandardCharsets.UTF_8));
            // delete_afterwards: node1 let it go
            for (int i = 0; i < 100 && get(node1, "/status/bundles").body().contains(bid); i++) {
                Thread.sleep(20);
            }
            assertThat(get(node1, "/status/bundles").body()).doesNotContain(bid);

            // no answer in time: Timeout, and the bundle waits
            String late = send(node1, "dtn://node3/x", "nobody answers");
            JsonNode req2 = next(r, "RequestSenderForBundle");
            assertThat(req2.at("/bp/id").asText()).isEqualTo(late);
            JsonNode timeout = next(r, "Timeout");
            assertThat(timeout.at("/bp/id").asText()).isEqualTo(late);
            assertThat(get(node1, "/status/bundles").body()).contains(late);

            // a second router is refused
            try (WsClient second = router(node1)) {
                JsonNode err = Json.MAPPER.readTree(second.nextText());
                assertThat(err.toString()).isEqualTo("{\"type\":\"Error\",\"reason\":\"external routing agent already registered\"}");
                assertThat(second.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
            }

            JsonNode data = Json.MAPPER.readTree(get(node1, "/routing/getdata").body());
            assertThat(data.get("connected").asBoolean()).isTrue();
            assertThat(data.get("timeouts").asLong()).isPositive();
            HttpResponse<String> cmd = get(node1, "/routing/cmd?c=reload");
            assertThat(cmd.statusCode()).isEqualTo(400);
            String metrics = get(node1, "/metrics").body();
            assertThat(metrics).contains("dtn7j_erouting_connected 1");
            assertThat(metrics).containsPattern("(?m)^dtn7j_erouting_timeouts_total [1-9]");
        }
    }

    @Test
    void withoutARouterBundlesWaitAndAreOfferedWhenOneConnects() throws Exception {
        Daemon node1 = start("node1", "external", Map.of(), null);
        String bid = send(node1, "dtn://node5/x", "waiting");
        Thread.sleep(300);
        assertThat(get(node1, "/status/bundles").body()).contains(bid);
        try (WsClient r = router(node1)) {
            JsonNode req = next(r, "RequestSenderForBundle");
            assertThat(req.at("/bp/id").asText()).isEqualTo(bid);

            // bad packets get an Error and change nothing
            r.send("garbage");
            assertThat(next(r, "Error").get("reason").asText()).startsWith("packet is not JSON");
            r.send("{\"type\":\"ServiceAdd\",\"tag\":300,\"service\":\"x\"}");
            assertThat(next(r, "Error").get("reason").asText()).isEqualTo("ServiceAdd needs a tag 0..255 and a service string");
            r.send("{\"type\":\"ResponseSenderForBundle\",\"bp\":{}}");
            assertThat(next(r, "Error").get("reason").asText()).isEqualTo("ResponseSenderForBundle needs bp.id and a clas array");
            r.send("{\"type\":\"Hello\"}");
            assertThat(next(r, "Error").get("reason").asText()).startsWith("unexpected packet type \"Hello\"");
            r.send("{\"type\":\"ServiceAdd\",\"tag\":191,\"service\":\"80\"}");
            for (int i = 0; i < 100 && !get(node1, "/routing/getdata").body().contains("\"191\""); i++) {
                Thread.sleep(20);
            }
            assertThat(Json.MAPPER.readTree(get(node1, "/routing/getdata").body()).at("/services/191").asText()).isEqualTo("80");
        }
        assertThat(get(node1, "/status/bundles").body()).contains(bid);
    }

    @Test
    void aFallbackRouterDecidesWhileNoneIsConnected() throws Exception {
        Daemon node2 = start("node2", "epidemic", Map.of(), "incoming");
        Daemon node1 = start("node1", "external", Map.of("external.fallback", "epidemic"), null);
        int node2Mtcp = node2.agent().convergenceLayers().get("mtcp").port();
        get(node1, "/peers/add?p=mtcp://127.0.0.1:" + node2Mtcp + "/node2&p_t=STATIC");
        send(node1, "dtn://node2/incoming", "via fallback");
        String body = null;
        for (int i = 0; i < 200; i++) {
            body = get(node2, "/endpoint?incoming").body();
            if (!body.equals("Nothing to receive")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(body).contains("via fallback");
        assertThat(Json.MAPPER.readTree(get(node1, "/routing/getdata").body()).get("fallback").asText()).isEqualTo("epidemic");
    }

    @Test
    void eroutingIsOffUnlessRoutingIsExternal() throws Exception {
        Daemon node1 = start("node1", "epidemic", Map.of(), null);
        HttpResponse<String> r = get(node1, "/ws/erouting");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("external routing is off: start the daemon with -r external");
    }
}
