package io.dtn7j.core.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import java.util.Objects;

/**
 * A bundle handed to {@link ConvergenceLayer#send}.
 *
 * @param id      the bundle's ID (for logs and for protocols that announce it)
 * @param encoded the complete encoded bundle; may be file-backed
 */
public record OutgoingBundle(BundleId id, ByteSource encoded) {
    /** Requires both fields. */
    public OutgoingBundle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(encoded, "encoded");
    }
}
