package io.dtn7j.core.peer;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node this node can (try to) forward bundles to.
 *
 * @param nodeId    the peer's node ID ({@code dtn://node/} or {@code ipn:N.0})
 * @param addresses where to reach it, preferred first; the agent uses the first whose CLA it runs
 * @param origin    how it was learned
 * @param lastSeen  when it was last seen (beacon, link up, configuration)
 * @param period    announced beacon period of a discovered peer, or {@code null}; a discovered peer with a
 *                  period expires after two periods without a beacon
 */
public record Peer(EndpointId nodeId, List<ClaAddress> addresses, PeerOrigin origin, Instant lastSeen, Duration period) {

    /** Validates and copies the address list. */
    public Peer {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(lastSeen, "lastSeen");
        addresses = List.copyOf(addresses);
        if (nodeId.isNone()) {
            throw new IllegalArgumentException("a peer's node ID must not be dtn:none");
        }
    }

    /**
     * A peer without a beacon period.
     *
     * @param nodeId the peer's node ID
     * @param addresses the convergence layer addresses it is reachable at, preferred first
     * @param origin how it became known
     * @param lastSeen when it was last seen
     */
    public Peer(EndpointId nodeId, List<ClaAddress> addresses, PeerOrigin origin, Instant lastSeen) {
        this(nodeId, addresses, origin, lastSeen, null);
    }

    /**
     * A static peer reachable at {@code address}.
     *
     * @param nodeId the peer's node ID
     * @param address the convergence layer address it is reachable at
     * @return the peer
     */
    public static Peer staticPeer(EndpointId nodeId, ClaAddress address) {
        return new Peer(nodeId.nodeId(), List.of(address), PeerOrigin.STATIC, Instant.EPOCH, null);
    }

    /** {@return the key under which the agent tracks the peer: scheme plus node name, such as {@code dtn:node2}} */
    public String key() {
        return keyOf(nodeId);
    }

    /**
     * The tracking key of the node an endpoint belongs to.
     *
     * @param eid an endpoint ID
     * @return the key of its node
     */
    public static String keyOf(EndpointId eid) {
        return (eid.schemeCode() == EndpointId.SCHEME_DTN ? "dtn:" : "ipn:") + eid.nodeName();
    }

    /**
     * Whether {@code eid} is an endpoint on this peer's node.
     *
     * @param eid an endpoint ID
     * @return true if the endpoint belongs to this peer's node
     */
    public boolean hosts(EndpointId eid) {
        return !eid.isNone() && key().equals(keyOf(eid));
    }

    /**
     * A copy with another last-seen time.
     *
     * @param when the new last-seen time
     * @return the copy
     */
    public Peer seenAt(Instant when) {
        return new Peer(nodeId, addresses, origin, when, period);
    }

    /**
     * Merges what {@code other} (a newer sighting of the same node) says: the stronger origin (STATIC over
     * DISCOVERED
     * over LINK); the later last-seen time; the addresses of the sighting first unless it is weaker than what is
     * known
     * (an address learned from a link, e.g. the ephemeral port of an inbound TCP session, never displaces a
     * configured
     * or advertised listening address).
     *
     * @param other a newer sighting of the same node
     * @return the merged peer
     */
    public Peer mergedWith(Peer other) {
        boolean otherFirst = other.origin.ordinal() <= origin.ordinal();
        List<ClaAddress> merged = new ArrayList<>(otherFirst ? other.addresses : addresses);
        for (ClaAddress a : otherFirst ? addresses : other.addresses) {
            if (!merged.contains(a)) {
                merged.add(a);
            }
        }
        PeerOrigin o = origin.ordinal() <= other.origin.ordinal() ? origin : other.origin;
        Instant seen = lastSeen.isAfter(other.lastSeen) ? lastSeen : other.lastSeen;
        return new Peer(nodeId, merged, o, seen, other.period != null ? other.period : period);
    }
}
