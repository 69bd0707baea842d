package io.dtn7j.core.routing;

import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.BundleMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * Flooding (dtn7-rs {@code flooding}): every reachable peer gets the bundle on every forwarding attempt, except
 * the node it came from; the bundle never leaves the store because of forwarding (only by expiry or delivery).
 * Receivers drop the copies they already have as duplicates.
 */
public final class FloodingRouter implements Router {

    /** Creates the router. */
    public FloodingRouter() {
    }

    @Override
    public String name() {
        return "flooding";
    }

    @Override
    public RoutingDecision route(BundleMetadata bundle, List<Peer> peers) {
        List<Peer> hops = new ArrayList<>(peers.size());
        for (Peer p : peers) {
            if (bundle.previousNode() == null || !p.hosts(bundle.previousNode())) {
                hops.add(p);
            }
        }
        return hops.isEmpty() ? RoutingDecision.waitForContact() : new RoutingDecision(hops, false);
    }
}
