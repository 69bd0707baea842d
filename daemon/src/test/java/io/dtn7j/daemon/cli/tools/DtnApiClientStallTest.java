package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dtn7j.core.http.HostileAnswers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI tools' client against a daemon that stops in the middle of an answer: the command fails with a message
 * after the stall limit (before, it waited for good: the request timeout covers only the wait for the headers), and
 * a failure to write the downloaded file is reported as this side's, not the daemon's.
 */
class DtnApiClientStallTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private DtnApiClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/status/nodeid", ex -> HostileAnswers.stallAfter(ex, new byte[100], 6, release));
        server.createContext("/download", ex -> {
            byte[] body = new byte[200_000];
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            } catch (IOException ignored) {
                // the client gave up
            }
        });
        server.createContext("/missing", ex -> {
            byte[] body = "Bundle not found".getBytes();
            ex.sendResponseHeaders(404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        client = new DtnApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
                Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void anAnswerThatStopsHalfWayFailsTheCommandAfterTheStallLimit() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.nodeId()).isInstanceOf(ApiException.class)
                .hasMessageContaining("did not answer GET /status/nodeid in time")
                .hasMessageContaining("middle of the response body");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void downloadsGoToTheFileAndErrorsComeBackAsText() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        long[] told = new long[3];
        Progress progress = new Progress(null, "received") {
            @Override
            public void start(long total) {
                told[0] = total;
            }

            @Override
            public void advance(long n) {
                told[1] += n;
            }

            @Override
            public void finish() {
                told[2]++;
            }
        };
        assertThat(client.download("/download", file, progress).status()).isEqualTo(200);
        assertThat(file.size()).isEqualTo(200_000);
        assertThat(told).containsExactly(200_000, 200_000, 1);
        DtnApiClient.Response missing = client.download("/missing", file, progress);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).isEqualTo("Bundle not found");
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        assertThatThrownBy(() -> client.download("/download", full, progress)).isInstanceOf(ApiException.class)
                .hasMessage("downloading /download failed: No space left on device");
    }
}
