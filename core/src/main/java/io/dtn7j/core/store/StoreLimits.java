package io.dtn7j.core.store;

/**
 * Capacity of a bundle store. A put that would exceed either limit fails with {@link StoreFullException}.
 *
 * @param maxBundles maximum number of stored bundles (positive)
 * @param maxBytes   maximum total size of the stored encoded bundles, in bytes (positive)
 */
public record StoreLimits(long maxBundles, long maxBytes) {
    /** No practical limit. */
    public static final StoreLimits UNLIMITED = new StoreLimits(Long.MAX_VALUE, Long.MAX_VALUE);

    /** Validates the limits. */
    public StoreLimits {
        if (maxBundles <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("store limits must be positive, got maxBundles=" + maxBundles
                    + ", maxBytes=" + maxBytes);
        }
    }

    /**
     * Whether adding a bundle of {@code size} bytes to a store holding {@code count} bundles and {@code bytes}
     * fits.
     *
     * @param count the number of bundles stored now
     * @param bytes the bytes stored now
     * @param size the size in bytes of the bundle to add
     * @return true if the bundle fits within both limits
     */
    public boolean admits(long count, long bytes, long size) {
        return count < maxBundles && size <= maxBytes - bytes;
    }

    /**
     * A message naming the exceeded limit, for {@link StoreFullException}.
     *
     * @param count the number of bundles stored now
     * @param bytes the bytes stored now
     * @param size the size in bytes of the bundle to add
     * @return the message
     */
    public String refusal(long count, long bytes, long size) {
        if (count >= maxBundles) {
            return "store full: " + count + " bundles stored, limit " + maxBundles
                    + " (depleted storage; raise the bundle limit or wait for bundles to leave)";
        }
        return "store full: " + bytes + " bytes stored + " + size + " new > limit " + maxBytes
                + " bytes (depleted storage; raise the byte limit or wait for bundles to leave)";
    }
}
