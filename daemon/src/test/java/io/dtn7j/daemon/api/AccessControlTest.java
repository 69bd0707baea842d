package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Loopback binding by default, the localhost guard of the client routes, and the bearer token. */
class AccessControlTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsToLoopbackByDefault() throws Exception {
        try (ApiServer s = new ApiServer(new SimpleNode("dtn://n1/"), ApiOptions.loopback(0)).start()) {
            assertThat(s.host()).isEqualTo("127.0.0.1");
            InetAddress other = nonLoopbackAddress();
            Assumptions.assumeTrue(other != null, "no non-loopback IPv4 address on this machine");
            try (java.net.Socket sock = new java.net.Socket()) {
                sock.connect(new java.net.InetSocketAddress(other, s.port()), 1000);
                throw new AssertionError("API reachable on " + other + " although bound to loopback");
            } catch (java.io.IOException expected) {
                assertThat(expected).isNotNull();
            }
        }
    }

    @Test
    void tokenIsRequiredExceptOnPush() throws Exception {
        ApiOptions opts = new ApiOptions("127.0.0.1", 0, "s3cret", false, ApiOptions.DEFAULT_MAX_BODY);
        try (ApiServer s = new ApiServer(new SimpleNode("dtn://n1/"), opts).start()) {
            String base = "http://127.0.0.1:" + s.port();
            HttpResponse<String> r = get(base + "/status/nodeid", null);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("bearer token");
            assertThat(get(base + "/status/nodeid", "wrong").statusCode()).isEqualTo(401);
            r = get(base + "/status/nodeid", "s3cret");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("dtn://n1/");
            assertThat(get(base + "/ws", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/ws/ecla", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/debug/rnd_bundle", null).statusCode()).isEqualTo(401);
            HttpResponse<String> push = http.send(HttpRequest.newBuilder(URI.create(base + "/push"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(push.statusCode()).isEqualTo(400); // reached the route: no token needed, bad bundle
        }
    }

    @Test
    void clientRoutesAreLoopbackOnlyUnlessUnsafe() throws Exception {
        InetAddress other = nonLoopbackAddress();
        Assumptions.assumeTrue(other != null, "no non-loopback IPv4 address on this machine");
        for (boolean unsafe : new boolean[] {false, true}) {
            ApiOptions opts = new ApiOptions("0.0.0.0", 0, null, unsafe, ApiOptions.DEFAULT_MAX_BODY);
            try (ApiServer s = new ApiServer(new SimpleNode("dtn://n1/"), opts, java.util.Map.of("/ws/ecla",
                    () -> new org.eclipse.jetty.websocket.api.Session.Listener.AutoDemanding() {
                    })).start()) {
                String remote = "http://" + other.getHostAddress() + ":" + s.port();
                // dtnd leaves /ws/ecla and /ws/erouting unguarded (dtn7-compat.md §4.1); dtn7j guards them like /ws
                assertThat(get(remote + "/ws/ecla", null).statusCode()).isEqualTo(unsafe ? 400 : 403);
                assertThat(get(remote + "/debug/rnd_peer", null).statusCode()).isEqualTo(unsafe ? 501 : 403);
                assertThat(get(remote + "/routing/getdata", null).statusCode()).isEqualTo(unsafe ? 501 : 403);
                assertThat(get(remote + "/status/nodeid", null).statusCode()).isEqualTo(200);
                assertThat(get(remote + "/register?x", null).statusCode()).isEqualTo(unsafe ? 200 : 403);
                assertThat(get(remote + "/cts", null).statusCode()).isEqualTo(unsafe ? 200 : 403);
                assertThat(get("http://127.0.0.1:" + s.port() + "/register?y", null).statusCode()).isEqualTo(200);
            }
        }
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
