package io.dtn7j.daemon.api;

import java.util.List;
import java.util.Map;

/**
 * A known peer, in the terms of dtn7-rs's {@code /status/peers}.
 *
 * @param nodeId the peer's node ID text ({@code dtn://node2/})
 * @param host address or host name
 * @param isStatic true for configured peers, false for discovered ones
 * @param periodMs beacon period in ms, or null when unknown
 * @param clas convergence layers the peer offers (name, port or null)
 * @param services IPND services (tag → value)
 * @param lastContactUnixSeconds last time it was seen
 * @param fails failed transmissions
 */
public record PeerSummary(String nodeId, String host, boolean isStatic, Long periodMs, List<Cla> clas,
                          Map<String, String> services, long lastContactUnixSeconds, int fails) {
    /**
     * A convergence layer offered by a peer.
     *
     * @param name the convergence layer's name, e.g. {@code mtcp}
     * @param port its port, or null when the peer did not say
     */
    public record Cla(String name, Integer port) {
    }
}
