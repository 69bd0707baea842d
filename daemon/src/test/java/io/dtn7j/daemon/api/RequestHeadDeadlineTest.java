package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Clients holding the API's connections: Jetty's idle timeout restarts with every byte, so a request head dripped a
 * byte at a time is cut off by a deadline of its own ({@link ApiOptions#requestHeadLimit()}); a connection idle
 * between requests, or one slowly sending a body within its own deadline, is left alone; and the number of
 * connections the API holds is bounded ({@link ApiOptions#maxConnections()}).
 */
class RequestHeadDeadlineTest {

    private static final String NODE = "dtn://n1/";

    @Test
    void aDrippedRequestHeadIsCutOffAtTheLimitAndTheApiServesOn() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withRequestHeadLimit(Duration.ofMillis(500));
        try (ApiServer s = new ApiServer(new SimpleNode(NODE), options).start();
             Socket dripper = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            dripper.setSoTimeout(10_000);
            OutputStream out = dripper.getOutputStream();
            long t0 = System.nanoTime();
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    out.write("GET /status/nodeid HTTP/1.1\r\nHost: localhost\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 1000; i++) { // one header byte every 100 ms, never a whole head
                        out.write('a');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (Exception closed) {
                    // the server gave up on us
                }
            });
            assertThat(endOfStream(dripper.getInputStream())).as("the server closed the connection").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofSeconds(3));
            drip.interrupt();
            assertThat(get(s.port(), "/status/nodeid").body()).as("the next request is served").isEqualTo(NODE);
            assertThat(get(s.port(), "/metrics").body()).contains("dtn7j_api_connections_cut_total 1\n");
        }
    }

    @Test
    void aConnectionIdleBetweenRequestsAndABodySentSlowlyAreLeftAlone() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withRequestHeadLimit(Duration.ofMillis(300))
                .withBodyGrace(Duration.ofSeconds(10));
        try (ApiServer s = new ApiServer(new SimpleNode(NODE), options).start();
             Socket c = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            c.setSoTimeout(10_000);
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            byte[] get = "GET /status/nodeid HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(get);
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith(NODE);
            Thread.sleep(1_200); // four times the head limit, idle: the idle timeout's business, not the deadline's
            out.write(get);
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith(NODE);
            // a body of 20 bytes over 1.2 s: within its own deadline, so the head deadline must not cut it off
            out.write(("POST /push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 20\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 20; i++) {
                out.write(0xff);
                out.flush();
                Thread.sleep(60);
            }
            assertThat(readResponse(in)).as("the push was answered (20 bytes of 0xff are no bundle)")
                    .startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void aConnectionIdleAfterARefusedWebSocketUpgradeIsLeftAlone() throws Exception {
        ApiOptions options = new ApiOptions("127.0.0.1", 0, "s3cret", false, ApiOptions.DEFAULT_MAX_BODY)
                .withRequestHeadLimit(Duration.ofMillis(300));
        try (ApiServer s = new ApiServer(new SimpleNode(NODE), options).start();
             Socket c = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            c.setSoTimeout(10_000);
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            out.write("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 401");
            Thread.sleep(1_200);
            out.write("GET /status/nodeid HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer s3cret\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith(NODE);
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withMaxConnections(2);
        try (ApiServer s = new ApiServer(new SimpleNode(NODE), options).start()) {
            Socket first = new Socket(InetAddress.getLoopbackAddress(), s.port());
            Socket second = new Socket(InetAddress.getLoopbackAddress(), s.port());
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> third = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/status/nodeid")).build(),
                    HttpResponse.BodyHandlers.ofString());
            try {
                third.get(1, TimeUnit.SECONDS);
                throw new AssertionError("a third connection was served while two were held");
            } catch (TimeoutException expected) {
                // waiting in the backlog
            }
            first.close();
            assertThat(third.get(5, TimeUnit.SECONDS).body()).isEqualTo(NODE);
            second.close();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads until the server closes (true) or a read times out (false), ignoring whatever it sent. */
    private static boolean endOfStream(InputStream in) {
        try {
            while (in.read() >= 0) {
                // e.g. nothing: a cut-off connection is closed without an answer
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** One HTTP/1.1 response with a Content-Length: its status line, headers and body as text. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
