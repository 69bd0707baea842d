package io.dtn7j.core.api;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.admin.BundleStatusReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simple API over real agents: nodes in this JVM linked by MTCP on loopback, no discovery. */
class DtnNodeTest {

    private final List<DtnNode> nodes = new ArrayList<>();

    private DtnNode.Builder quiet(String uri) {
        return DtnNode.builder(uri).mtcpPort(0).discovery(false);
    }

    private DtnNode start(DtnNode.Builder b) {
        DtnNode n = b.start();
        nodes.add(n);
        return n;
    }

    @AfterEach
    void closeAll() {
        nodes.forEach(DtnNode::close);
    }

    static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("condition not met within 10 s").isTrue();
            Thread.sleep(10);
        }
    }

    @Test
    void aNodeSendsToItselfAndReceivesWithAFuture() throws Exception {
        DtnNode node = start(quiet("dtn://node1/"));
        assertThat(node.endpoint().uri()).isEqualTo("dtn://node1/");
        BundleId id = node.endpoint().send("hello", "dtn://node1/");
        Message m = node.endpoint().receive(Duration.ofSeconds(10));
        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.source()).isEqualTo("dtn://node1/");
        assertThat(m.destination()).isEqualTo("dtn://node1/");
        assertThat(m.bundleId()).isEqualTo(id);
        assertThat(m.primaryBlock().lifetimeMs()).isEqualTo(Duration.ofHours(24).toMillis());
        assertThat(m.isAnonymous()).isFalse();
        assertThat(m.primaryBlock().crcType()).as("RFC 9171 §4.3.1: created bundles carry a CRC by default")
                .isEqualTo(io.dtn7j.bundle.CrcType.CRC32C);
    }

    @Test
    void crcTypeNoneIsASettingForDtn7zeroNetworks() throws Exception {
        DtnNode node = start(quiet("dtn://node1/").crcType(io.dtn7j.bundle.CrcType.NONE));
        node.endpoint().send("plain", "dtn://node1/");
        Message m = node.endpoint().receive(Duration.ofSeconds(10));
        assertThat(m.text()).isEqualTo("plain");
        assertThat(m.primaryBlock().crcType()).isEqualTo(io.dtn7j.bundle.CrcType.NONE);
    }

    @Test
    void twoNodesOverMtcpWithCallbacksOnTheBackgroundThread() throws Exception {
        DtnNode b = start(quiet("dtn://node-b/"));
        DtnNode a = start(quiet("dtn://node-a/").peer("mtcp://127.0.0.1:" + b.port("mtcp") + "/node-b"));
        b.addPeer("mtcp://127.0.0.1:" + a.port("mtcp") + "/node-a");

        List<String> echoes = new CopyOnWriteArrayList<>();
        LocalEndpoint[] echo = new LocalEndpoint[1];
        echo[0] = b.register("echo", (payload, source, destination, primary) -> echo[0].send(payload, source));
        LocalEndpoint ping = a.register("ping", (Message m) -> echoes.add(m.text() + " from " + m.source()));
        for (int i = 1; i <= 5; i++) {
            ping.send(Integer.toString(i), "dtn://node-b/echo");
        }
        waitUntil(() -> echoes.size() == 5);
        assertThat(echoes).containsExactlyInAnyOrder("1 from dtn://node-b/echo", "2 from dtn://node-b/echo",
                "3 from dtn://node-b/echo", "4 from dtn://node-b/echo", "5 from dtn://node-b/echo");
        assertThat(a.discover()).singleElement().satisfies(p -> {
            assertThat(p.nodeId()).isEqualTo("dtn://node-b/");
            assertThat(p.discovered()).isFalse();
            assertThat(p.addresses()).containsExactly("mtcp://127.0.0.1:" + b.port("mtcp"));
        });
    }

    @Test
    void withoutBackgroundUpdatesCallbacksRunOnlyInUpdate() throws Exception {
        DtnNode node = start(quiet("dtn://node1/").backgroundUpdates(false));
        List<String> got = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        node.register("x", (Message m) -> {
            got.add(m.text());
            threads.add(Thread.currentThread());
        });
        LocalEndpoint probe = node.register("probe");
        node.endpoint().send("one", "dtn://node1/x");
        node.endpoint().send("two", "dtn://node1/x");
        node.endpoint().send("marker", "dtn://node1/probe");
        probe.receive(Duration.ofSeconds(10)); // the agent delivered in order, so "one" and "two" wait too
        Thread.sleep(100);
        assertThat(got).isEmpty();
        int ran = 0;
        for (int i = 0; i < 100 && ran < 2; i++) {
            ran += node.update();
            Thread.sleep(5);
        }
        assertThat(ran).isEqualTo(2);
        assertThat(got).containsExactly("one", "two");
        assertThat(threads).containsOnly(Thread.currentThread());
        assertThat(node.update()).isZero();
    }

    @Test
    void runForeverRunsCallbacksAndTheLoopUntilClosed() {
        DtnNode node = start(quiet("dtn://node1/").backgroundUpdates(false)
                .onMessage((Message m) -> System.out.println("got " + m.text())));
        AtomicInteger loops = new AtomicInteger();
        List<String> got = new CopyOnWriteArrayList<>();
        LocalEndpoint sink = node.register("sink", (Message m) -> got.add(m.text()));
        long start = System.nanoTime();
        node.runForever(() -> {
            int n = loops.incrementAndGet();
            if (n <= 3) {
                node.endpoint().send("m" + n, sink.uri());
            } else {
                node.close();
            }
        }, Duration.ofMillis(100));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(390));
        assertThat(got).containsExactly("m1", "m2", "m3");
        assertThat(loops).hasValue(4);
    }

    @Test
    void pollingEndpointsQueueTheirMessages() throws Exception {
        DtnNode node = start(quiet("dtn://node1/"));
        LocalEndpoint inbox = node.register("inbox");
        assertThat(inbox.poll()).isEmpty();
        node.endpoint().send("a", "dtn://node1/inbox");
        node.endpoint().send("b", "dtn://node1/inbox");
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < 2 && System.nanoTime() < deadline) {
            inbox.poll().ifPresent(m -> got.add(m.text()));
        }
        assertThat(got).containsExactly("a", "b");
        assertThat(inbox.poll()).isEmpty();
    }

    @Test
    void receiveFuturesTakePrecedenceOverCallbacksAndCanBeCancelled() throws Exception {
        DtnNode node = start(quiet("dtn://node1/"));
        List<String> callback = new CopyOnWriteArrayList<>();
        LocalEndpoint ep = node.register("x", (Message m) -> callback.add(m.text()));
        CompletableFuture<Message> cancelled = ep.receive();
        CompletableFuture<Message> first = ep.receive();
        cancelled.cancel(false);
        node.endpoint().send("to the future", ep.uri());
        assertThat(first.get(10, TimeUnit.SECONDS).text()).isEqualTo("to the future");
        node.endpoint().send("to the callback", ep.uri());
        waitUntil(() -> callback.size() == 1);
        assertThat(callback).containsExactly("to the callback");
    }

    @Test
    void groupsAnonymityAndIpn() throws Exception {
        DtnNode node = start(quiet("dtn://node1/"));
        LocalEndpoint news = node.registerGroup("dtn://global/~news");
        assertThat(news.isGroup()).isTrue();
        node.endpoint().send("headline", "dtn://global/~news");
        Message m = news.receive(Duration.ofSeconds(10));
        assertThat(m.destination()).isEqualTo("dtn://global/~news");
        assertThat(m.source()).isEqualTo("dtn://node1/");

        LocalEndpoint x = node.register("x");
        node.endpoint().send("who?".getBytes(StandardCharsets.UTF_8), "dtn://node1/x", true);
        Message anon = x.receive(Duration.ofSeconds(10));
        assertThat(anon.source()).isEqualTo("dtn:none");
        assertThat(anon.isAnonymous()).isTrue();
        assertThat(anon.primaryBlock().reportTo().isNone()).isTrue();
        assertThatThrownBy(() -> news.send("x", "dtn://node1/")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("group");

        DtnNode ipn = start(quiet("ipn:23.0"));
        LocalEndpoint seven = ipn.register("7");
        assertThat(seven.uri()).isEqualTo("ipn:23.7");
        ipn.endpoint().send("n", "ipn:23.7");
        assertThat(seven.receive(Duration.ofSeconds(10)).source()).isEqualTo("ipn:23.0");
    }

    @Test
    void deliveryReportsArriveWhenAskedFor() throws Exception {
        DtnNode b = start(quiet("dtn://node-b/").statusReports(true));
        DtnNode a = start(quiet("dtn://node-a/").statusReports(true)
                .peer("mtcp://127.0.0.1:" + b.port("mtcp") + "/node-b"));
        b.addPeer("mtcp://127.0.0.1:" + a.port("mtcp") + "/node-a");
        LocalEndpoint sink = b.register("sink");
        LocalEndpoint src = a.register("src");
        BundleId id = src.send("report me", "dtn://node-b/sink");
        CompletableFuture<BundleStatusReport> report = a.deliveryReport(id);
        assertThat(sink.receive(Duration.ofSeconds(10)).text()).isEqualTo("report me");
        BundleStatusReport r = report.get(10, TimeUnit.SECONDS);
        assertThat(r.toString()).contains(id.toString().substring(0, 10));
    }

    @Test
    void misuseSaysWhatToDoInstead() {
        DtnNode node = start(quiet("dtn://node1/"));
        LocalEndpoint x = node.register("x");
        assertThatThrownBy(() -> node.register("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> node.endpoint().send("x", "not a uri")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtn://node2/echo");
        assertThatThrownBy(() -> node.endpoint().send("x", "dtn:none")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node.register("cb", (Message m) -> { }).poll())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("callback");
        assertThatThrownBy(node::startBackgroundUpdates).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
        assertThatThrownBy(() -> node.addPeer("mtcp://127.0.0.1:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node name");
        assertThatThrownBy(() -> node.addPeer("carrier-pigeon://x:1/n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown convergence layer");
        assertThatThrownBy(() -> node.endpoint().close()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("close the node");
        assertThatThrownBy(() -> DtnNode.builder("node1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quiet("dtn://n/").mtcpPort(70000)).isInstanceOf(IllegalArgumentException.class);

        x.close();
        assertThatThrownBy(() -> x.send("y", "dtn://node1/")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("register it again");
        LocalEndpoint again = node.register("x"); // may be registered again once closed
        assertThat(again).isNotSameAs(x);

        CompletableFuture<Message> pending = node.endpoint().receive();
        node.close();
        node.close();
        assertThat(pending).isCompletedExceptionally();
        assertThatThrownBy(() -> node.register("y")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was closed").hasMessageContaining("DtnNode.start");
        assertThatThrownBy(() -> again.send("x", "dtn://node1/")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(node::update).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anExplicitlyTakenPortIsAnErrorTheDefaultOneFallsBack() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            assertThatThrownBy(() -> start(quiet("dtn://n/").mtcpPort(taken.getLocalPort())))
                    .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("dtn://n/");
        }
    }

    @Test
    void whenTheDefaultPortIsTakenTheNodeListensElsewhere() throws Exception {
        java.net.ServerSocket holder = null;
        try {
            try {
                holder = new java.net.ServerSocket(DtnNode.Builder.DEFAULT_MTCP_PORT);
            } catch (java.io.IOException alreadyTaken) {
                // something else holds it: the node must fall back all the same
            }
            DtnNode node = start(DtnNode.builder("dtn://fallback/").discovery(false));
            assertThat(node.port("mtcp")).isPositive().isNotEqualTo(DtnNode.Builder.DEFAULT_MTCP_PORT);
            node.endpoint().send("still works", "dtn://fallback/");
            assertThat(node.endpoint().receive(Duration.ofSeconds(10)).text()).isEqualTo("still works");
        } finally {
            if (holder != null) {
                holder.close();
            }
        }
    }

    @Test
    void aCallbackThatThrowsDoesNotStopTheNode() throws Exception {
        DtnNode node = start(quiet("dtn://node1/"));
        List<String> got = new CopyOnWriteArrayList<>();
        node.register("x", (Message m) -> {
            if (m.text().equals("boom")) {
                throw new IllegalStateException("test: a callback failing on purpose");
            }
            got.add(m.text());
        });
        node.endpoint().send("boom", "dtn://node1/x");
        node.endpoint().send("fine", "dtn://node1/x");
        waitUntil(() -> got.contains("fine"));
    }
}
