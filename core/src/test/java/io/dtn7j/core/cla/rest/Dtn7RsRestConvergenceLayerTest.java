package io.dtn7j.core.cla.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.http.HostileAnswers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
                .parameter("poll-interval-ms", "100").parameter("fetch", "all").build();
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
    void aRemoteThatStallsOrFloodsCostsOnePollNotTheLink() throws Exception {
        // HttpRequest.timeout covers only the wait for the headers: before BoundedHttp, the first stalled body below
        // blocked the poll loop for good, and the flood was read to its end
        String stalled = id("dtn://src/app", 1);
        String flood = id("dtn://src/app", 2);
        String unaskable = "dtn://src/app with spaces-1-0";
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger listCalls = new AtomicInteger();
        AtomicInteger stalledCalls = new AtomicInteger();
        AtomicLong floodWritten = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            switch (path) {
                case "/status/nodeid" -> reply(ex, 200, "dtn://remote/".getBytes(StandardCharsets.UTF_8));
                case "/register" -> reply(ex, 200, ("Registered URI: " + query).getBytes(StandardCharsets.UTF_8));
                case "/status/bundles" -> {
                    byte[] list = json(List.of(stalled, flood, unaskable));
                    if (listCalls.incrementAndGet() == 1) {
                        HostileAnswers.stallAfter(ex, list, 1, release); // the first list stops after its "["
                    } else {
                        reply(ex, 200, list);
                    }
                }
                case "/download" -> {
                    if (query.equals(stalled)) {
                        byte[] b = bundle("dtn://src/app", "dtn://me/inbox", 1);
                        if (stalledCalls.incrementAndGet() == 1) {
                            HostileAnswers.stallAfter(ex, b, b.length / 2, release);
                        } else {
                            reply(ex, 200, b);
                        }
                    } else {
                        HostileAnswers.flood(ex, 256, release, floodWritten); // far beyond the maximum bundle size
                    }
                }
                default -> reply(ex, 404, new byte[0]);
            }
        });
        server.start();
        TestClaContext ctx = new TestClaContext("dtn://me/", tmp);
        ClaOptions options = ClaOptions.builder().parameter("url", "http://127.0.0.1:" + server.getAddress().getPort())
                .parameter("poll-interval-ms", "100").parameter("fetch", "all").frameTimeout(Duration.ofMillis(300))
                .maxBundleSize(1 << 20).build();
        try (Dtn7RsRestConvergenceLayer cla = new Dtn7RsRestConvergenceLayer(options)) {
            long t0 = System.nanoTime();
            cla.start(ctx);
            TestClaContext.Received r = ctx.take(Duration.ofSeconds(10));
            assertThat(r.id().creation().sequence()).isEqualTo(1);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the stalled bundle came on a later poll")
                    .isLessThan(5_000);
            assertThat(listCalls.get()).isGreaterThanOrEqualTo(2);
            assertThat(stalledCalls.get()).isGreaterThanOrEqualTo(2);
            Thread.sleep(500); // more polls: the flood is not asked for again, nothing else arrives
            assertThat(ctx.received).isEmpty();
            assertThat(floodWritten.get()).as("bytes the flood got out before the CLA cancelled it")
                    .isLessThan(64L << 20);
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void parsesPrettyPrintedIdList() throws Exception {
        assertThat(Dtn7RsRestConvergenceLayer.parseIdList("[\n  \"dtn://a/-1-0\",\n  \"ipn:1.0-2-3\"\n]"))
                .containsExactly("dtn://a/-1-0", "ipn:1.0-2-3");
        assertThat(Dtn7RsRestConvergenceLayer.parseIdList("[]")).isEmpty();
    }

    /** An encoded CRC-less bundle from {@code src} to {@code dst} with a small payload. */
    private static byte[] bundle(String src, String dst, long seq) {
        CborWriter w = new CborWriter(128);
        w.writeIndefiniteArray();
        w.writeArrayHeader(8);
        w.writeUnsigned(7).writeUnsigned(0).writeUnsigned(0);
        for (String eid : new String[] {dst, src, src}) {
            w.writeArrayHeader(2).writeUnsigned(1).writeTextString(eid.substring(4));
        }
        w.writeArrayHeader(2).writeUnsigned(800_000_000_000L).writeUnsigned(seq);
        w.writeUnsigned(3_600_000);
        w.writeArrayHeader(5).writeUnsigned(1).writeUnsigned(1).writeUnsigned(0).writeUnsigned(0);
        w.writeByteString(("payload " + seq).getBytes(StandardCharsets.UTF_8));
        w.writeBreak();
        return w.toByteArray();
    }

    private static String id(String src, long seq) {
        return src + "-800000000000-" + seq;
    }

    /**
     * A fake remote daemon holding bundles for this node and for others; with {@code filtered} it answers
     * {@code /status/bundles/filtered?addr=} as dtnd does (IDs whose source or destination text contains addr),
     * without it that route is 404 (an older or different daemon).
     */
    private HttpServer remote(Map<String, String[]> bundles, List<String> calls, boolean filtered) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            calls.add(path + (query == null ? "" : "?" + query));
            switch (path) {
                case "/status/nodeid" -> reply(ex, 200, "dtn://remote/".getBytes(StandardCharsets.UTF_8));
                case "/register" -> reply(ex, 200, ("Registered URI: " + query).getBytes(StandardCharsets.UTF_8));
                case "/status/bundles" -> reply(ex, 200, json(bundles.keySet()));
                case "/status/bundles/filtered" -> {
                    if (!filtered) {
                        reply(ex, 404, new byte[0]);
                        return;
                    }
                    String addr = URLDecoder.decode(query.substring("addr=".length()), StandardCharsets.UTF_8);
                    reply(ex, 200, json(bundles.entrySet().stream()
                            .filter(e -> e.getValue()[0].contains(addr) || e.getValue()[1].contains(addr))
                            .map(Map.Entry::getKey).toList()));
                }
                case "/download" -> {
                    String[] b = bundles.get(query);
                    if (b == null) {
                        reply(ex, 404, "Bundle not found".getBytes(StandardCharsets.UTF_8));
                    } else {
                        reply(ex, 200, bundle(b[0], b[1], Long.parseLong(b[2])));
                    }
                }
                default -> reply(ex, 404, new byte[0]);
            }
        });
        server.start();
        return server;
    }

    private static byte[] json(java.util.Collection<String> ids) {
        return ids.stream().map(k -> "\n  \"" + k + "\"").collect(Collectors.joining(",", "[", "\n]"))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Bundles at the remote: for this node, for others, one whose destination merely starts alike, one of ours. */
    private static Map<String, String[]> mixedStore() {
        Map<String, String[]> bundles = new ConcurrentHashMap<>();
        bundles.put(id("dtn://src/app", 1), new String[] {"dtn://src/app", "dtn://me/inbox", "1"});
        bundles.put(id("dtn://src/app", 2), new String[] {"dtn://src/app", "dtn://other/inbox", "2"});
        bundles.put(id("dtn://src/app", 3), new String[] {"dtn://src/app", "dtn://me2/inbox", "3"});
        bundles.put(id("dtn://me/app", 4), new String[] {"dtn://me/app", "dtn://other/inbox", "4"});
        bundles.put(id("dtn://src/app", 5), new String[] {"dtn://src/app", "dtn://me/", "5"});
        return bundles;
    }

    private static List<Long> sequences(TestClaContext ctx, int n) throws InterruptedException {
        List<Long> seqs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            seqs.add(ctx.take(Duration.ofSeconds(5)).id().creation().sequence());
        }
        return seqs;
    }

    @Test
    void fetchesOnlyBundlesForThisNode() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer server = remote(mixedStore(), calls, true);
        TestClaContext ctx = new TestClaContext("dtn://me/", tmp);
        ClaOptions options = ClaOptions.builder().parameter("url", "http://127.0.0.1:" + server.getAddress().getPort())
                .parameter("poll-interval-ms", "100").build();
        try (Dtn7RsRestConvergenceLayer cla = new Dtn7RsRestConvergenceLayer(options)) {
            cla.start(ctx);
            assertThat(sequences(ctx, 2)).containsExactlyInAnyOrder(1L, 5L);
            Thread.sleep(400); // several more polls
            assertThat(ctx.received).isEmpty();
            assertThat(calls).contains("/status/bundles/filtered?addr=dtn%3A%2F%2Fme%2F").doesNotContain("/status/bundles");
            // only the two bundles for dtn://me/ were downloaded, each once; dtn://me2/ and our own were not
            assertThat(calls.stream().filter(c -> c.startsWith("/download")).toList()).containsExactlyInAnyOrder(
                    "/download?" + id("dtn://src/app", 1), "/download?" + id("dtn://src/app", 5));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutTheFilteredRouteListsAllButHandsOverOnlyBundlesForThisNode() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer server = remote(mixedStore(), calls, false);
        TestClaContext ctx = new TestClaContext("dtn://me/", tmp);
        ClaOptions options = ClaOptions.builder().parameter("url", "http://127.0.0.1:" + server.getAddress().getPort())
                .parameter("poll-interval-ms", "100").build();
        try (Dtn7RsRestConvergenceLayer cla = new Dtn7RsRestConvergenceLayer(options)) {
            cla.start(ctx);
            assertThat(sequences(ctx, 2)).containsExactlyInAnyOrder(1L, 5L);
            Thread.sleep(400);
            assertThat(ctx.received).isEmpty();
            assertThat(calls.stream().filter(c -> c.startsWith("/status/bundles/filtered")).count()).isEqualTo(1);
            // others' bundles had to be downloaded to see their destination, but only once each, and ours never
            assertThat(calls.stream().filter(c -> c.startsWith("/download")).toList()).containsExactlyInAnyOrder(
                    "/download?" + id("dtn://src/app", 1), "/download?" + id("dtn://src/app", 2),
                    "/download?" + id("dtn://src/app", 3), "/download?" + id("dtn://src/app", 5));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fetchAllTakesEveryListedBundle() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer server = remote(mixedStore(), calls, true);
        TestClaContext ctx = new TestClaContext("dtn://me/", tmp);
        ClaOptions options = ClaOptions.builder().parameter("url", "http://127.0.0.1:" + server.getAddress().getPort())
                .parameter("poll-interval-ms", "100").parameter("fetch", "all").build();
        try (Dtn7RsRestConvergenceLayer cla = new Dtn7RsRestConvergenceLayer(options)) {
            cla.start(ctx);
            assertThat(sequences(ctx, 5)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
            assertThat(calls).contains("/status/bundles").noneMatch(c -> c.startsWith("/status/bundles/filtered"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void nodeFilterSelectsExactlyThisNode() {
        assertThat(Dtn7RsRestConvergenceLayer.nodeFilter(EndpointId.parse("dtn://me/"))).isEqualTo("dtn://me/");
        assertThat(Dtn7RsRestConvergenceLayer.nodeFilter(EndpointId.parse("dtn://me"))).isEqualTo("dtn://me/");
        assertThat(Dtn7RsRestConvergenceLayer.nodeFilter(EndpointId.parse("ipn:5.0"))).isEqualTo("ipn:5.");
        assertThat("ipn:15.1").doesNotContain(Dtn7RsRestConvergenceLayer.nodeFilter(EndpointId.parse("ipn:5.0")));
        assertThat("dtn://me2/x").doesNotContain(Dtn7RsRestConvergenceLayer.nodeFilter(EndpointId.parse("dtn://me/")));
    }

    @Test
    void rejectsAnUnknownFetchMode() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Dtn7RsRestConvergenceLayer(
                ClaOptions.builder().parameter("fetch", "some").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fetch must be 'own' or 'all'");
    }
}
