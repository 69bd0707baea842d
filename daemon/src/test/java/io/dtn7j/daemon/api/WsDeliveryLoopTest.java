package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The /ws delivery loops, against the real agent: one loop per subscribed endpoint however often it is subscribed
 * and unsubscribed, no busy loop once the endpoint is unregistered by a REST client (dtn7zero's external endpoint
 * does that), delivery that resumes after a client stalled longer than a frame takes, and a slow client that pings
 * is not taken for a silent one while its backlog is written.
 */
class WsDeliveryLoopTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private HttpResponse<String> get(String pq) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pq)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String pq, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pq))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * /subscribe and /unsubscribe repeated quickly: each /subscribe after an /unsubscribe starts another delivery
     * loop while the previous one (still inside its 100 ms poll) sees the endpoint subscribed again and keeps
     * running. The loops then poll the same endpoint concurrently; at most one should.
     */
    @Test
    void subscribeUnsubscribeCyclesLeaveOneDeliveryLoop() throws Exception {
        NodeService real = AgentNodes.start("dtn://node1/", toClose);
        AtomicInteger inPoll = new AtomicInteger();
        AtomicInteger maxInPoll = new AtomicInteger();
        NodeService counting = (NodeService) Proxy.newProxyInstance(NodeService.class.getClassLoader(),
                new Class<?>[] {NodeService.class}, (p, m, args) -> {
                    boolean timedPoll = m.getName().equals("poll") && args != null && args.length == 2;
                    if (timedPoll) {
                        maxInPoll.accumulateAndGet(inPoll.incrementAndGet(), Math::max);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (timedPoll) {
                            inPoll.decrementAndGet();
                        }
                    }
                });
        server = new ApiServer(counting, ApiOptions.loopback(0)).start();
        assertThat(get("/register?inbox").body()).isEqualTo("Registered dtn://node1/inbox");
        try (WsClient ws = new WsClient("ws://127.0.0.1:" + server.port() + "/ws")) {
            for (int i = 0; i < 30; i++) {
                ws.ws.sendText("/subscribe inbox", true).get(5, TimeUnit.SECONDS);
                ws.ws.sendText("/unsubscribe dtn://node1/inbox", true).get(5, TimeUnit.SECONDS);
            }
            ws.send("/subscribe inbox");
            for (int i = 0; i < 61; i++) {
                assertThat(ws.nextText()).startsWith("200 ");
            }
            Thread.sleep(300);
            maxInPoll.set(0);
            Thread.sleep(1000);
            int loops = maxInPoll.get();
            // the bundles sent now are handed out by the competing loops
            for (int i = 0; i < 40; i++) {
                assertThat(post("/send?dst=dtn://node1/inbox", ("m" + i).getBytes(StandardCharsets.UTF_8)).statusCode())
                        .isEqualTo(200);
            }
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] frame = ws.nextBinary();
                String json = new String(frame, StandardCharsets.UTF_8);
                // cts = [t, seq]
                var tree = Json.MAPPER.readTree(json);
                String payload = new String(java.util.Base64.getDecoder().decode(tree.get("data").asText()),
                        StandardCharsets.UTF_8);
                order.add(Long.parseLong(payload.substring(1)));
            }
            assertThat(loops).as("delivery loops polling the one subscribed endpoint at once").isEqualTo(1);
        }
    }

    /** A WebSocket client whose reading the test switches on and off (java.net.http reads only on demand). */
    static final class ManualWs implements WebSocket.Listener {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        private final StringBuilder text = new StringBuilder();
        volatile boolean reading = true;
        WebSocket ws;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            more(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            more(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            more(webSocket);
            return null;
        }

        private void more(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        void resume() {
            reading = true;
            ws.request(1);
        }
    }

    /**
     * A client that stops reading for a while (a slow link, a paused process) while a large bundle is delivered:
     * after 30 s the server gives up waiting for that one frame and its delivery loop for the endpoint ends for
     * good, while the session stays open and subscribed ({@code /status/info} keeps the registration "active").
     * Bundles arriving later are never pushed to the session; they wait in the registration's queue.
     */
    @Test
    void aClientThatStalledOnceReceivesAgainOnceItReads() throws Exception {
        NodeService node = AgentNodes.start("dtn://node1/", toClose);
        server = new ApiServer(node, ApiOptions.loopback(0)).start();
        assertThat(get("/register?inbox").statusCode()).isEqualTo(200);
        ManualWs client = new ManualWs();
        client.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), client).get(5, TimeUnit.SECONDS);
        client.ws.sendText("/bundle", true).get(5, TimeUnit.SECONDS);
        assertThat(client.received.poll(5, TimeUnit.SECONDS)).isEqualTo("200 tx mode: bundle");
        client.ws.sendText("/subscribe inbox", true).get(5, TimeUnit.SECONDS);
        assertThat(client.received.poll(5, TimeUnit.SECONDS)).isEqualTo("200 subscribed");

        client.reading = false; // stop reading; keep the session alive with our own pings
        Thread pinger = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    client.ws.sendPing(ByteBuffer.wrap(new byte[] {1})).get(5, TimeUnit.SECONDS);
                    Thread.sleep(2000);
                }
            } catch (Exception e) {
                // stopped
            }
        });
        byte[] big = new byte[40 << 20];
        assertThat(post("/send?dst=dtn://node1/inbox", big).statusCode()).isEqualTo(200);
        Thread.sleep(34_000); // the server's 30 s wait for the frame passes
        client.resume();
        long t0 = System.nanoTime();
        Object first = client.received.poll(20, TimeUnit.SECONDS);

        assertThat(post("/send?dst=dtn://node1/inbox", "AFTER".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        Object next = client.received.poll(5, TimeUnit.SECONDS);
        String info = get("/status/info").body();
        HttpResponse<String> polled = get("/endpoint?inbox");
        pinger.interrupt();
        client.ws.abort();
        assertThat(next).as("a bundle for the subscribed endpoint arriving after the stall is pushed to the session")
                .isInstanceOf(byte[].class);
    }

    /**
     * A session subscribed to an endpoint that a REST client then unregisters: the agent's timed poll returns at once
     * for an endpoint with no registration, so the session's delivery loop spins without pause (one carrier thread
     * at 100 %) for as long as the session stays open.
     */
    @Test
    void anEndpointUnregisteredWhileSubscribedDoesNotMakeTheDeliveryLoopSpin() throws Exception {
        NodeService real = AgentNodes.start("dtn://node1/", toClose);
        AtomicInteger timedPolls = new AtomicInteger();
        NodeService counting = (NodeService) Proxy.newProxyInstance(NodeService.class.getClassLoader(),
                new Class<?>[] {NodeService.class}, (p, m, args) -> {
                    if (m.getName().equals("poll") && args != null && args.length == 2) {
                        timedPolls.incrementAndGet();
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        server = new ApiServer(counting, ApiOptions.loopback(0)).start();
        assertThat(get("/register?inbox").statusCode()).isEqualTo(200);
        try (WsClient ws = new WsClient("ws://127.0.0.1:" + server.port() + "/ws")) {
            ws.send("/subscribe inbox");
            assertThat(ws.nextText()).isEqualTo("200 subscribed");
            Thread.sleep(300);
            timedPolls.set(0);
            Thread.sleep(1000);
            int subscribedRate = timedPolls.get();
            assertThat(get("/unregister?inbox").body()).isEqualTo("Unregistered dtn://node1/inbox");
            Thread.sleep(300);
            java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
            timedPolls.set(0);
            Thread.sleep(1000);
            int unregisteredRate = timedPolls.get();
            long cpu1 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
            assertThat(unregisteredRate).as("timed polls per second once the endpoint is unregistered")
                    .isLessThan(50);
        }
    }

    /**
     * /subscribe hands the endpoint's queued bundles out on the WebSocket's own read thread (flush() inside
     * onWebSocketText), so while a backlog is written to a slow but healthy client nothing the client sends is read,
     * its Pings included; after 30 s the pump closes the session with "no ping/pong received" although the client
     * pinged every 2 s.
     */
    @Test
    void aSlowButPingingClientIsNotDroppedWhileTheBacklogFlushes() throws Exception {
        NodeService node = AgentNodes.start("dtn://node1/", toClose);
        server = new ApiServer(node, ApiOptions.loopback(0)).start();
        assertThat(get("/register?inbox").statusCode()).isEqualTo(200);
        int bundles = 20;
        for (int i = 0; i < bundles; i++) {
            assertThat(post("/send?dst=dtn://node1/inbox", new byte[2 << 20]).statusCode()).isEqualTo(200);
        }
        java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();
        AtomicInteger frames = new AtomicInteger();
        WebSocket.Listener slow = new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                try {
                    Thread.sleep(Math.max(1, data.remaining() / 1000)); // about 1 MB/s
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (last) {
                    frames.incrementAndGet();
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), slow).get(5, TimeUnit.SECONDS);
        ws.sendText("/bundle", true).get(5, TimeUnit.SECONDS);
        Thread pinger = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    ws.sendPing(ByteBuffer.wrap(new byte[] {1})).get(5, TimeUnit.SECONDS);
                    Thread.sleep(2000);
                }
            } catch (Exception e) {
                // stopped
            }
        });
        long t0 = System.nanoTime();
        ws.sendText("/subscribe inbox", true).get(5, TimeUnit.SECONDS);
        String how;
        try {
            how = closed.get(bundles * 3L, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            how = null;
        }
        pinger.interrupt();
        ws.abort();
        assertThat(how).as("the server closes a client that pings every 2 s").isNull();
    }
}
