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
import org.junit.jupiter.api.Test;

/**
 * The request bodies the API holds in heap at once are bounded as a whole ({@link ApiOptions#bodyBudget()}), not
 * only one by one: a body that does not fit what other requests hold gets 503 at once, and the bytes come back when
 * those requests end, whichever way they end.
 */
class RequestBodyBudgetTest {

    private static final String NODE = "dtn://n1/";

    @Test
    void aBodyBeyondWhatOtherRequestsLeaveGets503AndTheBudgetComesBack() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withBodyBudget(1_000_000).withBodyGrace(Duration.ofSeconds(20));
        try (ApiServer s = new ApiServer(new SimpleNode(NODE), options).start();
             Socket holder = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            holder.setSoTimeout(10_000);
            // a push of 800,000 declared bytes that has sent one: it holds 800,000 bytes of the budget
            OutputStream out = holder.getOutputStream();
            out.write(("POST /push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 800000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(0xff);
            out.flush();
            Thread.sleep(300); // the server has read the head and taken the bytes
            HttpResponse<String> refused = push(s.port(), new byte[400_000]);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("try again later");
            assertThat(push(s.port(), new byte[100_000]).statusCode()).as("a body that fits is read")
                    .isEqualTo(400); // 100,000 zero bytes are no bundle
            // the holder finishes its body (not a bundle either): its bytes come back
            out.write(new byte[799_999]);
            out.flush();
            assertThat(readStatus(holder.getInputStream())).isEqualTo("HTTP/1.1 400");
            assertThat(push(s.port(), new byte[900_000]).statusCode()).as("the whole budget is free again")
                    .isEqualTo(400);
            assertThat(metrics(s.port())).contains("dtn7j_api_requests_refused_busy_total 1\n",
                    "dtn7j_api_request_body_bytes 0\n", "dtn7j_api_request_body_budget_bytes 1000000\n");
        }
    }

    /**
     * A body refused for the budget is drained before the 503, so the answer arrives whole however fast the client
     * sends: refused before its body was opened, not after (closing an opened body fails the request's content, the
     * connection is then reset while the client still sends, and the 503 was lost now and then: "header parser
     * received no bytes").
     */
    @Test
    void everyRefusalForTheBudgetIsAnswered() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withBodyBudget(1_000_000).withBodyGrace(Duration.ofSeconds(20));
        try (ApiServer s = new ApiServer(new SimpleNode(NODE), options).start();
             Socket holder = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            OutputStream out = holder.getOutputStream();
            out.write(("POST /push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 800000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(0xff);
            out.flush();
            Thread.sleep(300); // the holder's 800,000 bytes are taken
            for (int i = 0; i < 40; i++) {
                assertThat(push(s.port(), new byte[400_000]).statusCode()).as("refusal %d", i).isEqualTo(503);
            }
        }
    }

    @Test
    void aChunkedBodyTakesTheBudgetAsItArrives() throws Exception {
        ApiOptions options = ApiOptions.loopback(0).withBodyBudget(1_000_000);
        try (ApiServer s = new ApiServer(new SimpleNode(NODE), options).start()) {
            // 1.5 MB without a length: refused once what arrived no longer fits
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
                c.setSoTimeout(10_000);
                OutputStream out = c.getOutputStream();
                out.write(("POST /push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[100_000];
                try {
                    for (int i = 0; i < 15; i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedEarly) {
                    // the server answered and closed before taking the rest
                }
                assertThat(readStatus(c.getInputStream())).isEqualTo("HTTP/1.1 503");
            }
            // a chunked body that fits is read whole (and is no bundle), so nothing was left taken
            HttpResponse<String> fits = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + s.port() + "/push"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[300_000])))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fits.statusCode()).isEqualTo(400);
            assertThat(push(s.port(), new byte[900_000]).statusCode()).isEqualTo(400);
        }
    }

    private static HttpResponse<String> push(int port, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/push"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String metrics(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String readStatus(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < 12; i++) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
