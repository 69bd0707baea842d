package io.dtn7j.core.discovery;

import java.util.Objects;

/**
 * One convergence layer named in a beacon's service block: its name ({@code mtcp}, {@code tcp}, {@code udp},
 * {@code http}, ...) and the port it listens on. dtn7-rs allows the port to be absent (CBOR {@code null}); then
 * {@link #port()} is {@code null} and the receiver uses its own CLA's port.
 *
 * @param name CLA name as dtn7-rs spells it, never empty
 * @param port 0..65535, or {@code null} when the beacon carries no port
 */
public record ClaAdvertisement(String name, Integer port) {

    /** Validates the name and the port range. */
    public ClaAdvertisement {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a CLA name must not be empty");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("CLA port " + port + " is outside 0..65535");
        }
    }

    /**
     * A CLA with a known port.
     *
     * @param name the convergence layer's name, e.g. {@code mtcp}
     * @param port its port
     * @return the advertisement
     */
    public static ClaAdvertisement of(String name, int port) {
        return new ClaAdvertisement(name, port);
    }
}
