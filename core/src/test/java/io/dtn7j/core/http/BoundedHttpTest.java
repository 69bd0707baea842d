package io.dtn7j.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Response bodies read with a size and a stall limit, against a server that floods, stalls or behaves. */
class BoundedHttpTest {

    private static final Duration STALL = Duration.ofMillis(300);

    private HttpServer server;
    private HttpClient client;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicLong floodWritten = new AtomicLong();
    private final byte[] data = new byte[3 << 20];

    @BeforeEach
    void start() throws IOException {
        new Random(7).nextBytes(data);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/data", ex -> {
            ex.sendResponseHeaders(200, data.length);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < data.length; i += 100_000) { // in pieces, as a network delivers it
                    out.write(data, i, Math.min(100_000, data.length - i));
                }
            }
        });
        server.createContext("/stall", ex -> HostileAnswers.stallAfter(ex, new byte[100], 3, release));
        server.createContext("/flood", ex -> HostileAnswers.flood(ex, 1024, release, floodWritten));
        server.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.shutdownNow();
        server.stop(0);
    }

    private void await() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aWholeBodyArrivesIntactAndStreamsInOrder() throws Exception {
        HttpResponse<byte[]> r = BoundedHttp.send(client, get("/data"), data.length, STALL);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        HttpResponse<Void> s = BoundedHttp.stream(client, get("/data"), data.length, STALL, streamed::write);
        assertThat(s.statusCode()).isEqualTo(200);
        assertThat(streamed.toByteArray()).isEqualTo(data);
    }

    @Test
    void aBodyThatStopsHalfWayTimesOutAfterTheStallLimit() {
        long t0 = System.nanoTime();
        // without the limit this hangs for good: HttpRequest.timeout covers only the wait for the headers
        assertThatThrownBy(() -> BoundedHttp.send(client, get("/stall"), 1 << 20, STALL))
                .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("middle of the response body");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(STALL.toMillis(), 3_000L);
    }

    @Test
    void aBodyLargerThanTheLimitIsCancelledWithoutReadingTheRest() throws Exception {
        assertThatThrownBy(() -> BoundedHttp.send(client, get("/flood"), 4 << 20, STALL))
                .isInstanceOf(ResponseTooLargeException.class).hasMessageContaining("4194304");
        Thread.sleep(500);
        // the server could write the limit plus what the socket buffers held, not the 1 GiB it meant to
        assertThat(floodWritten.get()).isLessThan(256L << 20);
        assertThatThrownBy(() -> BoundedHttp.stream(client, get("/data"), 1 << 20, STALL, (b, o, n) -> { }))
                .isInstanceOf(ResponseTooLargeException.class);
    }

    @Test
    void aServerThatNeverAnswersTimesOutEvenWithoutARequestTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    await();
                } catch (IOException ignored) {
                    // closed at the end of the test
                }
            });
            HttpRequest noTimeout = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"))
                    .build();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> BoundedHttp.send(client, noTimeout, 1024, STALL))
                    .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("no response headers");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000L);
        }
    }

    @Test
    void anExceptionOfTheSinkCancelsTheExchangeAndReachesTheCaller() {
        assertThatThrownBy(() -> BoundedHttp.stream(client, get("/data"), data.length, STALL, (b, o, n) -> {
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
    }
}
