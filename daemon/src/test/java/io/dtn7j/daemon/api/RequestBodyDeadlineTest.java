package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * A client dripping a request body (the HTTP convergence layer's receiving side, {@code /push}, faces other nodes):
 * Jetty's idle timeout restarts with every byte, so the API cuts the body off at a deadline of its own (grace plus
 * the size at {@code TimedInput.MIN_RATE}) with 408, and serves the next request.
 */
class RequestBodyDeadlineTest {

    @Test
    void aDrippedPushBodyGets408AtTheDeadlineAndTheApiServesOn() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withBodyGrace(Duration.ofMillis(500));
        try (ApiServer s = new ApiServer(new SimpleNode("dtn://n1/"), options).start();
             Socket dripper = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            dripper.setSoTimeout(10_000);
            OutputStream out = dripper.getOutputStream();
            out.write(("POST /push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) { // one byte every 200 ms: 200 s for the body
                        out.write(0);
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (Exception closed) {
                    // the server gave up on us
                }
            });
            InputStream in = dripper.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 408");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(400),
                    Duration.ofSeconds(3));
            drip.interrupt();
            HttpResponse<String> push = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.port() + "/push"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(push.statusCode()).as("the next push is served").isEqualTo(400);
        }
    }
}
