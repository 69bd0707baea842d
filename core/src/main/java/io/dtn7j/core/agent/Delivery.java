package io.dtn7j.core.agent;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;

import java.util.Objects;

/**
 * A bundle delivered to a registration (RFC 9171 §5.7). Fragments are reassembled before delivery, so
 * {@link #bundle()} is never a fragment. The payload may be file-backed for large bundles.
 *
 * @param id       the bundle's ID
 * @param bundle   the bundle (primary block, extension blocks, payload)
 * @param endpoint the registered endpoint it was delivered to
 */
public record Delivery(BundleId id, Bundle bundle, EndpointId endpoint) {
    /** Requires all fields. */
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** {@return the payload (application data unit)} */
    public ByteSource payload() {
        return bundle.payload();
    }

    /** {@return the source EID} */
    public EndpointId source() {
        return bundle.source();
    }

    /** {@return the destination EID} */
    public EndpointId destination() {
        return bundle.destination();
    }

    /** {@return whether the payload is an administrative record (e.g. a status report)} */
    public boolean isAdministrativeRecord() {
        return bundle.isAdministrativeRecord();
    }
}
