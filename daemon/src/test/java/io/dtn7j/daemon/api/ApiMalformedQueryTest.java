package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed percent-encoding in raw queries ({@code /register?%zz}, {@code /download?abc%}) and in named parameters
 * ({@code ?addr=%zz}), sent over a raw socket (java.net.URI would refuse them), against the real agent: each gets a
 * 4xx with the route's usual answer, never a 500 (dtn7zero's REST link breaks on anything but the exact texts).
 */
class ApiMalformedQueryTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        NodeService node = AgentNodes.start("dtn://node1/", toClose);
        server = new ApiServer(node, ApiOptions.loopback(0)).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Sends one raw request (request target as given) and returns "status body". */
    static String raw(int port, String method, String target, byte[] body) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (body != null ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String resp = all.toString(StandardCharsets.UTF_8);
            String status = resp.substring(9, 12);
            int bodyAt = resp.indexOf("\r\n\r\n");
            return status + " " + resp.substring(bodyAt + 4);
        }
    }

    private String get(String target) throws Exception {
        return raw(server.port(), "GET", target, null);
    }

    @Test
    void malformedPercentEncodingInRawQueryRoutes() throws Exception {
        List<String> results = new ArrayList<>();
        for (String t : new String[] {"/register?%zz", "/unregister?%zz", "/endpoint?%", "/endpoint.hex?a%2",
                "/download?abc%zz", "/download.hex?abc%", "/delete?x%zz"}) {
            results.add(t + " -> " + get(t));
        }
        assertThat(results).allSatisfy(r -> assertThat(r).doesNotContain("-> 500"));
    }

    @Test
    void malformedPercentEncodingInNamedParameters() throws Exception {
        List<String> results = new ArrayList<>();
        for (String t : new String[] {"/status/bundles/filtered?addr=%zz", "/status/bundles/filtered/digest?addr=%",
                "/peers/add?p=%zz", "/peers/del?p=%", "/routing/getdata?p=%zz", "/routing/cmd?c=%zz"}) {
            results.add(t + " -> " + get(t));
        }
        results.add("POST /send?dst=%zz -> " + raw(server.port(), "POST", "/send?dst=%zz", new byte[] {1, 2}));
        results.add("POST /send?dst=dtn://a/b&lifetime=%G1 -> "
                + raw(server.port(), "POST", "/send?dst=dtn://a/b&lifetime=%G1", new byte[] {1, 2}));
        assertThat(results).allSatisfy(r -> assertThat(r).doesNotContain("-> 500"));
    }

    @Test
    void sendFlagEdgeCases() throws Exception {
        List<String> results = new ArrayList<>();
        for (String q : new String[] {"flags=1", "flags=2", "flags=3", "flags=57880", "lifetime=9223372036854775807",
                "lifetime=0", "lifetime=0s", "lifetime=99999999999999999999"}) {
            String own = "/send?dst=dtn://node1/&" + q;
            results.add(own + " -> " + raw(server.port(), "POST", own, "hello".getBytes(StandardCharsets.UTF_8)));
            String other = "/send?dst=dtn://other/x&" + q;
            results.add(other + " -> " + raw(server.port(), "POST", other, "hello".getBytes(StandardCharsets.UTF_8)));
        }
        results.add("bundles -> " + get("/status/bundles"));
        results.add("store -> " + get("/status/store"));
        assertThat(results).allSatisfy(r -> assertThat(r).doesNotContain("-> 500"));
    }
}
