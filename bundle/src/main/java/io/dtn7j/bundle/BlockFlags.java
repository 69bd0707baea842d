package io.dtn7j.bundle;

/**
 * Block processing control flags (RFC 9171 §4.2.4) over the raw bits. Unknown and reserved bits are kept
 * as received and never rejected.
 *
 * @param bits the raw flag word
 */
public record BlockFlags(long bits) {
    /** Block must be replicated in every fragment. */
    public static final long REPLICATE_IN_EVERY_FRAGMENT = 0x01;
    /** Transmit a status report if the block can't be processed. */
    public static final long REPORT_IF_UNPROCESSABLE = 0x02;
    /** Delete the bundle if the block can't be processed. */
    public static final long DELETE_BUNDLE_IF_UNPROCESSABLE = 0x04;
    /** Discard the block if it can't be processed. */
    public static final long DISCARD_IF_UNPROCESSABLE = 0x10;
    /** Every flag RFC 9171 assigns. */
    public static final long ALL_ASSIGNED = REPLICATE_IN_EVERY_FRAGMENT | REPORT_IF_UNPROCESSABLE
            | DELETE_BUNDLE_IF_UNPROCESSABLE | DISCARD_IF_UNPROCESSABLE;

    /** No flags set. */
    public static final BlockFlags NONE = new BlockFlags(0);

    /** {@return flags from raw bits} */
    public static BlockFlags of(long bits) {
        return bits == 0 ? NONE : new BlockFlags(bits);
    }

    /**
     * Whether every bit of {@code mask} is set.
     *
     * @param mask the flag bits
     * @return true if all bits of {@code mask} are set
     */
    public boolean has(long mask) {
        return (bits & mask) == mask;
    }

    /**
     * These flags with {@code mask} set.
     *
     * @param mask the flag bits
     * @return flags with the bits of {@code mask} added
     */
    public BlockFlags with(long mask) {
        return of(bits | mask);
    }

    /**
     * These flags with {@code mask} cleared.
     *
     * @param mask the flag bits
     * @return flags with the bits of {@code mask} removed
     */
    public BlockFlags without(long mask) {
        return of(bits & ~mask);
    }

    /** {@return whether the {@link #REPLICATE_IN_EVERY_FRAGMENT} flag is set} */
    public boolean replicateInEveryFragment() {
        return has(REPLICATE_IN_EVERY_FRAGMENT);
    }

    /** {@return whether the {@link #REPORT_IF_UNPROCESSABLE} flag is set} */
    public boolean reportIfUnprocessable() {
        return has(REPORT_IF_UNPROCESSABLE);
    }

    /** {@return whether the {@link #DELETE_BUNDLE_IF_UNPROCESSABLE} flag is set} */
    public boolean deleteBundleIfUnprocessable() {
        return has(DELETE_BUNDLE_IF_UNPROCESSABLE);
    }

    /** {@return whether the {@link #DISCARD_IF_UNPROCESSABLE} flag is set} */
    public boolean discardIfUnprocessable() {
        return has(DISCARD_IF_UNPROCESSABLE);
    }

    @Override
    public String toString() {
        return "BlockFlags[0x" + Long.toHexString(bits) + "]";
    }
}
