package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.SendRequest;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.http.HttpPushConvergenceLayer;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.daemon.node.AgentNodeService;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP convergence layer against a receiving API whose body budget is taken: its pushes are answered 503, the
 * sending agent keeps the bundles and retries them, and they all arrive once the budget is free again. Both sides are
 * real agents; the budget is held by a raw client that has declared an 800 kB push and sent one byte of it.
 */
class HttpClaBodyBudgetTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void pushesRefusedForTheBudgetAreRetriedAndArrive() throws Exception {
        AgentNodeService b = AgentNodes.start("dtn://b/", toClose);
        b.register("dtn://b/in");
        ApiServer api = new ApiServer(b, ApiOptions.loopback(0).withBodyBudget(1_000_000)
                .withBodyGrace(Duration.ofSeconds(30))).start();
        toClose.add(api);

        Socket holder = new Socket(InetAddress.getLoopbackAddress(), api.port());
        toClose.add(holder);
        OutputStream out = holder.getOutputStream();
        out.write(("POST /push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 800000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(0xff);
        out.flush();
        Thread.sleep(300); // 800 kB of the 1 MB budget are taken

        HttpPushConvergenceLayer cla = new HttpPushConvergenceLayer(ClaOptions.builder().bindHost("127.0.0.1")
                .port(0).build());
        BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://a/").convergenceLayer(cla)
                .statusReports(false).janitorInterval(Duration.ofMillis(300)).build());
        toClose.add(a);
        a.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://b/"), new ClaAddress("http", "127.0.0.1", api.port())));
        for (int i = 0; i < 3; i++) {
            byte[] payload = new byte[300_000];
            payload[0] = (byte) i;
            a.send(SendRequest.to("dtn://b/in").payload(payload).build());
        }

        // every push is refused while the budget is held (300 kB do not fit the 200 kB left)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refusals(api) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(refusals(api)).isGreaterThanOrEqualTo(3);
        assertThat(b.poll("dtn://b/in")).isEmpty();

        out.write(new byte[799_999]); // the holder's push ends (no bundle: 400), and its 800 kB come back
        out.flush();
        List<Integer> arrived = new ArrayList<>();
        while (arrived.size() < 3) {
            Optional<ReceivedBundle> r = b.poll("dtn://b/in", Duration.ofSeconds(15));
            assertThat(r).as("bundles arrived so far: %s", arrived).isPresent();
            assertThat(r.get().payload()).hasSize(300_000);
            arrived.add((int) r.get().payload()[0]);
        }
        assertThat(arrived).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(b.poll("dtn://b/in", Duration.ofSeconds(1))).as("no bundle delivered twice").isEmpty();
    }

    private static long refusals(ApiServer api) throws Exception {
        String metrics = RequestBodyBudgetTest.metrics(api.port());
        for (String line : metrics.split("\n")) {
            if (line.startsWith("dtn7j_api_requests_refused_busy_total ")) {
                return Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            }
        }
        throw new AssertionError("no dtn7j_api_requests_refused_busy_total in /metrics");
    }
}
