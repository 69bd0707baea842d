package io.dtn7j.core.discovery;

import java.util.Map;

/**
 * Counters of an {@link IpndService} since it started.
 *
 * @param beaconsSent        datagrams sent (one per destination and interface)
 * @param sendErrors         datagrams that could not be sent
 * @param beaconsAccepted    beacons from other nodes that were decoded and reported
 * @param ownBeaconsIgnored  beacons carrying this node's own ID
 * @param notAllowedDropped  datagrams from addresses outside the interface allow-list
 * @param droppedByReason    undecodable datagrams per {@link BeaconDecodeException.Reason} (only reasons seen)
 * @param peersDiscovered    new contacts reported
 * @param peersExpired       expiries reported
 * @param peersRefused       beacons of new node IDs ignored because the peer table was full
 */
public record IpndStatistics(long beaconsSent, long sendErrors, long beaconsAccepted, long ownBeaconsIgnored,
                             long notAllowedDropped, Map<BeaconDecodeException.Reason, Long> droppedByReason,
                             long peersDiscovered, long peersExpired, long peersRefused) {

    /** Copies the map. */
    public IpndStatistics {
        droppedByReason = Map.copyOf(droppedByReason);
    }

    /** {@return all dropped bad beacons, whatever the reason} */
    public long badBeaconsDropped() {
        return droppedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Dropped bad beacons of one reason.
     *
     * @param reason the reason
     * @return the number of beacons dropped for it
     */
    public long dropped(BeaconDecodeException.Reason reason) {
        return droppedByReason.getOrDefault(reason, 0L);
    }
}
