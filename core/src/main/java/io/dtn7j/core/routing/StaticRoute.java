package io.dtn7j.core.routing;

import io.dtn7j.bundle.EndpointId;

/**
 * One line of a static routing file: {@code <index> <source glob> <destination glob> <via EID>}.
 *
 * @param index       the route's index (informational; routes are tried in file order)
 * @param source      glob over the bundle's source EID
 * @param destination glob over the bundle's destination EID
 * @param via         node ID of the next hop
 */
public record StaticRoute(String index, GlobPattern source, GlobPattern destination, EndpointId via) {

    /**
     * Whether the route applies to a bundle from {@code src} to {@code dst}.
     *
     * @param src the bundle's source
     * @param dst the bundle's destination
     * @return true if both match this route's patterns
     */
    public boolean matches(EndpointId src, EndpointId dst) {
        return source.matches(src.uri()) && destination.matches(dst.uri());
    }
}
