package io.dtn7j.core.cla;

import io.dtn7j.bundle.EndpointId;
import java.util.Objects;

/**
 * A neighbour as a convergence layer sees it.
 *
 * @param address where it was reached or where it came from
 * @param nodeId  its node ID, or {@code null} when this CLA does not learn it (e.g. MTCP)
 */
public record ClaPeer(ClaAddress address, EndpointId nodeId) {
    /** Requires an address. */
    public ClaPeer {
        Objects.requireNonNull(address, "address");
    }
}
