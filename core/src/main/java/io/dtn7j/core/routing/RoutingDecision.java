package io.dtn7j.core.routing;

import io.dtn7j.core.peer.Peer;

import java.util.List;

/**
 * What a router decided for one bundle at one moment.
 *
 * @param nextHops          peers to forward the bundle to now (in this order); empty = wait (forwarding
 *                          contraindicated for now, RFC 9171 §5.4.1)
 * @param deleteAfterwards  whether the bundle may leave the store once it was forwarded to at least one of them
 */
public record RoutingDecision(List<Peer> nextHops, boolean deleteAfterwards) {
    private static final RoutingDecision WAIT = new RoutingDecision(List.of(), false);

    /** Copies the list. */
    public RoutingDecision {
        nextHops = List.copyOf(nextHops);
    }

    /** {@return a decision to forward to nobody now: the bundle stays stored and is tried again later} */
    public static RoutingDecision waitForContact() {
        return WAIT;
    }

    /** {@return whether the decision names no next hop} */
    public boolean isWait() {
        return nextHops.isEmpty();
    }
}
