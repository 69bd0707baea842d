package io.dtn7j.core.peer;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeerTableTest {
    final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    final EndpointId n2 = EndpointId.parse("dtn://node2/");

    @Test
    void linkPeersLeaveWithTheirLastLink() {
        PeerTable t = new PeerTable();
        ClaAddress a = new ClaAddress("tcp", "10.0.0.2", 4556);
        ClaAddress b = new ClaAddress("mtcp", "10.0.0.2", 16162);
        assertThat(t.linkUp(n2, a, t0)).isTrue();
        assertThat(t.linkUp(EndpointId.parse("dtn://node2"), b, t0)).isFalse(); // same node, other form
        assertThat(t.get(n2).orElseThrow().addresses()).containsExactlyInAnyOrder(a, b);
        assertThat(t.linkDown(n2, a)).isEmpty();
        assertThat(t.hasLink(n2)).isTrue();
        assertThat(t.linkDown(n2, b)).isPresent();
        assertThat(t.all()).isEmpty();
    }

    @Test
    void discoveredPeersExpireStaticOnesStay() {
        PeerTable t = new PeerTable();
        t.upsert(new Peer(n2, List.of(new ClaAddress("mtcp", "h", 1)), PeerOrigin.DISCOVERED, t0));
        t.upsert(new Peer(EndpointId.parse("ipn:7.0"), List.of(), PeerOrigin.DISCOVERED, t0, Duration.ofSeconds(2)));
        t.upsert(Peer.staticPeer(EndpointId.parse("dtn://s/"), new ClaAddress("tcp", "s", 1)));
        assertThat(t.expire(t0.plusSeconds(3), Duration.ofSeconds(20))).isEmpty();
        assertThat(t.expire(t0.plusSeconds(4), Duration.ofSeconds(20))).extracting(Peer::key).containsExactly("ipn:7");
        assertThat(t.expire(t0.plusSeconds(20), Duration.ofSeconds(20))).extracting(Peer::key).containsExactly("dtn:node2");
        assertThat(t.all()).extracting(Peer::key).containsExactly("dtn:s");
    }

    @Test
    void mergeKeepsStrongestOriginAndNewestSighting() {
        Peer s = new Peer(n2, List.of(new ClaAddress("tcp", "a", 1)), PeerOrigin.STATIC, t0);
        Peer d = new Peer(n2, List.of(new ClaAddress("mtcp", "a", 2)), PeerOrigin.DISCOVERED, t0.plusSeconds(5));
        Peer m = s.mergedWith(d);
        assertThat(m.origin()).isEqualTo(PeerOrigin.STATIC);
        assertThat(m.lastSeen()).isEqualTo(t0.plusSeconds(5));
        assertThat(m.addresses()).hasSize(2);
        // a link sighting (e.g. an inbound session from an ephemeral port) goes after the known addresses
        Peer link = new Peer(n2, List.of(new ClaAddress("tcp", "a", 40123)), PeerOrigin.LINK, t0.plusSeconds(9));
        assertThat(m.mergedWith(link).addresses()).first().isEqualTo(new ClaAddress("tcp", "a", 1));
        assertThat(m.mergedWith(link).addresses()).last().isEqualTo(new ClaAddress("tcp", "a", 40123));
        // and a discovery after a link puts the advertised address first
        assertThat(link.mergedWith(d).addresses()).first().isEqualTo(new ClaAddress("mtcp", "a", 2));
        assertThat(s.hosts(EndpointId.parse("dtn://node2/inbox"))).isTrue();
        assertThat(s.hosts(EndpointId.parse("dtn://node22/inbox"))).isFalse();
    }
}
