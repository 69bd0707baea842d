package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import java.util.List;

/**
 * Receives what {@link IpndService} learns. Calls come from the service's receiver and timer threads, one at a
 * time per service; implementations should return quickly. An exception thrown here is logged and ignored.
 */
public interface DiscoveryListener {

    /**
     * A beacon from {@code nodeId} arrived. Called for every accepted beacon: the first call for a node (or the
     * first after it expired) is a new contact, later calls refresh it; the address list may change between calls.
     *
     * @param nodeId    the peer's node ID from its beacon
     * @param addresses one entry per CLA the peer advertised, in its order (its preferred CLA first); may be empty
     */
    void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses);

    /**
     * No beacon from {@code nodeId} arrived within its timeout (twice its announced period, else the configured
     * peer timeout).
     *
     * @param nodeId the node ID of the expired peer
     */
    void peerExpired(EndpointId nodeId);
}
