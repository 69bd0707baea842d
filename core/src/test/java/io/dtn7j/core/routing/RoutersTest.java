package io.dtn7j.core.routing;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The routers' decisions (dtn7-compat §11.4). */
class RoutersTest {

    static Peer peer(String uri) {
        EndpointId id = EndpointId.parse(uri);
        return new Peer(id, List.of(new ClaAddress("mtcp", id.nodeName(), 16162)), PeerOrigin.DISCOVERED, Instant.EPOCH);
    }

    static BundleMetadata bundle(String src, String dst) {
        BundleId id = BundleId.of(EndpointId.parse(src), new CreationTimestamp(1000, 0));
        return new BundleMetadata(id, EndpointId.parse(dst), EndpointId.parse(src), 0, 3_600_000, 3_601_000, 1000, -1,
                100, EnumSet.of(Constraint.FORWARD_PENDING), Set.of(), -1, null);
    }

    final Peer n2 = peer("dtn://node2/");
    final Peer n3 = peer("dtn://node3/");
    final Peer n4 = peer("dtn://node4/");

    @Test
    void epidemicGivesEveryPeerThatHasNotGotItAndRemembers() {
        Router r = new EpidemicRouter();
        BundleMetadata md = bundle("dtn://node1/app", "dtn://far/inbox").withForwardedTo(n3.key());
        RoutingDecision d = r.route(md, List.of(n2, n3, n4));
        assertThat(d.nextHops()).containsExactly(n2, n4);
        assertThat(d.deleteAfterwards()).isFalse();
        BundleMetadata after = md.withForwardedTo(n2.key()).withForwardedTo(n4.key());
        assertThat(r.route(after, List.of(n2, n3, n4)).isWait()).isTrue();
        // a new peer (or one that was never given it) gets it when it comes
        assertThat(r.route(after, List.of(n2, peer("dtn://node5/"))).nextHops()).extracting(Peer::key)
                .containsExactly("dtn:node5");
    }

    @Test
    void epidemicDeliversDirectlyToTheDestinationNode() {
        Router r = new EpidemicRouter();
        RoutingDecision d = r.route(bundle("dtn://node1/app", "dtn://node3/inbox"), List.of(n2, n3, n4));
        assertThat(d.nextHops()).containsExactly(n3);
        assertThat(d.deleteAfterwards()).isTrue();
        // a group destination is never "direct": it stays for other members
        RoutingDecision g = r.route(bundle("dtn://node1/app", "dtn://node3/~group"), List.of(n3));
        assertThat(g.deleteAfterwards()).isFalse();
    }

    @Test
    void floodingSendsToAllButTheNodeItCameFrom() {
        Router r = new FloodingRouter();
        BundleMetadata md = bundle("dtn://node1/app", "dtn://far/x");
        md = new BundleMetadata(md.id(), md.destination(), md.reportTo(), 0, md.lifetimeMs(), md.expiryDtnMs(), 0, -1,
                1, md.constraints(), Set.of(n2.key(), n3.key()), -1, n2.nodeId());
        assertThat(r.route(md, List.of(n2, n3, n4)).nextHops()).containsExactly(n3, n4);
        assertThat(r.route(md, List.of(n2, n3, n4)).deleteAfterwards()).isFalse();
    }

    @Test
    void sinkNeverForwards() {
        assertThat(new SinkRouter().route(bundle("dtn://a/", "dtn://b/"), List.of(n2, n3)).isWait()).isTrue();
    }

    @Test
    void sprayAndWaitHalvesCopiesAndThenWaitsForTheDestination() {
        SprayAndWaitRouter r = new SprayAndWaitRouter(8);
        Bundle b = Bundle.builder().source("dtn://node1/app").destination("dtn://far/x").payload("hi").build();
        BundleMetadata md = r.accepted(bundle("dtn://node1/app", "dtn://far/x"), b, true);
        assertThat(md.copies()).isEqualTo(8);
        // 8 copies: node2 gets 4 (keep 4), node3 gets 2 (keep 2), node4 gets 1 (keep 1)
        RoutingDecision d = r.route(md, List.of(n2, n3, n4, peer("dtn://node5/")));
        assertThat(d.nextHops()).containsExactly(n2, n3, n4);
        int[] given = new int[3];
        for (int i = 0; i < 3; i++) {
            Peer p = d.nextHops().get(i);
            Bundle out = r.prepare(b, md, p);
            given[i] = (int) SprayBlocks.copies(out);
            md = r.forwarded(md.withForwardedTo(p.key()), p);
        }
        assertThat(given).containsExactly(4, 2, 1);
        assertThat(md.copies()).isEqualTo(1);
        assertThat(r.route(md, List.of(peer("dtn://node5/"))).isWait()).isTrue();
        // with one copy left only the destination node gets it, and then it is deleted
        RoutingDecision direct = r.route(md, List.of(peer("dtn://node5/"), peer("dtn://far/")));
        assertThat(direct.nextHops()).extracting(Peer::key).containsExactly("dtn:far");
        assertThat(direct.deleteAfterwards()).isTrue();
    }

