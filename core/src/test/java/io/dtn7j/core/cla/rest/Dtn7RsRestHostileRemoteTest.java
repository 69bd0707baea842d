package io.dtn7j.core.cla.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestClaContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dtn7rs-rest CLA against a remote that answers badly once: a transient server error on a download is retried
 * at the next poll (the bundle was lost for good), and an overlong string in the list of bundle IDs neither stops
 * polling (a regex overflowed the stack and killed the poll thread) nor hides the IDs after it.
 */
@Timeout(60)
class Dtn7RsRestHostileRemoteTest {

    @TempDir
    Path tmp;

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

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

    private static byte[] json(List<String> ids) {
        return ids.stream().map(k -> "\n  \"" + k + "\"").collect(Collectors.joining(",", "[", "\n]"))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A transient error answer to /download (503, 500, a proxy's 502...) must not make the CLA give the bundle up:
     * the next poll should ask again. Today the ID is marked seen before the status is looked at, the error page is
     * handed to the agent as a "bundle" (rejected), and the real bundle is never downloaded.
     */
    @Test
    void aTransientServerErrorOnDownloadDoesNotLoseTheBundleForGood() throws Exception {
        String id = "dtn://src/app-800000000000-1";
        AtomicInteger downloads = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            switch (path) {
                case "/status/nodeid" -> reply(ex, 200, "dtn://remote/".getBytes(StandardCharsets.UTF_8));
                case "/register" -> reply(ex, 200, "ok".getBytes(StandardCharsets.UTF_8));
                case "/status/bundles" -> reply(ex, 200, json(List.of(id)));
                case "/download" -> {
                    if (downloads.incrementAndGet() == 1) {
                        reply(ex, 503, "Service Unavailable".getBytes(StandardCharsets.UTF_8));
                    } else {
                        reply(ex, 200, bundle("dtn://src/app", "dtn://me/inbox", 1));
                    }
                }
                default -> reply(ex, 404, new byte[0]);
            }
        });
        server.start();
        TestClaContext ctx = new TestClaContext("dtn://me/", tmp);
        ClaOptions options = ClaOptions.builder().parameter("url", "http://127.0.0.1:" + server.getAddress().getPort())
                .parameter("poll-interval-ms", "100").parameter("fetch", "all").build();
        try (Dtn7RsRestConvergenceLayer cla = new Dtn7RsRestConvergenceLayer(options)) {
            cla.start(ctx);
            TestClaContext.Received r = ctx.take(Duration.ofSeconds(5));
            assertThat(r.id().creation().sequence()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    /**
     * One long string in the remote's ID list (here 20,000 characters; a long dtn EID suffices) throws
     * StackOverflowError out of the regex in parseIdList. pollLoop catches only IOException and RuntimeException,
     * so the poll thread dies silently: later bundles are never fetched, though the remote lists only normal IDs
     * from then on.
     */
    @Test
    void oneOverlongIdInTheListDoesNotStopPollingForGood() throws Exception {
        String normal = "dtn://src/app-800000000000-1";
        String overlong = "dtn://src/" + "a".repeat(20_000) + "-800000000000-2";
        AtomicInteger lists = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            switch (path) {
                case "/status/nodeid" -> reply(ex, 200, "dtn://remote/".getBytes(StandardCharsets.UTF_8));
                case "/register" -> reply(ex, 200, "ok".getBytes(StandardCharsets.UTF_8));
                case "/status/bundles" -> reply(ex, 200,
                        lists.incrementAndGet() == 1 ? json(List.of(overlong)) : json(List.of(normal)));
                case "/download" -> {
                    if (normal.equals(ex.getRequestURI().getRawQuery())) {
                        reply(ex, 200, bundle("dtn://src/app", "dtn://me/inbox", 1));
                    } else {
                        reply(ex, 404, "Bundle not found".getBytes(StandardCharsets.UTF_8));
                    }
                }
                default -> reply(ex, 404, new byte[0]);
            }
        });
        server.start();
        TestClaContext ctx = new TestClaContext("dtn://me/", tmp);
        ClaOptions options = ClaOptions.builder().parameter("url", "http://127.0.0.1:" + server.getAddress().getPort())
                .parameter("poll-interval-ms", "100").parameter("fetch", "all").build();
        try (Dtn7RsRestConvergenceLayer cla = new Dtn7RsRestConvergenceLayer(options)) {
            cla.start(ctx);
            TestClaContext.Received r = ctx.take(Duration.ofSeconds(5));
            assertThat(r.id().creation().sequence()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    /** The list parser itself must not throw an Error on a long string. */
    @Test
    void parseIdListCopesWithALongString() throws Exception {
        String overlong = "dtn://src/" + "a".repeat(20_000) + "-1-0";
        assertThat(Dtn7RsRestConvergenceLayer.parseIdList("[\"" + overlong + "\"]")).containsExactly(overlong);
    }
}
