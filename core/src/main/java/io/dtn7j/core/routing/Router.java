package io.dtn7j.core.routing;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.BundleMetadata;

import java.util.List;
import java.util.Set;

/**
 * Decides which peers get which bundle. The agent asks {@link #route} whenever a bundle may be forwarded: when it
 * arrives or is created, when a peer or link comes up, and on each janitor run. Routers learn of peers and links
 * from the agent only ({@link #peerUp}, {@link #peerDown}), never from convergence layers.
 *
 * <p>The agent keeps in each bundle's {@link BundleMetadata#forwardedTo()} the nodes known to hold it (the node
 * it came from and every peer it was forwarded to successfully), so a router needs no memory of its own for
 * "who has what". Implementations must be thread-safe.
 */
public interface Router {

    /**
     * {@return the router's name as selected in configuration ({@code epidemic}, {@code flooding}, ...)}
     */
    String name();

    /**
     * Chooses next hops for a bundle.
     *
     *
     * @param bundle the bundle's current processing state
     * @param peers  peers the agent can reach now (each has an address of a CLA the agent runs)
     * @return where to send the bundle now, and whether it may then leave the store
     */
    RoutingDecision route(BundleMetadata bundle, List<Peer> peers);

    /**
     * Called once when a bundle enters the agent (received or created) before it is stored; may initialise
     * router state kept in the metadata (e.g. spray-and-wait copies).
     *
     *
     * @param createdHere whether this node created the bundle (RFC 9171 §5.2)
     * @param metadata the bundle's new processing state
     * @param bundle the bundle
     * @return the state to store
     */
    default BundleMetadata accepted(BundleMetadata metadata, Bundle bundle, boolean createdHere) {
        return metadata;
    }

    /**
     * Last chance to adapt the copy of the bundle about to go to {@code nextHop} (already carrying this node's
     * previous node block, updated hop count and age). Returning {@code null} skips that next hop.
     *
     * @param outgoing the copy about to be sent
     * @param metadata the bundle's processing state
     * @param nextHop the peer it goes to
     * @return the bundle to send, or null to skip {@code nextHop}
     */
    default Bundle prepare(Bundle outgoing, BundleMetadata metadata, Peer nextHop) {
        return outgoing;
    }

    /**
     *  The bundle was forwarded to {@code peer}; returns the state to store (the agent already added the peer to
     *  {@link BundleMetadata#forwardedTo()}).
     *
     * @param metadata the bundle's processing state
     * @param peer the peer the bundle went to
     * @return the state to store
     */
    default BundleMetadata forwarded(BundleMetadata metadata, Peer peer) {
        return metadata;
    }

    /**
     * A peer became reachable (discovered, configured, or a link came up).
     *
     * @param peer the peer
     */
    default void peerUp(Peer peer) {
    }

    /**
     * A peer is no longer reachable.
     *
     * @param peer the peer
     */
    default void peerDown(Peer peer) {
    }

    /**
     * {@return extension block types this router reads and writes (so the agent does not treat them as
     * unsupported)}
     */
    default Set<Long> blockTypes() {
        return Set.of();
    }
}
