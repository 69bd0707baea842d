package io.dtn7j.core.agent;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.testlink.InProcessNetwork;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.core.routing.StaticRouter;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.store.ForwardingBundleStore;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.core.time.VirtualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restart recovery from the store, peers from discovery and their expiry, static routing over a network. */
class AgentLifecycleTest {

    final VirtualClock clock = VirtualClock.create();

    /** A store that survives its agent's close (as a durable store survives a restart). */
    static final class KeptStore extends ForwardingBundleStore {
        KeptStore() {
            super(new MemoryBundleStore());
        }

        @Override
        public void close() { }
    }

    @Test
    void restartedAgentForwardsAndDeliversWhatItsStoreHolds() throws Exception {
        KeptStore store = new KeptStore();
        CapturingCla cla1 = new CapturingCla();
        BundleProtocolAgent first = BundleProtocolAgent.start(AgentConfig.builder("dtn://node1/").clock(clock)
                .janitorInterval(Duration.ZERO).store(store).convergenceLayer(cla1).build());
        BundleId away = first.send(SendRequest.to("dtn://node2/x").payload("to forward").build());
        BundleId local = first.send(SendRequest.to("dtn://node1/inbox").payload("to deliver").build());
        Await.idle(first);
        first.close();
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.metadata(local).orElseThrow().constraints()).containsExactly(Constraint.LOCAL_ENDPOINT);

