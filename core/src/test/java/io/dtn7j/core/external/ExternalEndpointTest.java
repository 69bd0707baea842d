package io.dtn7j.core.external;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.api.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalEndpointTest {

    private FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon("dtn://node1/");
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private Bundle bundleTo(String destination, String text) {
        return Bundle.builder().source("dtn://node2/ping").destination(destination).crcType(CrcType.NONE)
                .hopLimit(32).payload(text).build();
    }

    @Test
    void connectRegistersTheNameAndLearnsTheNodeId() {
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "my-endpoint")) {
            assertThat(ep.nodeId()).isEqualTo(EndpointId.parse("dtn://node1/"));
            assertThat(ep.uri()).isEqualTo("dtn://node1/my-endpoint");
            assertThat(daemon.requests).containsExactly("GET /status/nodeid", "GET /register?my-endpoint");
            assertThat(daemon.isRegistered("dtn://node1/my-endpoint")).isTrue();
        }
        assertThat(daemon.requests).last().isEqualTo("GET /unregister?my-endpoint");
        assertThat(daemon.isRegistered("dtn://node1/my-endpoint")).isFalse();
    }

    @Test
    void sendInsertsABundleFromThisEndpointAndReturnsItsId() {
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "my-endpoint")) {
            BundleId id = ep.send("hello_world".getBytes(StandardCharsets.UTF_8), "dtn://node2/incoming");
            assertThat(daemon.inserted).hasSize(1);
            Bundle b = daemon.inserted.get(0);
            assertThat(b.id()).isEqualTo(id);
            assertThat(b.source().uri()).isEqualTo("dtn://node1/my-endpoint");
            assertThat(b.reportTo().uri()).isEqualTo("dtn://node1/");
            assertThat(b.destination().uri()).isEqualTo("dtn://node2/incoming");
            assertThat(b.payloadText()).isEqualTo("hello_world");
            assertThat(b.primary().crcType()).isEqualTo(CrcType.NONE);
            assertThat(b.primary().lifetimeMs()).isEqualTo(24 * 3600 * 1000L);
            assertThat(b.hopCount()).get().satisfies(h -> assertThat(h.limit()).isEqualTo(32));

            BundleId second = ep.send("again", "dtn://node2/incoming");
            assertThat(second).isNotEqualTo(id);
        }
    }

    @Test
    void anonymousSendHasNoSourceAndNoReportTo() {
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "my-endpoint")) {
            BundleId id = ep.send("x".getBytes(StandardCharsets.UTF_8), "dtn://node2/incoming", true);
            assertThat(id.source().isNone()).isTrue();
            Bundle b = daemon.inserted.get(0);
            assertThat(b.source().isNone()).isTrue();
            assertThat(b.reportTo().isNone()).isTrue();
        }
    }

    @Test
    void pollReturnsWhatArrivedAndEmptyWhenNothingDid() throws Exception {
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "my-endpoint")) {
            assertThat(ep.poll()).isEmpty();
            BundleId sent = ep.send("hello_world", "dtn://node1/my-endpoint"); // the daemon delivers it back
            Message m = ep.poll().orElseThrow();
            assertThat(m.text()).isEqualTo("hello_world");
            assertThat(m.source()).isEqualTo("dtn://node1/my-endpoint");
            assertThat(m.destination()).isEqualTo("dtn://node1/my-endpoint");
            assertThat(m.bundleId()).isEqualTo(sent);
            assertThat(m.primaryBlock().lifetimeMs()).isEqualTo(24 * 3600 * 1000L);
            assertThat(ep.poll()).isEmpty();

            daemon.deliver(bundleTo("dtn://node1/my-endpoint", "from node2"));
            assertThat(ep.poll()).get().extracting(Message::text, Message::source)
                    .containsExactly("from node2", "dtn://node2/ping");
        }
    }

    @Test
    void receiveWithoutCallbackPollsUntilAMessageArrives() throws Exception {
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "my-endpoint")) {
            CompletableFuture<Message> next = ep.receive();
            Thread.sleep(250);
            assertThat(next).isNotDone();
            daemon.deliver(bundleTo("dtn://node1/my-endpoint", "later"));
            assertThat(next.get(5, TimeUnit.SECONDS).text()).isEqualTo("later");
        }
    }

    @Test
    void callbackReceivesOverTheWebSocketInBundleMode() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "incoming",
                (payload, source, destination, primary) ->
                        got.add(new String(payload, StandardCharsets.UTF_8) + " from " + source + " to " + destination))) {
            assertThat(daemon.wsCommands).containsExactly("/bundle", "/subscribe dtn://node1/incoming");
            daemon.deliver(bundleTo("dtn://node1/incoming", "one"));
            daemon.deliver(bundleTo("dtn://node1/incoming", "two"));
            waitUntil(() -> got.size() == 2);
            assertThat(got).containsExactly("one from dtn://node2/ping to dtn://node1/incoming",
                    "two from dtn://node2/ping to dtn://node1/incoming");

            // a receive() future takes the next message instead of the callback
            CompletableFuture<Message> next = ep.receive();
            daemon.deliver(bundleTo("dtn://node1/incoming", "three"));
            assertThat(next.get(5, TimeUnit.SECONDS).text()).isEqualTo("three");
            Thread.sleep(100);
            assertThat(got).hasSize(2);

            assertThatThrownBy(ep::poll).isInstanceOf(IllegalStateException.class).hasMessageContaining("callback");

            // a large bundle arrives in one piece
            byte[] big = new byte[300_000];
            new java.util.Random(1).nextBytes(big);
            CompletableFuture<Message> large = ep.receive();
            daemon.deliver(Bundle.builder().source("dtn://node2/ping").destination("dtn://node1/incoming")
                    .crcType(CrcType.NONE).payload(big).build());
            assertThat(large.get(5, TimeUnit.SECONDS).payload()).isEqualTo(big);
        }
    }

    @Test
    void closeFailsPendingFuturesAndLaterCalls() {
        ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "incoming", (Message m) -> { });
        CompletableFuture<Message> pending = ep.receive();
        ep.close();
        ep.close(); // idempotent
        assertThat(pending).isCompletedExceptionally();
        assertThatThrownBy(() -> ep.send("x", "dtn://node2/x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(daemon.requests.stream().filter(r -> r.startsWith("GET /unregister"))).hasSize(1);
    }

    @Test
    void unreachableDaemonSaysSo() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        assertThatThrownBy(() -> ExternalEndpoint.connect("http://127.0.0.1:" + freePort, "x"))
                .isInstanceOf(ExternalEndpointException.class)
                .hasMessageContaining("cannot connect")
                .satisfies(e -> assertThat(((ExternalEndpointException) e).status()).isEqualTo(-1));
    }

    @Test
    void localhostOnlyDaemonExplainsTheFlag() {
        daemon.localhostOnly = true;
        assertThatThrownBy(() -> ExternalEndpoint.connect(daemon.url(), "x"))
                .isInstanceOf(ExternalEndpointException.class)
                .hasMessageContaining("403").hasMessageContaining("-U");
    }

    @Test
    void invalidArgumentsAreRejectedWithAHint() {
        assertThatThrownBy(() -> ExternalEndpoint.connect("ftp://x", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://127.0.0.1:3000");
        assertThatThrownBy(() -> ExternalEndpoint.connect(daemon.url(), "a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "a")) {
            assertThatThrownBy(() -> ep.send("x", "node2/echo")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dtn://node2/echo");
            assertThatThrownBy(() -> ep.send("x", "dtn:none")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dtn:none");
        }
    }

    @Test
    void defaultPortAndBareHostsAreCompleted() {
        assertThat(ExternalEndpoint.baseUri("192.168.2.163").toString()).isEqualTo("http://192.168.2.163:3000/");
        assertThat(ExternalEndpoint.baseUri("http://localhost:3001").toString()).isEqualTo("http://localhost:3001/");
    }

    @Test
    void forgottenRegistrationAndGarbageAreTypedErrors() {
        try (ExternalEndpoint ep = ExternalEndpoint.connect(daemon.url(), "a")) {
            daemon.endpointOverride = "not a bundle at all".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(ep::poll).isInstanceOf(ExternalEndpointException.class)
                    .hasMessageContaining("not a valid bundle");
            daemon.endpointOverride = null;
            daemon.forgetRegistrations();
            assertThatThrownBy(ep::poll).isInstanceOf(ExternalEndpointException.class)
                    .hasMessageContaining("404").hasMessageContaining("connect again");
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within 5 s").isNegative();
            Thread.sleep(10);
        }
    }
}
