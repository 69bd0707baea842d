package io.dtn7j.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A node this node knows how to reach, as returned by {@link DtnNode#discover()}.
 *
 * @param nodeId     the peer's node ID, e.g. {@code dtn://node2/}
 * @param addresses  where it is reached, as convergence-layer URLs such as {@code mtcp://192.168.1.7:16162}
 * @param discovered true when found by neighbour discovery (IPND), false for a configured (static) peer
 * @param lastSeen   when it was last heard from (for static peers: when it was added)
 */
public record KnownPeer(String nodeId, List<String> addresses, boolean discovered, Instant lastSeen) {

    /** Checks for nulls and copies the address list. */
    public KnownPeer {
        Objects.requireNonNull(nodeId, "nodeId");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
