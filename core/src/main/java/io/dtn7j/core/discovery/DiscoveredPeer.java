package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of what {@link IpndService} currently knows about a peer.
 *
 * @param nodeId         the peer's node ID
 * @param addresses      its CLAs, reachable at the beacon's source address
 * @param source         the UDP source of its latest beacon
 * @param lastBeacon     the latest beacon itself (sequence number, services, period)
 * @param lastSeen       when that beacon arrived (wall clock)
 * @param timeout        how long without a beacon until the peer expires
 * @param beaconsReceived beacons received from this peer since it was (re)discovered
 */
public record DiscoveredPeer(EndpointId nodeId, List<DiscoveredAddress> addresses, InetSocketAddress source,
                             Beacon lastBeacon, Instant lastSeen, Duration timeout, long beaconsReceived) {

    /** Copies the address list. */
    public DiscoveredPeer {
        addresses = List.copyOf(addresses);
    }
}
