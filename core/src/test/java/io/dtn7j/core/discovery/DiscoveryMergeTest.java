package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.EndpointId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link DiscoveryMerge}: two discovery services knowing the same node do not undo each other. */
class DiscoveryMergeTest {

    static final EndpointId N1 = EndpointId.parse("dtn://n1/");
    static final DiscoveredAddress IPND_MTCP = new DiscoveredAddress("mtcp", "10.0.0.1", 16162);
    static final DiscoveredAddress IPND_TCP = new DiscoveredAddress("tcp", "10.0.0.1", 4556);
    static final DiscoveredAddress GO_MTCP = new DiscoveredAddress("mtcp", "10.0.0.1", 35037);

    /** Records what reaches the downstream listener and keeps its view of the seen nodes. */
    static final class Recorder implements DiscoveryListener {
        final List<String> events = new ArrayList<>();
        final Set<EndpointId> current = new HashSet<>();

        @Override
        public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
            events.add("seen " + nodeId + " " + addresses.stream().map(a -> a.cla() + ":" + a.port()).toList());
            current.add(nodeId);
        }

        @Override
        public void peerExpired(EndpointId nodeId) {
            events.add("expired " + nodeId);
            current.remove(nodeId);
        }
    }

    @Test
    void aNodeExpiresOnlyWhenTheLastServiceLetsItGo() {
        Recorder down = new Recorder();
        DiscoveryMerge merge = new DiscoveryMerge(down);
        DiscoveryListener ipnd = merge.service("ipnd");
        DiscoveryListener go = merge.service("dtn7-go");
        ipnd.peerSeen(N1, List.of(IPND_MTCP, IPND_TCP));
        go.peerSeen(N1, List.of(GO_MTCP, IPND_MTCP));
        ipnd.peerExpired(N1);
        ipnd.peerExpired(N1); // twice: ignored
        go.peerSeen(N1, List.of(GO_MTCP));
        go.peerExpired(N1);
        assertThat(down.events).containsExactly(
                "seen dtn://n1/ [mtcp:16162, tcp:4556]",
                "seen dtn://n1/ [mtcp:16162, tcp:4556, mtcp:35037]", // union, first service's order first, no repeats
                "seen dtn://n1/ [mtcp:35037, mtcp:16162]",           // ipnd let go: dtn7-go still sees it
                "seen dtn://n1/ [mtcp:35037]",
                "expired dtn://n1/");
        assertThat(merge.seenNodes()).isEmpty();
    }

    @Test
    void anExpiryFromAServiceThatNeverSawTheNodeChangesNothing() {
        Recorder down = new Recorder();
        DiscoveryMerge merge = new DiscoveryMerge(down);
        DiscoveryListener ipnd = merge.service("ipnd");
        DiscoveryListener go = merge.service("dtn7-go");
        ipnd.peerSeen(N1, List.of(IPND_MTCP));
        go.peerExpired(N1);
        assertThat(down.events).containsExactly("seen dtn://n1/ [mtcp:16162]");
        assertThat(merge.seenNodes()).containsExactly(N1);
    }

    @Test
    void aServiceNameIsUsedOnce() {
        DiscoveryMerge merge = new DiscoveryMerge(new Recorder());
        merge.service("ipnd");
        assertThatThrownBy(() -> merge.service("ipnd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ipnd");
    }

    @Property(tries = 300)
    void downstreamSeesANodeExactlyWhileSomeServiceSeesIt(
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 17) Integer> events) {
        // event e: service e % 3, node (e / 3) % 3, seen when e / 9 == 0 else expired
        Recorder down = new Recorder();
        DiscoveryMerge merge = new DiscoveryMerge(down);
        List<DiscoveryListener> services = List.of(merge.service("a"), merge.service("b"), merge.service("c"));
        Map<EndpointId, Set<Integer>> model = new HashMap<>();
        for (int e : events) {
            int service = e % 3;
            EndpointId node = EndpointId.parse("dtn://n" + (e / 3) % 3 + "/");
            if (e / 9 == 0) {
                services.get(service).peerSeen(node, List.of(new DiscoveredAddress("mtcp", "h" + service, 1)));
                model.computeIfAbsent(node, k -> new HashSet<>()).add(service);
            } else {
                services.get(service).peerExpired(node);
                Set<Integer> s = model.get(node);
                if (s != null) {
                    s.remove(service);
                    if (s.isEmpty()) {
                        model.remove(node);
                    }
                }
            }
            assertThat(down.current).isEqualTo(model.keySet());
        }
        assertThat(Set.copyOf(merge.seenNodes())).isEqualTo(model.keySet());
    }
}
