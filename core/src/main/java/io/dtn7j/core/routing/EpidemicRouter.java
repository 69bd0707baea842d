package io.dtn7j.core.routing;

import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.BundleMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * Epidemic routing (the default, as in dtn7-rs and dtn7zero): a bundle goes to every reachable peer not yet
 * known
 * to hold it (the node it came from and the peers it was given are remembered per bundle), so when a peer comes
 * back it is offered exactly what it has not been given. If the destination's node is a reachable peer, the
 * bundle goes to it alone, and a singleton-destined bundle leaves the store afterwards (direct delivery).
 */
public final class EpidemicRouter implements Router {

    /** Creates the router. */
    public EpidemicRouter() {
    }

    @Override
    public String name() {
        return "epidemic";
    }

    @Override
    public RoutingDecision route(BundleMetadata bundle, List<Peer> peers) {
        for (Peer p : peers) {
            if (p.hosts(bundle.destination())) {
                if (bundle.forwardedTo().contains(p.key())) {
                    return RoutingDecision.waitForContact();
                }
                return new RoutingDecision(List.of(p), bundle.destination().isSingleton());
            }
        }
        List<Peer> hops = new ArrayList<>();
        for (Peer p : peers) {
            if (!bundle.forwardedTo().contains(p.key())) {
                hops.add(p);
            }
        }
        return hops.isEmpty() ? RoutingDecision.waitForContact() : new RoutingDecision(hops, false);
    }
}
