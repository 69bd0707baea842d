package io.dtn7j.core.cla.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dtn7rs-rest CLA against a small fake of the dtn7-rs REST routes it calls. */
class Dtn7RsRestConvergenceLayerTest {

    @TempDir
    Path tmp;

    static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Test
    void fetchesNewBundlesRegistersAndPushes() throws Exception {
        Map<String, byte[]> store = new ConcurrentHashMap<>();
        List<String> calls = new CopyOnWriteArrayList<>();
        List<byte[]> pushed = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            calls.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            switch (path) {
                case "/status/nodeid" -> reply(ex, 200, "dtn://remote/".getBytes(StandardCharsets.UTF_8));
                case "/register" -> reply(ex, 200, ("Registered URI: " + query).getBytes(StandardCharsets.UTF_8));
                case "/status/bundles" -> reply(ex, 200, store.keySet().stream().map(k -> "\n  \"" + k + "\"")
                        .collect(Collectors.joining(",", "[", "\n]")).getBytes(StandardCharsets.UTF_8));
                case "/download" -> {
                    byte[] b = store.get(query);
                    if (b == null) {
                        reply(ex, 404, "Bundle not found".getBytes(StandardCharsets.UTF_8));
                    } else {
                        reply(ex, 200, b);
                    }
                }
                case "/push" -> {
                    pushed.add(ex.getRequestBody().readAllBytes());
                    reply(ex, 200, "Received".getBytes(StandardCharsets.UTF_8));
                }
                default -> reply(ex, 404, new byte[0]);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        store.put(TestBundles.id(1).toString(), TestBundles.encoded(100, 1));
        store.put(TestBundles.id(2).toString(), TestBundles.encoded(2 << 20, 2));
        TestClaContext ctx = new TestClaContext("dtn://me/", tmp);
        ctx.known.add(TestBundles.id(3)); // held already: must not be downloaded
        store.put(TestBundles.id(3).toString(), TestBundles.encoded(10, 3));
        ClaOptions options = ClaOptions.builder().parameter("url", "http://127.0.0.1:" + port)
                .parameter("poll-interval-ms", "100").build();
        try (Dtn7RsRestConvergenceLayer cla = new Dtn7RsRestConvergenceLayer(options)) {
            cla.start(ctx);
            long s1 = ctx.take(Duration.ofSeconds(5)).id().creation().sequence();
            long s2 = ctx.take(Duration.ofSeconds(5)).id().creation().sequence();
            assertThat(List.of(s1, s2)).containsExactlyInAnyOrder(1L, 2L);
            store.put(TestBundles.id(4).toString(), TestBundles.encoded(10, 4));
            assertThat(ctx.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(4);
            Thread.sleep(300);
            assertThat(ctx.received).isEmpty();
            assertThat(calls).contains("GET /status/nodeid", "GET /register?dtn://me/");
            assertThat(calls.stream().filter(c -> c.startsWith("GET /download")).count()).isEqualTo(3);
            assertThat(ctx.linksUp).extracting(p -> p.nodeId().uri()).containsExactly("dtn://remote/");
            cla.send(new ClaAddress("dtn7rs-rest", "127.0.0.1", port), TestBundles.outgoing(50, 9));
            assertThat(pushed).hasSize(1);
            assertThat(pushed.get(0)).isEqualTo(TestBundles.encoded(50, 9));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void parsesPrettyPrintedIdList() throws Exception {
        assertThat(Dtn7RsRestConvergenceLayer.parseIdList("[\n  \"dtn://a/-1-0\",\n  \"ipn:1.0-2-3\"\n]"))
                .containsExactly("dtn://a/-1-0", "ipn:1.0-2-3");
        assertThat(Dtn7RsRestConvergenceLayer.parseIdList("[]")).isEmpty();
    }
}
