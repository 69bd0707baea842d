package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile requests: random bodies to {@code /push}, {@code /insert}, {@code /send}, random raw queries to every
 * route, random WebSocket frames in every mode. The server answers each with a status below 500 (or, for WS, a
 * 4xx text) and keeps serving.
 */
class ApiFuzzTest {
    private static final String[] ROUTES = {"/register", "/unregister", "/endpoint", "/endpoint.hex", "/download",
            "/download.hex", "/delete", "/insert", "/status/bundles/filtered", "/peers/add", "/peers/del", "/send",
            "/status/nodeid", "/cts"};
    private static SimpleNode node;
    private static ApiServer server;
    private static HttpClient http;

    @BeforeContainer
    static void start() throws Exception {
        node = new SimpleNode("dtn://fuzz/");
        server = new ApiServer(node, ApiOptions.loopback(0)).start();
        http = HttpClient.newHttpClient();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    private static URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    @Property(tries = 150)
    void randomBodiesGetClientErrorsNotCrashes(@ForAll @Size(max = 300) byte[] body, @ForAll("bodyRoutes") String route)
            throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(route))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isLessThan(500);
    }

    @Provide
    Arbitrary<String> bodyRoutes() {
        return Arbitraries.of("/push", "/insert", "/send?dst=dtn://x/y");
    }

    @Property(tries = 150)
    void randomQueriesGetClientErrorsNotCrashes(@ForAll @StringLength(max = 80) String query,
                                                @ForAll("routes") String route) throws Exception {
        String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
        for (String pq : new String[] {route + "?" + q, route + "?dst=" + q + "&p=" + q + "&addr=" + q + "&lifetime=" + q}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(pq)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(pq + " → " + r.body()).isLessThan(500);
        }
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(ROUTES);
    }

    @Property(tries = 40)
    void randomWebSocketFramesGetAnswersNotCrashes(@ForAll @Size(max = 200) byte[] frame,
                                                   @ForAll("modes") String mode,
                                                   @ForAll @StringLength(max = 40) String text) throws Exception {
        try (WsClient c = new WsClient("ws://127.0.0.1:" + server.port() + "/ws")) {
            c.send(mode);
            assertThat(c.nextText()).startsWith("200 tx mode");
            c.send(frame);
            Object reply = c.poll(2_000);
            assertThat(reply).isInstanceOf(String.class);
            assertThat((String) reply).matches("[24]00 .*");
            c.send("/" + text);
            c.send("/node");
            Object r2;
            do {
                r2 = c.poll(2_000);
            } while (r2 instanceof String s && !s.startsWith("200 node:"));
            assertThat(r2).isEqualTo("200 node: dtn://fuzz/");
        }
        assertThat(http.send(HttpRequest.newBuilder(uri("/status/nodeid")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).isEqualTo("dtn://fuzz/");
        TimeUnit.MILLISECONDS.sleep(0);
    }

    @Provide
    Arbitrary<String> modes() {
        return Arbitraries.of("/bundle", "/data", "/json");
    }
}
