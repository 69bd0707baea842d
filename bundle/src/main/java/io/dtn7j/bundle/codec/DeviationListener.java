package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;

/** Told about each deviation the {@link ValidationPolicy#DEFAULT} policy waived (for counting and logging). */
@FunctionalInterface
public interface DeviationListener {
    /** Ignores every deviation. */
    DeviationListener IGNORE = (bundle, deviation, detail) -> { };

    /**
     * Called once per deviation found in an accepted bundle.
     *
     * @param bundle    the bundle
     * @param deviation which deviation
     * @param detail    a human-readable detail (e.g. which EID)
     */
    void onDeviation(Bundle bundle, Deviation deviation, String detail);
}
