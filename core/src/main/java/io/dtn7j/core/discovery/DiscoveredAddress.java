package io.dtn7j.core.discovery;

import java.util.Objects;

/**
 * Where a discovered peer can be reached over one convergence layer: the CLA name from its beacon, the IP address
 * the beacon came from, and the advertised port. When a beacon names a CLA without a port (dtn7-rs allows
 * {@code null}), the port is the CLA's well-known default ({@link #defaultPort(String)}), or 0 if it has none,
 * which means "use your own CLA's port" as dtn7-rs does.
 *
 * @param cla  CLA name ({@code mtcp}, {@code tcp}, {@code udp}, {@code http}, ...)
 * @param host the peer's IP address as text (IPv6 without brackets)
 * @param port 0..65535
 */
public record DiscoveredAddress(String cla, String host, int port) {

    /** Validates the fields. */
    public DiscoveredAddress {
        Objects.requireNonNull(cla, "cla");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /**
     * The default port dtn7-rs uses for a CLA: mtcp 16162, tcp 4556, udp 4556, http 3000; otherwise 0.
     *
     * @param cla the convergence layer's name
     * @return the default port, or 0 for an unknown CLA
     */
    public static int defaultPort(String cla) {
        return switch (cla) {
            case "mtcp" -> 16162;
            case "tcp", "udp" -> 4556;
            case "http" -> 3000;
            default -> 0;
        };
    }

    /** {@return the same address as the convergence-layer SPI names it} */
    public io.dtn7j.core.cla.ClaAddress toClaAddress() {
        return new io.dtn7j.core.cla.ClaAddress(cla, host, port);
    }

    /** {@code cla://host:port}, IPv6 hosts in brackets. */
    @Override
    public String toString() {
        return cla + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
