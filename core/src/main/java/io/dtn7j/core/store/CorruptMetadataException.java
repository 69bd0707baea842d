package io.dtn7j.core.store;

/**
 * {@link BundleMetadata#fromBytes(byte[])} was given bytes that are not a metadata record written by
 * {@link BundleMetadata#toBytes()} (truncated, wrong version, invalid field).
 */
public class CorruptMetadataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception saying what was wrong with the bytes.
     *
     * @param message what was wrong with the bytes
     */
    public CorruptMetadataException(String message) {
        super(message);
    }

    /**
     * An exception saying what was wrong, with the cause.
     *
     * @param message what was wrong with the bytes
     * @param cause the underlying error
     */
    public CorruptMetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
