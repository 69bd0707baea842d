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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /ws} (dtn7-compat.md §6): commands and their exact replies, and each mode's send and receive. */
abstract class WebSocketContractTest {
    protected NodeService node;
    protected ApiServer server;
    protected String ws;
    protected String base;

    protected abstract NodeService newNode() throws Exception;

    @BeforeEach
    void start() throws Exception {
        node = newNode();
        server = new ApiServer(node, ApiOptions.loopback(0)).start();
        ws = "ws://127.0.0.1:" + server.port() + "/ws";
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

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void commandsGetDtnRsReplies() throws Exception {
        try (WsClient c = new WsClient(ws)) {
            c.send("/node");
            assertThat(c.nextText()).isEqualTo("200 node: dtn://node1/");
            c.send("/bundle");
            assertThat(c.nextText()).isEqualTo("200 tx mode: bundle");
            c.send("/data");
            assertThat(c.nextText()).isEqualTo("200 tx mode: data");
            c.send("/json");
            assertThat(c.nextText()).isEqualTo("200 tx mode: JSON");
            c.send("/subscribe");
            assertThat(c.nextText()).isEqualTo("400 endpoint is missing");
            c.send("/subscribe nobody");
            assertThat(c.nextText()).isEqualTo("404 unknown endpoint");
            c.send("/unsubscribe dtn://node1/x");
            assertThat(c.nextText()).isEqualTo("404 endpoint not found");
            c.send("/foo bar");
            assertThat(c.nextText()).isEqualTo("501 unknown command: \"/foo bar\"");
            c.send("not a command");
            c.send("/unsubscribe");
            c.send("/node");
            assertThat(c.nextText()).isEqualTo("200 node: dtn://node1/");
            get("/register?incoming");
            c.send("/subscribe incoming");
            assertThat(c.nextText()).isEqualTo("200 subscribed");
            c.send("/unsubscribe dtn://node1/incoming");
            assertThat(c.nextText()).isEqualTo("200 unsubscribed");
            c.send("/unsubscribe ::bad::");
            assertThat(c.nextText()).isEqualTo("400 invalid endpoint");
        }
    }

    @Test
    void serverPingsWithDtn7Payload() throws Exception {
        try (WsClient c = new WsClient(ws)) {
            assertThat(c.pings.poll(3, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("dtn7");
            c.send("/node");
            assertThat(c.nextText()).isEqualTo("200 node: dtn://node1/");
        }
    }

    @Test
    void jsonModeIsTheDefaultAndCarriesBase64InBinaryFrames() throws Exception {
        get("/register?json");
        try (WsClient c = new WsClient(ws)) {
            c.send("/subscribe dtn://node1/json");
            assertThat(c.nextText()).isEqualTo("200 subscribed");
            Map<String, Object> send = new LinkedHashMap<>();
            send.put("src", "dtn://node1/json");
            send.put("dst", "dtn://node1/json");
            send.put("delivery_notification", false);
            send.put("lifetime", 60_000);
            send.put("data", Base64.getEncoder().encodeToString("json hello".getBytes(StandardCharsets.UTF_8)));
            c.send(Json.MAPPER.writeValueAsBytes(send));
            assertThat(c.nextText()).matches("200 Sent bundle dtn://node1/json-\\d+-\\d+ with 10 bytes");
            JsonNode got = Json.MAPPER.readTree(c.nextBinary());
            assertThat(got.get("src").asText()).isEqualTo("dtn://node1/json");
            assertThat(got.get("dst").asText()).isEqualTo("dtn://node1/json");
            assertThat(got.get("lifetime").asLong()).isEqualTo(60_000);
            assertThat(got.get("cts").isArray()).isTrue();
            assertThat(got.get("bid").asText()).startsWith("dtn://node1/json-");
            assertThat(new String(Base64.getDecoder().decode(got.get("data").asText()), StandardCharsets.UTF_8))
                    .isEqualTo("json hello");
            c.send("{not json".getBytes());
            assertThat(c.nextText()).isEqualTo("400 Unexpected binary: Err(\"error parsing json\")");
        }
    }

    @Test
    void subscribersGetBundlesWithoutWaitingForAPollInterval() throws Exception {
        // A send that the node delivers back to the same session: the delivery must not wait for a periodic flush
        // (a 100 ms pump once put 200 ms into every `dtn7j ping` round trip between two daemons).
        get("/register?fast");
        try (WsClient c = new WsClient(ws)) {
            c.send("/subscribe dtn://node1/fast");
            assertThat(c.nextText()).isEqualTo("200 subscribed");
            long[] ms = new long[21];
            for (int i = 0; i < ms.length; i++) {
                Map<String, Object> send = new LinkedHashMap<>();
                send.put("src", "dtn://node1/fast");
                send.put("dst", "dtn://node1/fast");
                send.put("delivery_notification", false);
                send.put("lifetime", 60_000);
                send.put("data", Base64.getEncoder().encodeToString(("n" + i).getBytes(StandardCharsets.UTF_8)));
                long t0 = System.nanoTime();
                c.send(Json.MAPPER.writeValueAsBytes(send));
                assertThat(c.nextText()).startsWith("200 Sent bundle");
                JsonNode got = Json.MAPPER.readTree(c.nextBinary());
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
                assertThat(new String(Base64.getDecoder().decode(got.get("data").asText()), StandardCharsets.UTF_8))
                        .isEqualTo("n" + i);
            }
            java.util.Arrays.sort(ms);
            assertThat(ms[ms.length / 2]).as("median ms from send to delivery over the WebSocket").isLessThan(30);
        }
    }

    @Test
    void dataModeUsesCborMaps() throws Exception {
        get("/register?cbor");
        try (WsClient c = new WsClient(ws)) {
            c.send("/data");
            assertThat(c.nextText()).isEqualTo("200 tx mode: data");
            c.send("/subscribe cbor");
            assertThat(c.nextText()).isEqualTo("200 subscribed");
            Map<String, Object> send = new LinkedHashMap<>();
            send.put("src", "dtn://node1/");
            send.put("dst", "dtn://node1/cbor");
            send.put("delivery_notification", true);
            send.put("lifetime", 120_000);
            send.put("data", new byte[] {0, 1, 2, (byte) 0xff});
            c.send(Json.CBOR.writeValueAsBytes(send));
            assertThat(c.nextText()).matches("200 Sent bundle dtn://node1/-\\d+-\\d+ with 4 bytes");
            JsonNode got = Json.CBOR.readTree(c.nextBinary());
            assertThat(got.get("src").asText()).isEqualTo("dtn://node1/");
            assertThat(got.get("data").binaryValue()).containsExactly(0, 1, 2, 0xff);
            assertThat(got.get("lifetime").asLong()).isEqualTo(120_000);
            c.send(new byte[] {(byte) 0xff, 0x00});
            assertThat(c.nextText()).isEqualTo("400 Unexpected binary: Err(\"error parsing cbor\")");
            send.put("dst", "not an eid");
            c.send(Json.CBOR.writeValueAsBytes(send));
            assertThat(c.nextText()).startsWith("400 invalid endpoint");
        }
    }

    @Test
    void bundleModeSendsAndReceivesWholeBundles() throws Exception {
        get("/register?raw");
        try (WsClient c = new WsClient(ws)) {
            c.send("/bundle");
            assertThat(c.nextText()).isEqualTo("200 tx mode: bundle");
            c.send("/subscribe raw");
            assertThat(c.nextText()).isEqualTo("200 subscribed");
            byte[] b = BundleCodec.encode(Bundle.builder().source("dtn://node1/raw").destination("dtn://node1/raw")
                    .reportTo("dtn://node1/raw").creation(io.dtn7j.bundle.DtnTime.now(), 7).lifetimeMs(3_600_000)
                    .payload("whole bundle").build());
            c.send(b);
            assertThat(c.nextText()).isEqualTo("200 Sent payload with " + b.length + " bytes");
            Bundle got = BundleCodec.decode(c.nextBinary(), DecodeOptions.DEFAULT);
            assertThat(got.payloadText()).isEqualTo("whole bundle");
            assertThat(got.id().toString()).matches("dtn://node1/raw-\\d+-7");
            c.send(new byte[] {1, 2, 3});
            assertThat(c.nextText()).isEqualTo("400 Invalid binary bundle");
        }
    }

    @Test
    void queuedBundlesAreFlushedOnSubscribeAndEndpointShowsActive() throws Exception {
        get("/register?later");
        node.receive(BundleCodec.encode(Bundle.builder().source("dtn://node2/x").destination("dtn://node1/later")
                .reportTo("dtn://node2/x").creation(io.dtn7j.bundle.DtnTime.now(), 1).lifetimeMs(3_600_000).payload("queued").build()), true);
        try (WsClient c = new WsClient(ws)) {
            c.send("/bundle");
            c.nextText();
            c.send("/subscribe later");
            assertThat(c.nextText()).isEqualTo("200 subscribed");
            assertThat(BundleCodec.decode(c.nextBinary(), DecodeOptions.DEFAULT).payloadText()).isEqualTo("queued");
            assertThat(get("/status/info")).contains("\"active\": true");
        }
    }
}
