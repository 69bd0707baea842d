package io.dtn7j.bundle;

/**
 * Common supertype of the errors a bundle can cause: {@link BundleDecodeException} (the bytes are not a
 * well-formed bundle) and {@link InvalidBundleException} (well-formed but breaks an RFC 9171 rule).
 * Unchecked; code that handles bundles from the network catches this type.
 */
public abstract sealed class BundleException extends RuntimeException
        permits BundleDecodeException, InvalidBundleException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param cause   the underlying error, or null
     */
    protected BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
