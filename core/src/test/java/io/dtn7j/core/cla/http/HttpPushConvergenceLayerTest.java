package io.dtn7j.core.cla.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.http.HostileAnswers;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpPushConvergenceLayerTest {

    @Test
    void postsEachBundleToPushAndChecksStatus() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        List<String> types = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/push", ex -> {
            types.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type"));
            bodies.add(ex.getRequestBody().readAllBytes());
            byte[] reply = "Received".getBytes();
            ex.sendResponseHeaders(status.get(), reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        server.start();
        try (HttpPushConvergenceLayer cla = new HttpPushConvergenceLayer(ClaOptions.defaults())) {
            cla.start(new TestClaContext("dtn://a/", java.nio.file.Path.of("/tmp")));
            ClaAddress to = new ClaAddress("http", "127.0.0.1", server.getAddress().getPort());
            OutgoingBundle small = TestBundles.outgoing(100, 1);
            OutgoingBundle big = TestBundles.outgoing(3 << 20, 2);
            cla.send(to, small);
            cla.send(to, big);
            assertThat(bodies).hasSize(2);
            assertThat(bodies.get(0)).isEqualTo(small.encoded().toByteArray());
            assertThat(bodies.get(1)).isEqualTo(big.encoded().toByteArray());
            assertThat(types).containsOnly("POST application/octet-stream");
            status.set(400);
            assertThatThrownBy(() -> cla.send(to, small)).isInstanceOf(TransmissionException.class)
                    .hasMessageContaining("400");
            int free;
            try (ServerSocket s = new ServerSocket(0)) {
                free = s.getLocalPort();
            }
            assertThatThrownBy(() -> cla.send(new ClaAddress("http", "127.0.0.1", free), small))
                    .extracting(e -> ((TransmissionException) e).reason())
                    .isEqualTo(TransmissionException.Reason.CONNECT_FAILED);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPeerThatStallsItsAnswerOrFloodsItFailsTheSendInsteadOfHoldingIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean flood = new AtomicBoolean();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/push", ex -> {
            ex.getRequestBody().readAllBytes();
            if (flood.get()) {
                HostileAnswers.flood(ex, 16, release, new AtomicLong()); // an answer of 16 MiB
            } else {
                HostileAnswers.stallAfter(ex, "Received 100 bytes".getBytes(), 3, release);
            }
        });
        server.start();
        try (HttpPushConvergenceLayer cla = new HttpPushConvergenceLayer(ClaOptions.builder()
                .frameTimeout(Duration.ofMillis(300)).build())) {
            cla.start(new TestClaContext("dtn://a/", java.nio.file.Path.of("/tmp")));
            ClaAddress to = new ClaAddress("http", "127.0.0.1", server.getAddress().getPort());
            long t0 = System.nanoTime();
            // before BoundedHttp this send never returned: HttpRequest.timeout ends with the response headers
            assertThatThrownBy(() -> cla.send(to, TestBundles.outgoing(100, 1)))
                    .isInstanceOf(TransmissionException.class)
                    .extracting(e -> ((TransmissionException) e).reason()).isEqualTo(TransmissionException.Reason.TIMEOUT);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000L);
            flood.set(true);
            assertThatThrownBy(() -> cla.send(to, TestBundles.outgoing(100, 2)))
                    .isInstanceOf(TransmissionException.class).hasMessageContaining("exceeds the limit")
                    .extracting(e -> ((TransmissionException) e).reason())
                    .isEqualTo(TransmissionException.Reason.PROTOCOL_ERROR);
        } finally {
            release.countDown();
            server.stop(0);
        }
    }
}