        CapturingCla cla2 = new CapturingCla();
        BundleProtocolAgent second = BundleProtocolAgent.start(AgentConfig.builder("dtn://node1/").clock(clock)
                .janitorInterval(Duration.ZERO).store(store).convergenceLayer(cla2)
                .staticPeer(Peer.staticPeer(EndpointId.parse("dtn://node2/"), new ClaAddress("capture", "node2", 1)))
                .build());
        try {
            Await.until("forwarded after restart", () -> cla2.sent.size() == 1);
            assertThat(cla2.sent.get(0).bundle().id()).isEqualTo(away);
            Registration reg = second.register("dtn://node1/inbox", null);
            assertThat(reg.poll().orElseThrow().payload().toByteArray()).asString().isEqualTo("to deliver");
            // the restarted agent still knows the IDs it holds: duplicates are refused
            assertThat(second.hasBundle(away)).isTrue();
        } finally {
            second.close();
        }
    }

    @Test
    void restartedAgentNeverReusesTheCreationTimestampOfAStoredBundle() throws Exception {
        // The clock does not move between the two runs (a restart within the same millisecond), as it did not in
        // the flaky crash-recovery run: the sequence numbers must continue past those of the stored bundles.
        KeptStore store = new KeptStore();
        BundleProtocolAgent first = BundleProtocolAgent.start(AgentConfig.builder("dtn://node1/").clock(clock)
                .janitorInterval(Duration.ZERO).store(store).build());
        BundleId a = first.send(SendRequest.to("dtn://node2/x").payload("a").build());
        BundleId b = first.send(SendRequest.to("dtn://node2/x").payload("b").source(EndpointId.parse("dtn://node1/app")).build());
        Await.idle(first);
        first.close();
        assertThat(store.count()).isEqualTo(2);

        BundleProtocolAgent second = BundleProtocolAgent.start(AgentConfig.builder("dtn://node1/").clock(clock)
                .janitorInterval(Duration.ZERO).store(store).build());
        try {
            BundleId c = second.send(SendRequest.to("dtn://node2/x").payload("c").build());
            BundleId d = second.send(SendRequest.to("dtn://node2/x").payload("d").source(EndpointId.parse("dtn://node1/app")).build());
            assertThat(List.of(c.creation(), d.creation())).doesNotContain(a.creation(), b.creation());
            assertThat(c.creation().dtnTimeMs()).isEqualTo(a.creation().dtnTimeMs());
            assertThat(c.creation().sequence()).isGreaterThan(b.creation().sequence());
            assertThat(store.count()).isEqualTo(4);
        } finally {
            second.close();
        }
    }

    @Test
    void discoveredPeersGetBundlesAndExpire() throws Exception {
        CapturingCla cla = new CapturingCla();
        BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://node1/").clock(clock)
                .janitorInterval(Duration.ZERO).peerTimeout(Duration.ofSeconds(20)).convergenceLayer(cla).build());
        try {
            a.send(SendRequest.to("dtn://far/x").payload("p").build());
            Peer seen = new Peer(EndpointId.parse("dtn://node7/"), List.of(new ClaAddress("capture", "n7", 1),
                    new ClaAddress("nonexistent-cla", "n7", 2)), PeerOrigin.DISCOVERED, clock.now());
            a.peerDiscovered(seen);
            Await.until("offered to the discovered peer", () -> cla.sent.size() == 1);
            assertThat(cla.sent.get(0).to()).isEqualTo(new ClaAddress("capture", "n7", 1));
            assertThat(a.peers()).extracting(Peer::origin).containsExactly(PeerOrigin.DISCOVERED);
            clock.advance(Duration.ofSeconds(19));
            a.runJanitor();
            assertThat(a.peers()).hasSize(1);
            clock.advance(Duration.ofSeconds(1));
            a.runJanitor();
            assertThat(a.peers()).isEmpty();
            // a peer without an address of a CLA this node runs is known but never used
            a.peerDiscovered(new Peer(EndpointId.parse("dtn://node8/"), List.of(new ClaAddress("udp", "n8", 1)),
                    PeerOrigin.DISCOVERED, clock.now()));
            a.runJanitor();
            Await.idle(a);
            assertThat(cla.sent).hasSize(1);
            assertThat(a.removePeer(EndpointId.parse("dtn://node8/"))).isTrue();
        } finally {
            a.close();
        }
    }

    @Test
    void staticRoutingAlongAConfiguredPath() throws Exception {
        InProcessNetwork net = new InProcessNetwork();
        List<String> names = List.of("r1", "r2", "r3", "r4");
        // r1 sends everything for r4 via r2, r2 via r3; r3 delivers directly; nobody uses the r1-r3 link
        StaticRouter r1 = new StaticRouter(StaticRouter.parse(List.of("1 * dtn://r4/* dtn://r2/"), "r1"));
        StaticRouter r2 = new StaticRouter(StaticRouter.parse(List.of("1 * dtn://r4/* dtn://r3/"), "r2"));
        StaticRouter r3 = new StaticRouter(StaticRouter.parse(List.of("1 * dtn://r4/* dtn://r4/"), "r3"));
        StaticRouter r4 = new StaticRouter(List.of());
        List<StaticRouter> routers = List.of(r1, r2, r3, r4);
        BundleProtocolAgent[] agents = new BundleProtocolAgent[4];
        try {
            for (int i = 0; i < 4; i++) {
                agents[i] = BundleProtocolAgent.start(AgentConfig.builder("dtn://" + names.get(i) + "/").clock(clock)
                        .janitorInterval(Duration.ZERO).router(routers.get(i))
                        .convergenceLayer(net.link(names.get(i))).build());
            }
            Registration inbox = agents[3].register("dtn://r4/inbox", null);
            net.connect("r1", "r3");
            net.connect("r1", "r2");
            net.connect("r2", "r3");
            net.connect("r3", "r4");
            BundleId id = agents[0].send(SendRequest.to("dtn://r4/inbox").payload("routed").build());
            Await.until("delivered", () -> inbox.pending() == 1);
            assertThat(inbox.poll().orElseThrow().bundle().hopCount().orElseThrow().count()).isEqualTo(3);
            Await.idle(agents);
            // singleton destination: each hop dropped its copy after forwarding
            for (int i = 0; i < 3; i++) {
                assertThat(agents[i].metadata(id)).isEmpty();
            }
            // no route for other destinations: kept, contraindicated
            BundleId stuck = agents[0].send(SendRequest.to("dtn://elsewhere/x").payload("?").build());
            Await.idle(agents);
            assertThat(agents[0].metadata(stuck).orElseThrow().constraints()).contains(Constraint.CONTRAINDICATED);
        } finally {
            for (BundleProtocolAgent a : agents) {
                if (a != null) {
                    a.close();
                }
            }
        }
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> AgentConfig.builder("dtn:none")).hasMessageContaining("dtn:none");
        assertThatThrownBy(() -> AgentConfig.builder("dtn://g/~all")).hasMessageContaining("singleton");
        assertThatThrownBy(() -> AgentConfig.builder("dtn://n/").hopLimit(256)).hasMessageContaining("0..255");
        assertThat(AgentConfig.builder("dtn://n/app").build().nodeId()).isEqualTo(EndpointId.parse("dtn://n/"));
        assertThatThrownBy(() -> new BundleProtocolAgent(AgentConfig.builder("dtn://n/")
                .convergenceLayer(new CapturingCla()).convergenceLayer(new CapturingCla()).build()))
                .hasMessageContaining("two convergence layers named 'capture'");
        assertThatThrownBy(() -> SendRequest.to("dtn://x/y").anonymous().requestDeliveryReport().build())
                .hasMessageContaining("anonymous");
    }
}
