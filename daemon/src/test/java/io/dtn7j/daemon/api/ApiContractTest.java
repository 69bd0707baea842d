package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dtn7-rs REST routes (dtn7-compat.md §4.2) over a real socket: reply texts, status codes, raw-query
 * handling, JSON shapes, and 4xx answers with a message for bad input.
 */
abstract class ApiContractTest {
    protected NodeService node;
    protected ApiServer server;
    protected final HttpClient http = HttpClient.newHttpClient();
    protected String base;

    /** The node under test, with node ID dtn://node1/. */
    protected abstract NodeService newNode() throws Exception;

    /** Hands a bundle to the node to be delivered to a local endpoint (from a peer). */
    protected void deliverFromPeer(byte[] bundle) throws Exception {
        node.receive(bundle, true);
    }

    @BeforeEach
    void start() throws Exception {
        node = newNode();
        server = new ApiServer(node, ApiOptions.loopback(0)).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (node instanceof AutoCloseable c) {
            c.close();
        }
    }

    protected HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    protected HttpResponse<byte[]> post(String pathAndQuery, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    protected static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    protected static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** A bundle created now (so it has not expired), sequence 1. */
    protected static byte[] bundle(String src, String dst, String payload) {
        return BundleCodec.encode(Bundle.builder().source(src).destination(dst).reportTo(src)
                .creation(NOW, 1).lifetimeMs(3_600_000).flags(0x04).payload(payload).build());
    }

    protected static final long NOW = io.dtn7j.bundle.DtnTime.now();

    @Test
    void nodeIdIsPlainText() throws Exception {
        HttpResponse<byte[]> r = get("/status/nodeid");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("dtn://node1/");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void registerResolvesServiceNamesAndFullEids() throws Exception {
        assertThat(text(get("/register?incoming"))).isEqualTo("Registered dtn://node1/incoming");
        assertThat(text(get("/register?incoming"))).isEqualTo("Registered dtn://node1/incoming");
        assertThat(text(get("/register?dtn://global/~news"))).isEqualTo("Registered URI: dtn://global/~news");
        JsonNode eids = json(get("/status/eids"));
        assertThat(eids.get(0).asText()).isEqualTo("dtn://node1/");
        assertThat(eids.toString()).contains("dtn://node1/incoming", "dtn://global/~news");
        assertThat(text(get("/unregister?incoming"))).isEqualTo("Unregistered dtn://node1/incoming");
        assertThat(text(get("/unregister?dtn://global/~news"))).isEqualTo("Unregistered URI: dtn://global/~news");
        assertThat(json(get("/status/eids")).toString()).doesNotContain("incoming", "~news");
    }

    @Test
    void registerRejectsBadInput() throws Exception {
        HttpResponse<byte[]> r = get("/register");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("missing query parameter");
        r = get("/register?bad%20name!");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Malformed endpoint path, only alphanumeric strings or endpoint URIs are allowed!");
        r = get("/unregister?foo:bar");
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void endpointPollsQueuedBundlesThenSaysNothingToReceive() throws Exception {
        get("/register?incoming");
        HttpResponse<byte[]> none = get("/endpoint?incoming");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(text(none)).isEqualTo("Nothing to receive");
        byte[] b = bundle("dtn://node2/app", "dtn://node1/incoming", "hello");
        deliverFromPeer(b);
        HttpResponse<byte[]> got = awaitBundle("/endpoint?incoming");
        assertThat(got.headers().firstValue("content-type")).hasValue("application/octet-stream");
        Bundle decoded = BundleCodec.decode(got.body(), DecodeOptions.DEFAULT);
        assertThat(decoded.payloadText()).isEqualTo("hello");
        assertThat(decoded.source().uri()).isEqualTo("dtn://node2/app");
        assertThat(text(get("/endpoint?incoming"))).isEqualTo("Nothing to receive");
    }

    @Test
    void endpointHexReturnsHex() throws Exception {
        get("/register?dtn://node1/hexy");
        deliverFromPeer(bundle("dtn://node2/app", "dtn://node1/hexy", "hex payload"));
        HttpResponse<byte[]> r = awaitBundle("/endpoint.hex?dtn://node1/hexy");
        Bundle decoded = BundleCodec.decode(Hex.decode(text(r)), DecodeOptions.DEFAULT);
        assertThat(decoded.payloadText()).isEqualTo("hex payload");
        assertThat(text(get("/endpoint.hex?hexy"))).isEqualTo("Nothing to receive");
    }

    @Test
    void endpointErrors() throws Exception {
        HttpResponse<byte[]> r = get("/endpoint?notregistered");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(text(r)).isEqualTo("No such endpoint registered!");
        r = get("/endpoint");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("missing query parameter");
        r = get("/endpoint?a%20b");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Malformed endpoint path, only alphanumeric strings allowed!");
    }

    protected HttpResponse<byte[]> awaitBundle(String route) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            HttpResponse<byte[]> r = get(route);
            assertThat(r.statusCode()).isEqualTo(200);
            if (!text(r).equals("Nothing to receive") || System.currentTimeMillis() > deadline) {
                return r;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void sendCreatesABundleThatIsListedDownloadableAndDeletable() throws Exception {
        HttpResponse<byte[]> r = post("/send?dst=dtn://node3/inbox&lifetime=30m", "payload!".getBytes());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).matches("Sent ADU in bundle dtn://node1/-\\d+-\\d+ with 8 bytes");
        String bid = text(r).substring("Sent ADU in bundle ".length(), text(r).indexOf(" with "));
        assertThat(json(get("/status/bundles")).toString()).contains(bid);
        assertThat(json(get("/status/bundles/filtered?addr=node3")).toString()).contains(bid);
        assertThat(json(get("/status/bundles/filtered?addr=nomatch")).size()).isZero();
        assertThat(json(get("/status/bundles/verbose")).get(0).asText()).startsWith("dtn://node1/ dtn://node3/inbox ");
        assertThat(json(get("/status/store")).get(0).asText()).startsWith(bid + " {");

        HttpResponse<byte[]> dl = get("/download?" + bid);
        assertThat(dl.statusCode()).isEqualTo(200);
        Bundle b = BundleCodec.decode(dl.body(), DecodeOptions.DEFAULT);
        assertThat(b.payloadText()).isEqualTo("payload!");
        assertThat(b.destination().uri()).isEqualTo("dtn://node3/inbox");
        assertThat(b.primary().lifetimeMs()).isEqualTo(1_800_000);
        assertThat(b.flags().bits()).isEqualTo(0x04);
        assertThat(b.hopCount()).hasValueSatisfying(h -> assertThat(h.limit()).isEqualTo(32));
        assertThat(Hex.decode(text(get("/download.hex?" + bid)))).isEqualTo(dl.body());

        String digest = text(get("/status/bundles/digest"));
        assertThat(digest).isEqualTo(ApiHandler.digest(List.of(bid))).hasSize(40);
        assertThat(text(get("/status/bundles/filtered/digest?addr=node3"))).isEqualTo(digest);

        HttpResponse<byte[]> del = get("/delete?" + bid);
        assertThat(text(del)).isEqualTo("Deleted " + bid);
        assertThat(json(get("/status/bundles")).toString()).doesNotContain(bid);
        HttpResponse<byte[]> again = get("/delete?" + bid);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(text(again)).isEqualTo("Bundle not found");
    }

    @Test
    void sendTakesBareIntegerLifetimeAsMilliseconds() throws Exception {
        HttpResponse<byte[]> r = post("/send?dst=dtn://node3/x&lifetime=86400000", new byte[] {1, 2, 3});
        assertThat(r.statusCode()).isEqualTo(200);
        String bid = text(r).substring("Sent ADU in bundle ".length(), text(r).indexOf(" with "));
        Bundle b = BundleCodec.decode(get("/download?" + bid).body(), DecodeOptions.DEFAULT);
        assertThat(b.primary().lifetimeMs()).isEqualTo(86_400_000L);
    }

    @Test
    void sendFlagsAreApplied() throws Exception {
        HttpResponse<byte[]> r = post("/send?dst=dtn://node3/x&flags=" + 0x20004, new byte[] {1});
        assertThat(r.statusCode()).isEqualTo(200);
        String bid = text(r).substring("Sent ADU in bundle ".length(), text(r).indexOf(" with "));
        Bundle b = BundleCodec.decode(get("/download?" + bid).body(), DecodeOptions.DEFAULT);
        assertThat(b.flags().bits()).isEqualTo(0x20004);
    }

    @Test
    void sendRejectsBadInput() throws Exception {
        HttpResponse<byte[]> r = post("/send", new byte[] {1});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Missing destination endpoint id!");
        r = post("/send?dst=dtn:none", new byte[] {1});
        assertThat(text(r)).isEqualTo("Missing destination endpoint id!");
        r = post("/send?dst=garbage", new byte[] {1});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).startsWith("Invalid destination endpoint id 'garbage'");
        r = post("/send?dst=dtn://n/x&flags=" + (1L << 40), new byte[] {1});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Invalid Bundle Processing Control Flags!");
        r = post("/send?dst=dtn://n/x&flags=abc", new byte[] {1});
        assertThat(r.statusCode()).isEqualTo(400);
        r = post("/send?dst=dtn://n/x&lifetime=soon", new byte[] {1});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).startsWith("Invalid lifetime");
        assertThat(get("/send?dst=dtn://n/x").statusCode()).isEqualTo(405);
        assertThat(json(get("/status/bundles")).size()).isZero();
    }

    @Test
    void downloadAndDeleteErrors() throws Exception {
        HttpResponse<byte[]> r = get("/download?dtn://nobody/-1-0");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(text(r)).isEqualTo("Bundle not found");
        r = get("/download.hex?dtn://nobody/-1-0");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Bundle not found");
        r = get("/download");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Bundle ID not specified");
        r = get("/delete");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Bundle ID not specified");
    }

    @Test
    void pushAcceptsBundlesAndRejectsGarbage() throws Exception {
        byte[] b = bundle("dtn://node2/app", "dtn://node9/far", "pushed");
        HttpResponse<byte[]> r = post("/push", b);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("Received " + b.length + " bytes");
        assertThat(json(get("/status/bundles")).toString()).contains("dtn://node2/app-" + NOW + "-1");
        r = post("/push", "not a bundle".getBytes());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).startsWith("Error decoding bundle! ").hasSizeGreaterThan("Error decoding bundle! ".length() + 5);
        r = post("/push", new byte[] {(byte) 0x9f, (byte) 0x89, 0x07, 0x1b, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(get("/status/nodeid"))).isEqualTo("dtn://node1/");
    }

    @Test
    void insertByPostAndByHexQuery() throws Exception {
        byte[] b1 = bundle("dtn://node1/", "dtn://node9/a", "one");
        HttpResponse<byte[]> r = post("/insert", b1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("Sent " + b1.length + " bytes");
        byte[] b2 = BundleCodec.encode(Bundle.builder().source("dtn://node1/").destination("dtn://node9/b")
                .reportTo("dtn://node1/").creation(NOW + 1, 0).lifetimeMs(3_600_000).payload("two").build());
        r = get("/insert?" + Hex.encode(b2));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("Sent " + b2.length + " bytes");
        assertThat(json(get("/status/bundles")).toString()).contains("dtn://node1/-" + (NOW + 1) + "-0");
        r = get("/insert?zz");
        assertThat(r.statusCode()).isEqualTo(400);
        r = get("/insert?abc");
        assertThat(r.statusCode()).isEqualTo(400);
        r = post("/insert", new byte[] {1, 2, 3});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).startsWith("Error decoding bundle!");
    }

    @Test
    void ctsIsCompactJsonPair() throws Exception {
        String cts = text(get("/cts"));
        assertThat(cts).matches("\\[\\d+,\\d+]");
        JsonNode a = Json.MAPPER.readTree(cts);
        JsonNode b = json(get("/cts"));
        assertThat(a.get(0).asLong() < b.get(0).asLong() || a.get(1).asLong() < b.get(1).asLong()).isTrue();
    }

    @Test
    void peersAddListDelete() throws Exception {
        assertThat(text(get("/peers/add?p=mtcp://127.0.0.1:16163/node2&p_t=static"))).isEqualTo("Added new peer");
        assertThat(text(get("/peers/add?p=mtcp://127.0.0.1:16163/node2&p_t=STATIC"))).isEqualTo("Updated existing peer");
        JsonNode peers = json(get("/status/peers"));
        JsonNode p = peers.get("node2");
        assertThat(p).isNotNull();
        assertThat(p.get("eid").toString()).isEqualTo("[1,\"//node2/\"]");
        assertThat(p.get("addr").toString()).isEqualTo("{\"Ip\":\"127.0.0.1\"}");
        assertThat(p.get("con_type").asText()).isEqualTo("Static");
        assertThat(p.get("cla_list").toString()).isEqualTo("[[\"mtcp\",16163]]");
        assertThat(text(get("/peers/del?p=mtcp://127.0.0.1:16163/node2"))).isEqualTo("Removed peer");
        assertThat(json(get("/status/peers")).has("node2")).isFalse();

        HttpResponse<byte[]> r = get("/peers/add");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("missing peer parameter p");
        r = get("/peers/add?p=nonsense");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("Malformed peer URL");
        r = get("/peers/add?p=mtcp://127.0.0.1/node2&p_t=sometimes");
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void infoHasDtnRsShape() throws Exception {
        JsonNode info = json(get("/status/info"));
        for (String k : List.of("incoming", "dups", "outgoing", "delivered", "failed", "broken")) {
            assertThat(info.has(k)).as(k).isTrue();
        }
        assertThat(info.at("/node/node_state/administrative_eid").asText()).isEqualTo("dtn://node1/");
        assertThat(info.at("/node/registrations/0/eid").asText()).isEqualTo("dtn://node1/");
        assertThat(text(get("/status/info"))).contains("\n  \"incoming\": ");
    }

    @Test
    void unknownRoutesAndMethods() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(post("/status/nodeid", new byte[0]).statusCode()).isEqualTo(405);
        HttpResponse<byte[]> r = get("/routing/cmd");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("missing routing command parameter cmd");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/routing/getdata")).DELETE().build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(405);
        assertThat(post("/debug/rnd_bundle", new byte[0]).statusCode()).isEqualTo(405);
    }

    @Test
    void deleteWorksWithTheDeleteMethodToo() throws Exception {
        HttpResponse<byte[]> sent = post("/send?dst=dtn://node3/x", new byte[] {7});
        String bid = text(sent).substring("Sent ADU in bundle ".length(), text(sent).indexOf(" with "));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/delete?" + bid)).DELETE().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("Deleted " + bid);
        assertThat(get("/download?" + bid).statusCode()).isEqualTo(404);
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        post("/send?dst=dtn://node3/x", new byte[] {1});
        HttpResponse<byte[]> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        String m = text(r);
        assertThat(m).contains("# TYPE dtn7j_bundles_received_total counter", "# TYPE dtn7j_store_bundles gauge");
        assertThat(m).containsPattern("(?m)^dtn7j_store_bundles 1$");
        for (String line : m.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) .*|[a-z0-9_]+(\\{[a-z]+=\"[^\"]*\"})? -?\\d+");
        }
    }

    @Test
    void webPagesShowNodeIdPeersAndBundles() throws Exception {
        get("/peers/add?p=tcp://10.0.0.2:4556/node7&p_t=STATIC");
        HttpResponse<byte[]> sent = post("/send?dst=dtn://node3/x", "hi".getBytes());
        String bid = text(sent).substring("Sent ADU in bundle ".length(), text(sent).indexOf(" with "));
        HttpResponse<byte[]> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(text(index)).contains("<title>dtn7: dtn://node1/</title>", "dtn7 local node: <span id=\"nodeid\">dtn://node1/");
        assertThat(text(get("/peers"))).contains("dtn://node7/", "Static", "{&quot;Ip&quot;:&quot;10.0.0.2&quot;}");
        assertThat(text(get("/bundles"))).contains("href=\"/download?" + bid + "\"");
        assertThat(text(get("/web/live.js"))).contains("setInterval");
    }
}
