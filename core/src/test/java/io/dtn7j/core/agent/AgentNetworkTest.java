package io.dtn7j.core.agent;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.admin.BundleStatusReport;
import io.dtn7j.bundle.admin.StatusReportReason;
import io.dtn7j.core.agent.testlink.InProcessNetwork;
import io.dtn7j.core.routing.EpidemicRouter;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.routing.SprayAndWaitRouter;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.time.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several agents in one JVM over an {@link InProcessNetwork} with a shared virtual clock: store-carry-forward over
 * intermittent links (RFC 9171 §5.4 with contraindication and retry), routers, fragmentation and reassembly across a
 * small-MTU link (§5.8, §5.9), expiry (§5.10) and status reports travelling back to the source (§6).
 */
class AgentNetworkTest {

    final VirtualClock clock = VirtualClock.create();
    final InProcessNetwork net = new InProcessNetwork();
    final Map<String, BundleProtocolAgent> nodes = new LinkedHashMap<>();

    BundleProtocolAgent node(String name) throws Exception {
        return node(name, new EpidemicRouter(), Long.MAX_VALUE);
    }

    BundleProtocolAgent node(String name, Router router, long maxBundleSize) throws Exception {
        BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://" + name + "/")
                .clock(clock).janitorInterval(Duration.ZERO).statusReports(true).router(router)
                .convergenceLayer(net.link(name, maxBundleSize)).build());
        nodes.put(name, a);
        return a;
    }

    @AfterEach
    void closeAll() {
        nodes.values().forEach(BundleProtocolAgent::close);
    }

    void idle() {
        Await.idle(nodes.values().toArray(new BundleProtocolAgent[0]));
    }

    boolean holds(String node, BundleId id) {
        return nodes.get(node).metadata(id).isPresent();
    }

    @Test
    void chainOfFiveNodesWithLinksUpOneAtATimeDeliversEndToEnd() throws Exception {
        for (int i = 1; i <= 5; i++) {
            node("n" + i);
        }
        Registration inbox = nodes.get("n5").register("dtn://n5/inbox", null);
        List<BundleId> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(nodes.get("n1").send(SendRequest.to("dtn://n5/inbox").payload("msg " + i).build()));
        }
        idle();
        for (int hop = 1; hop <= 4; hop++) {
            String from = "n" + hop;
            String to = "n" + (hop + 1);
            net.connect(from, to);
            if (hop < 4) {
                Await.until(to + " carries all bundles", () -> sent.stream().allMatch(id -> holds(to, id)));
            }
            idle();
            net.disconnect(from, to);
            // store-carry-forward: nothing got further than the link that was up
            for (int later = hop + 2; later <= 5; later++) {
                String far = "n" + later;
                assertThat(sent).noneMatch(id -> holds(far, id));
            }
            clock.advance(Duration.ofMinutes(5));
        }
        Set<String> payloads = new HashSet<>();
        Await.until("n5 delivered all", () -> inbox.pending() == 3);
        Optional<Delivery> d;
        while ((d = inbox.poll()).isPresent()) {
            payloads.add(d.get().payload().toByteArray().length > 0 ? new String(d.get().payload().toByteArray()) : "");
            assertThat(d.get().bundle().hopCount().orElseThrow().count()).isEqualTo(4);
            assertThat(d.get().bundle().previousNode()).contains(EndpointId.parse("dtn://n4/"));
        }
        assertThat(payloads).containsExactlyInAnyOrder("msg 0", "msg 1", "msg 2");
        // the carriers keep their copies (epidemic) until they expire
        assertThat(sent).allMatch(id -> holds("n3", id));
    }

    @Test
    void twoPartitionsJoinedByAMuleWithEpidemicRouting() throws Exception {
        for (String n : List.of("a1", "a2", "mule", "b1", "b2")) {
            node(n);
        }
        net.connect("a1", "a2");
        net.connect("b1", "b2");
        Registration atB2 = nodes.get("b2").register("dtn://b2/inbox", null);
        Registration atA2 = nodes.get("a2").register("dtn://a2/inbox", null);
        BundleId ab = nodes.get("a1").send(SendRequest.to("dtn://b2/inbox").payload("from A").build());
        BundleId ba = nodes.get("b1").send(SendRequest.to("dtn://a2/inbox").payload("from B").build());
        idle();
        assertThat(atB2.pending()).isZero();
        assertThat(atA2.pending()).isZero();

        net.connect("mule", "a2"); // the mule visits partition A ...
        Await.until("the mule carries A's bundle", () -> holds("mule", ab));
        idle();
        net.disconnect("mule", "a2");
        clock.advance(Duration.ofMinutes(10));
        net.connect("mule", "b1"); // ... then partition B
        Await.until("b2 got A's bundle via the mule and b1", () -> atB2.pending() == 1);
        Await.until("the mule carries B's bundle", () -> holds("mule", ba));
        idle();
        net.disconnect("mule", "b1");
        net.connect("mule", "a1"); // and back to A
        Await.until("a2 got B's bundle", () -> atA2.pending() == 1);
        assertThat(new String(atB2.poll().orElseThrow().payload().toByteArray())).isEqualTo("from A");
        assertThat(new String(atA2.poll().orElseThrow().payload().toByteArray())).isEqualTo("from B");
    }

    @Test
    void sprayAndWaitHandsOutHalfTheCopiesThenWaitsForTheDestination() throws Exception {
        for (String n : List.of("src", "p1", "p2", "p3", "p4", "dst")) {
            node(n, new SprayAndWaitRouter(4), Long.MAX_VALUE);
        }
        BundleId id = nodes.get("src").send(SendRequest.to("dtn://dst/inbox").payload("spray").build());
        assertThat(copies("src", id)).isEqualTo(4);
        meet("src", "p1");
        assertThat(copies("p1", id)).isEqualTo(2);
        assertThat(copies("src", id)).isEqualTo(2);
        meet("src", "p2");
        assertThat(copies("p2", id)).isEqualTo(1);
        assertThat(copies("src", id)).isEqualTo(1);
        meet("src", "p3"); // one copy left: wait phase, nothing for p3
        assertThat(holds("p3", id)).isFalse();
        meet("p1", "p4");
        assertThat(copies("p4", id)).isEqualTo(1);
        assertThat(copies("p1", id)).isEqualTo(1);
        meet("p4", "p3"); // p4 is waiting too
        assertThat(holds("p3", id)).isFalse();
        Registration inbox = nodes.get("dst").register("dtn://dst/inbox", null);
        meet("p2", "dst"); // direct delivery by a waiting node, which then drops its copy
        Await.until("delivered", () -> inbox.pending() == 1);
        assertThat(holds("p2", id)).isFalse();
        assertThat(nodes.get("p2").statistics().forwarded()).isEqualTo(1);
    }

    int copies(String node, BundleId id) {
        return nodes.get(node).metadata(id).map(BundleMetadata::copies).orElse(0);
    }

    void meet(String a, String b) {
        net.connect(a, b);
        idle();
        net.disconnect(a, b);
        clock.advance(Duration.ofMinutes(1));
    }

    @Test
    void bundlesExpireDuringAPartitionAndAreNotCarriedFurther() throws Exception {
        node("a");
        node("b");
        node("c");
        Registration atC = nodes.get("c").register("dtn://c/inbox", null);
        BundleId id = nodes.get("a").send(SendRequest.to("dtn://c/inbox").payload("short-lived")
                .lifetime(Duration.ofMinutes(1)).build());
        meet("a", "b");
        assertThat(holds("b", id)).isTrue();
        clock.advance(Duration.ofMinutes(1)); // the partition lasts longer than the lifetime
        nodes.values().forEach(BundleProtocolAgent::runJanitor);
        assertThat(holds("a", id)).isFalse();
        assertThat(holds("b", id)).isFalse();
        assertThat(nodes.get("b").statistics().deleted()).containsEntry("lifetime_expired", 1L);
        meet("b", "c");
        assertThat(atC.pending()).isZero();
        assertThat(nodes.get("c").bundleIds()).isEmpty();
    }

    @Test
    void tenMebibyteBundleIsFragmentedOver64KibLinkAndReassembled() throws Exception {
        long max = 64 * 1024;
        node("big", new EpidemicRouter(), max);
        node("relay", new EpidemicRouter(), max);
        node("dest", new EpidemicRouter(), max);
        byte[] payload = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        List<Delivery> got = new CopyOnWriteArrayList<>();
        nodes.get("dest").register("dtn://dest/files", got::add);
        BundleId id = nodes.get("big").send(SendRequest.to("dtn://dest/files").payload(payload).build());
        net.connect("big", "relay");
        Await.until("relay holds every fragment", Duration.ofSeconds(60), () -> {
            long sum = 0;
            for (BundleId f : nodes.get("relay").bundleIds()) {
                sum += f.fragmentLength();
            }
            return sum == payload.length;
        });
        idle();
        net.disconnect("big", "relay");
        // the relay is not the destination: it carries fragments, it does not reassemble
        assertThat(nodes.get("relay").bundleIds()).allMatch(BundleId::isFragment);
        net.connect("relay", "dest");
        Await.until("reassembled and delivered", Duration.ofSeconds(60), () -> got.size() == 1);
        Delivery d = got.get(0);
        assertThat(d.id()).isEqualTo(id);
        assertThat(d.bundle().isFragment()).isFalse();
        assertThat(d.payload().size()).isEqualTo(payload.length);
        assertThat(d.payload().toByteArray()).isEqualTo(payload);
        assertThat(nodes.get("big").statistics().fragmentsCreated()).isGreaterThanOrEqualTo(160);
        idle();
        assertThat(nodes.get("dest").bundleIds()).isEmpty();
    }

    @Test
    void deliveryAndDeletionReportsReachTheSourcesRegistration() throws Exception {
        node("s");
        node("r");
        node("d");
        List<BundleStatusReport> reports = new CopyOnWriteArrayList<>();
        nodes.get("s").register("dtn://s/app", new DeliveryListener() {
            @Override
            public void onDelivery(Delivery delivery) {
            }

            @Override
            public void onStatusReport(BundleStatusReport report) {
                reports.add(report);
            }
        });
        nodes.get("d").register("dtn://d/inbox", delivery -> { });
        EndpointId app = EndpointId.parse("dtn://s/app");
        BundleId toD = nodes.get("s").send(SendRequest.to("dtn://d/inbox").source(app).payload("hi")
                .requestDeliveryReport().build());
        BundleId toNowhere = nodes.get("s").send(SendRequest.to("dtn://x/inbox").source(app).payload("lost")
                .lifetime(Duration.ofSeconds(30)).requestDeletionReport().build());
        CompletableFuture<BundleStatusReport> delivered = nodes.get("s").deliveryReport(toD);
        net.connect("s", "r");
        net.connect("r", "d");
        BundleStatusReport dr = delivered.get(30, TimeUnit.SECONDS);
        assertThat(dr.delivered().asserted()).isTrue();
        assertThat(dr.subjectId()).isEqualTo(toD);
        Await.until("the app saw the delivery report", () -> reports.stream().anyMatch(r -> r.delivered().asserted()));

        Await.until("r carries the doomed bundle", () -> holds("r", toNowhere));
        idle();
        net.disconnect("s", "r");
        nodes.get("s").delete(toNowhere); // s gives up its own copy (reported locally, reason 0) ...
        clock.advance(Duration.ofSeconds(31));
        nodes.get("r").runJanitor();          // ... r deletes its copy on expiry and reports to dtn://s/app
        idle();
        net.connect("s", "r");
        Await.until("the app saw r's deletion report", () -> reports.stream()
                .anyMatch(r -> r.deleted().asserted() && r.reason() == StatusReportReason.LIFETIME_EXPIRED));
        BundleStatusReport del = reports.stream()
                .filter(r -> r.deleted().asserted() && r.reason() == StatusReportReason.LIFETIME_EXPIRED)
                .findFirst().orElseThrow();
        assertThat(del.subjectId()).isEqualTo(toNowhere);
        assertThat(del.reason()).isEqualTo(StatusReportReason.LIFETIME_EXPIRED);
    }
}
