package io.dtn7j.examples.extend;

import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.routing.RoutingDecision;
import io.dtn7j.core.store.BundleMetadata;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worked example of a router: direct delivery only. A bundle is handed only to the peer that hosts its
 * destination, and deleted once that peer has it; otherwise it waits in the store for that peer to appear.
 */
public final class DirectDeliveryRouter implements Router {

    private final AtomicLong forwardDecisions = new AtomicLong();

    /** Creates the router. */
    public DirectDeliveryRouter() {
    }

    @Override
    public String name() {
        return "direct-example";
    }

    @Override
    public RoutingDecision route(BundleMetadata bundle, List<Peer> peers) {
        for (Peer p : peers) {
            if (p.hosts(bundle.destination())) {
                forwardDecisions.incrementAndGet();
                return new RoutingDecision(List.of(p), true);
            }
        }
        return RoutingDecision.waitForContact();
    }

    /** {@return how many times this router chose a next hop (for tests and monitoring)} */
    public long forwardDecisions() {
        return forwardDecisions.get();
    }
}
