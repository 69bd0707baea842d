package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * WsSendData.lifetime is a u64 in dtnd, which refuses anything larger ("400 Unexpected binary: Err(\"error parsing
 * json\")"); it must not wrap around (2^64 + 1 taken as 1 ms, a bundle expired when sent).
 */
class WsSendLifetimeTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void aLifetimeAboveU64IsRefusedNotWrapped() throws Exception {
        NodeService node = AgentNodes.start("dtn://node1/", toClose);
        try (ApiServer server = new ApiServer(node, ApiOptions.loopback(0)).start();
             WsClient ws = new WsClient("ws://127.0.0.1:" + server.port() + "/ws")) {
            String json = "{\"src\":\"dtn://node1/\",\"dst\":\"dtn://other/x\",\"delivery_notification\":false,"
                    + "\"lifetime\":18446744073709551617,\"data\":\"aGVsbG8=\"}";
            ws.send(json.getBytes(StandardCharsets.UTF_8));
            String reply = ws.nextText();
            String store = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/status/bundles/verbose")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(reply).startsWith("400 ");
        }
    }
}
