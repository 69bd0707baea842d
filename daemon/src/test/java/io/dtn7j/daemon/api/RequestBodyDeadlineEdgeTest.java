package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The request-body deadline (grace plus the body's size at the minimum rate; RequestBodyDeadlineTest) holds on every
 * path: also for the rest of a body a route refused before reading it (a /send without dst), which is drained before
 * the answer goes out, and for a chunked body, whose deadline moves on with each piece instead of allowing it the
 * time of a --max-request-bytes body (17 minutes).
 */
class RequestBodyDeadlineEdgeTest {

    private static String dripAndAwaitStatus(int port, String target, Duration wait) throws Exception {
        try (Socket dripper = new Socket(InetAddress.getLoopbackAddress(), port)) {
            dripper.setSoTimeout((int) wait.toMillis());
            OutputStream out = dripper.getOutputStream();
            out.write(("POST " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) { // one byte every 200 ms: 200 s for the body
                        out.write('x');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (Exception closed) {
                    // the server gave up on us
                }
            });
            InputStream in = dripper.getInputStream();
            try {
                return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException e) {
                return "no answer within " + wait.toMillis() + " ms";
            } finally {
                drip.interrupt();
            }
        }
    }

    @Test
    void aDrippedBodyOnAnErrorPathIsCutAtTheDeadlineToo() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withBodyGrace(Duration.ofMillis(500));
        try (ApiServer s = new ApiServer(new SimpleNode("dtn://n1/"), options).start()) {
            String valid = dripAndAwaitStatus(s.port(), "/send?dst=dtn://n2/x", Duration.ofSeconds(8));
            String invalid = dripAndAwaitStatus(s.port(), "/send", Duration.ofSeconds(8));
            assertThat(valid).isEqualTo("HTTP/1.1 408");
            assertThat(invalid).as("answer to a dripped body the route refuses before reading").startsWith("HTTP/1.1 4");
        }
    }

    /**
     * A chunked body has no declared length, so body() sets its deadline as if it were --max-request-bytes long:
     * grace + 256 MiB / 256 KiB/s = grace + 1024 s. A client dripping a tiny chunked body is therefore left alone for
     * 17 minutes, where the same body with a Content-Length gets 408 after the grace.
     */
    @Test
    void aDrippedChunkedBodyIsCutAtTheDeadlineLikeADeclaredOne() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withBodyGrace(Duration.ofMillis(500));
        try (ApiServer s = new ApiServer(new SimpleNode("dtn://n1/"), options).start();
             Socket dripper = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            dripper.setSoTimeout(8000);
            OutputStream out = dripper.getOutputStream();
            out.write(("POST /push HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) { // a one-byte chunk every 200 ms
                        out.write("1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (Exception closed) {
                    // the server gave up on us
                }
            });
            String status;
            try {
                status = new String(dripper.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException e) {
                status = "no answer within 8000 ms";
            } finally {
                drip.interrupt();
            }
            assertThat(status).isEqualTo("HTTP/1.1 408");
        }
    }
}
