package io.dtn7j.core.routing;

import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.BundleMetadata;

import java.util.List;

/** Never forwards (dtn7-rs {@code sink}): bundles are only delivered locally or expire. */
public final class SinkRouter implements Router {

    /** Creates the router. */
    public SinkRouter() {
    }

    @Override
    public String name() {
        return "sink";
    }

    @Override
    public RoutingDecision route(BundleMetadata bundle, List<Peer> peers) {
        return RoutingDecision.waitForContact();
    }
}
