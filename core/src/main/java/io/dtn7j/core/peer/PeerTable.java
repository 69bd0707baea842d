package io.dtn7j.core.peer;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's thread-safe table of known peers and of the convergence layer links that are up to them.
 * A peer learned only from a link ({@link PeerOrigin#LINK}) leaves the table when its last link goes down;
 * discovered peers expire ({@link #expire}); static peers stay.
 */
public final class PeerTable {

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final Map<String, Set<ClaAddress>> links = new ConcurrentHashMap<>();

    /** Creates an empty table. */
    public PeerTable() {
    }

    /**
     * Adds or refreshes a peer; returns whether it was not known before.
     *
     * @param peer the peer
     * @return true if the peer's node was not known before
     */
    public boolean upsert(Peer peer) {
        boolean[] added = {false};
        peers.compute(peer.key(), (k, old) -> {
            if (old == null) {
                added[0] = true;
                return peer;
            }
            return old.mergedWith(peer);
        });
        return added[0];
    }

    /**
     * Removes a peer (and forgets its links); returns it if it was known.
     *
     * @param nodeId the peer's node ID
     * @return the removed peer, or empty if it was not known
     */
    public Optional<Peer> remove(EndpointId nodeId) {
        String key = Peer.keyOf(nodeId);
        links.remove(key);
        return Optional.ofNullable(peers.remove(key));
    }

    /**
     * The peer hosting {@code eid}, if known.
     *
     * @param eid an endpoint ID
     * @return the peer, or empty
     */
    public Optional<Peer> get(EndpointId eid) {
        return Optional.ofNullable(peers.get(Peer.keyOf(eid)));
    }

    /** {@return all known peers} */
    public List<Peer> all() {
        return List.copyOf(peers.values());
    }

    /** {@return number of known peers} */
    public int size() {
        return peers.size();
    }

    /**
     * Records a link up to {@code nodeId} at {@code address}; returns whether the peer was not known before.
     *
     * @param nodeId the node at the other end of the link
     * @param address the link's convergence layer address
     * @param now the current time
     * @return true if the peer was not known before
     */
    public boolean linkUp(EndpointId nodeId, ClaAddress address, Instant now) {
        links.computeIfAbsent(Peer.keyOf(nodeId), k -> ConcurrentHashMap.newKeySet()).add(address);
        return upsert(new Peer(nodeId.nodeId(), List.of(address), PeerOrigin.LINK, now));
    }

    /**
     * Records a link down; a peer known only from links is removed when its last link goes down.
     *
     *
     * @param nodeId the node at the other end of the link
     * @param address the link's convergence layer address
     * @return the removed peer, if one was removed
     */
    public Optional<Peer> linkDown(EndpointId nodeId, ClaAddress address) {
        String key = Peer.keyOf(nodeId);
        Set<ClaAddress> set = links.get(key);
        boolean last = true;
        if (set != null) {
            set.remove(address);
            last = set.isEmpty();
            if (last) {
                links.remove(key, set);
            }
        }
        Peer p = peers.get(key);
        if (p != null && last && p.origin() == PeerOrigin.LINK) {
            peers.remove(key, p);
            return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * Whether a link to the node is up.
     *
     * @param nodeId the node ID
     * @return true if at least one link to it is up
     */
    public boolean hasLink(EndpointId nodeId) {
        Set<ClaAddress> set = links.get(Peer.keyOf(nodeId));
        return set != null && !set.isEmpty();
    }

    /**
     * Removes discovered peers not seen recently: with a beacon period P after 2·P, otherwise after
     * {@code timeout} (dtn7-rs peer expiry). Static and link peers with a link up stay.
     *
     *
     * @param now the current time
     * @param timeout the expiry for peers without a beacon period
     * @return the removed peers
     */
    public List<Peer> expire(Instant now, Duration timeout) {
        List<Peer> removed = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.origin() != PeerOrigin.DISCOVERED || hasLink(p.nodeId())) {
                continue;
            }
            Duration limit = p.period() != null ? p.period().multipliedBy(2) : timeout;
            if (!p.lastSeen().plus(limit).isAfter(now) && peers.remove(p.key(), p)) {
                removed.add(p);
            }
        }
        return removed;
    }

    /** {@return snapshot of the peers with a link up} */
    public Collection<Peer> withLinks() {
        List<Peer> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (hasLink(p.nodeId())) {
                out.add(p);
            }
        }
        return out;
    }
}
