package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.InvalidBundleException;

/**
 * The RFC 9171 §4 validity rules, apart from parsing, so they can also be applied to bundles built in code.
 */
public final class BundleValidator {
    private BundleValidator() {}

    /**
     * Checks {@code bundle} against {@code policy}; deviations waived by {@link ValidationPolicy#DEFAULT} go
     * to {@code listener}.
     *
     * @throws InvalidBundleException naming the first rule broken
     */
    public static void validate(Bundle bundle, ValidationPolicy policy, DeviationListener listener) {
        throw new UnsupportedOperationException("BundleValidator.validate is not implemented yet");
    }
}