    @Test
    void sprayAndWaitReceiverTakesCopiesFromTheBlock() {
        SprayAndWaitRouter r = new SprayAndWaitRouter(8);
        Bundle b = Bundle.builder().source("dtn://node1/app").destination("dtn://far/x").payload("hi").build();
        Bundle withFour = SprayBlocks.withCopies(b, 4);
        assertThat(r.accepted(bundle("dtn://node1/app", "dtn://far/x"), withFour, false).copies()).isEqualTo(4);
        // no block: one copy (dtn7-rs behaviour for bundles from elsewhere)
        assertThat(r.accepted(bundle("dtn://node1/app", "dtn://far/x"), b, false).copies()).isEqualTo(1);
        assertThat(r.blockTypes()).containsExactly(SprayAndWaitRouter.COPIES_BLOCK_TYPE);
    }

    @Test
    void staticRoutesInDtn7rsFileFormat(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("routes.csv");
        Files.writeString(f, """
                # idx src dst via
                1 * ipn:[2-3].* ipn:2.0

                2 dtn://node1/* dtn://far/* dtn://node3/
                3 * * dtn://node4/
                """);
        StaticRouter r = new StaticRouter(f);
        assertThat(r.routes()).hasSize(3);
        Peer ipn2 = peer("ipn:2.0");
        // route 1 matches ipn:3.x, via ipn:2.0
        RoutingDecision d = r.route(bundle("ipn:1.1", "ipn:3.7"), List.of(n3, ipn2));
        assertThat(d.nextHops()).containsExactly(ipn2);
        assertThat(d.deleteAfterwards()).isTrue();
        // route 2 matches, via node3
        assertThat(r.route(bundle("dtn://node1/app", "dtn://far/inbox"), List.of(n4, n3)).nextHops()).containsExactly(n3);
        // route 2's via is not reachable: route 3 (catch-all via node4)
        assertThat(r.route(bundle("dtn://node1/app", "dtn://far/inbox"), List.of(n4)).nextHops()).containsExactly(n4);
        // nothing reachable: wait
        assertThat(r.route(bundle("dtn://node1/app", "dtn://far/inbox"), List.of(n2)).isWait()).isTrue();
        // reload picks up a changed file
        Files.writeString(f, "1 * * dtn://node2/\n");
        r.reload();
        assertThat(r.route(bundle("dtn://node1/app", "dtn://far/inbox"), List.of(n2)).nextHops()).containsExactly(n2);
    }

    @Test
    void staticRoutingFileErrorsNameTheLine() {
        assertThatThrownBy(() -> StaticRouter.parse(List.of("# ok", "1 * *"), "r.csv"))
                .isInstanceOf(StaticRoutingFileException.class).hasMessageContaining("r.csv line 2");
        assertThatThrownBy(() -> StaticRouter.parse(List.of("1 * * notaneid"), "r.csv"))
                .isInstanceOf(StaticRoutingFileException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> StaticRouter.parse(List.of("1 [a * dtn://x/"), "r.csv"))
                .isInstanceOf(StaticRoutingFileException.class).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> new StaticRouter(Path.of("/nonexistent/routes.csv")))
                .isInstanceOf(StaticRoutingFileException.class).hasMessageContaining("cannot read");
    }

    @Test
    void globsMatchWholeStrings() {
        assertThat(GlobPattern.compile("ipn:[2-3].*").matches("ipn:2.0")).isTrue();
        assertThat(GlobPattern.compile("ipn:[2-3].*").matches("ipn:4.0")).isFalse();
        assertThat(GlobPattern.compile("ipn:[!2-3].*").matches("ipn:4.0")).isTrue();
        assertThat(GlobPattern.compile("dtn://node?/*").matches("dtn://node7/a/b")).isTrue();
        assertThat(GlobPattern.compile("dtn://node?/*").matches("dtn://node10/a")).isFalse();
        assertThat(GlobPattern.compile("a.c").matches("abc")).isFalse();
        assertThat(GlobPattern.compile("\\*").matches("*")).isTrue();
    }

    @Test
    void routersByName() {
        assertThat(Routers.create("epidemic")).isInstanceOf(EpidemicRouter.class);
        assertThat(Routers.create("Flooding")).isInstanceOf(FloodingRouter.class);
        assertThat(Routers.create("sink")).isInstanceOf(SinkRouter.class);
        assertThat(((SprayAndWaitRouter) Routers.create("sprayandwait")).initialCopies()).isEqualTo(7);
        assertThat(((SprayAndWaitRouter) Routers.create("sprayandwait", Map.of("sprayandwait.num_copies", "3")))
                .initialCopies()).isEqualTo(3);
        assertThatThrownBy(() -> Routers.create("sprayandwait", Map.of("num_copies", "x")))
                .hasMessageContaining("num_copies");
        assertThatThrownBy(() -> Routers.create("static")).hasMessageContaining("static.routes");
        assertThatThrownBy(() -> Routers.create("magic")).hasMessageContaining("unknown router 'magic'");
    }
}
