package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.routing.Routers;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.daemon.node.AgentNodeService;
import io.dtn7j.store.sqlite.SqliteBundleStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures REST {@code /send} and {@code /endpoint} rates through the real agent (memory and SQLite store) and
 * checks nothing is lost. Slow: run with {@code -Ddtn7j.slow=true}.
 */
@EnabledIfSystemProperty(named = "dtn7j.slow", matches = "true")
class ApiThroughputTest {
    private static final int N = 2_000;

    @TempDir
    Path tmp;

    @Test
    void memoryStore() throws Exception {
        run("mem", new MemoryBundleStore());
    }

    @Test
    void sqliteStore() throws Exception {
        run("sqlite", SqliteBundleStore.open(tmp.resolve("store")));
    }

    private void run(String label, BundleStore store) throws Exception {
        BundleProtocolAgent agent = new BundleProtocolAgent(AgentConfig.builder(EndpointId.parse("dtn://bench/"))
                .store(store).router(Routers.create("epidemic", Map.of())).build());
        agent.start();
        AgentNodeService node = new AgentNodeService(agent,
                new NodeDescription("epidemic", List.of(), 0, 0, 0, label), List::of);
        HttpClient http = HttpClient.newHttpClient();
        try (ApiServer server = new ApiServer(node, ApiOptions.loopback(0)).start()) {
            String base = "http://127.0.0.1:" + server.port();
            http.send(HttpRequest.newBuilder(URI.create(base + "/register?in")).build(), HttpResponse.BodyHandlers.ofString());
            long t0 = System.nanoTime();
            for (int i = 0; i < N; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/send?dst=dtn://bench/in"))
                        .POST(HttpRequest.BodyPublishers.ofString("message " + i)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            long t1 = System.nanoTime();
            Set<String> got = new HashSet<>();
            while (got.size() < N) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/endpoint?in")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                String text = new String(r.body(), StandardCharsets.UTF_8);
                if (text.equals("Nothing to receive")) {
                    if (System.nanoTime() - t1 > 30_000_000_000L) {
                        break;
                    }
                    Thread.sleep(5);
                    continue;
                }
                got.add(BundleCodec.decode(r.body(), DecodeOptions.DEFAULT).payloadText());
            }
            long t2 = System.nanoTime();
            assertThat(got).hasSize(N);
            System.out.printf("API throughput (%s store): /send %.0f req/s, /endpoint %.0f req/s (%d bundles, sequential client)%n",
                    label, N / ((t1 - t0) / 1e9), N / ((t2 - t1) / 1e9), N);
        } finally {
            agent.close();
            store.close();
        }
    }
}
