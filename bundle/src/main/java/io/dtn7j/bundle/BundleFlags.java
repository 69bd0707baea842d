package io.dtn7j.bundle;

/**
 * Bundle processing control flags (RFC 9171 §4.2.3) over the raw bits. Unknown and reserved bits are kept
 * as received and never rejected.
 *
 * @param bits the raw flag word
 */
public record BundleFlags(long bits) {
    /** Bundle is a fragment. */
    public static final long IS_FRAGMENT = 0x000001;
    /** Payload is an administrative record. */
    public static final long ADMINISTRATIVE_RECORD = 0x000002;
    /** Bundle must not be fragmented. */
    public static final long MUST_NOT_FRAGMENT = 0x000004;
    /** Acknowledgement by the user application is requested. */
    public static final long APP_ACK_REQUESTED = 0x000020;
    /** Status time is requested in all status reports. */
    public static final long STATUS_TIME_REQUESTED = 0x000040;
    /** Request reporting of bundle reception. */
    public static final long REPORT_RECEPTION = 0x004000;
    /** Request reporting of bundle forwarding. */
    public static final long REPORT_FORWARDING = 0x010000;
    /** Request reporting of bundle delivery. */
    public static final long REPORT_DELIVERY = 0x020000;
    /** Request reporting of bundle deletion. */
    public static final long REPORT_DELETION = 0x040000;
    /** All four status report request flags. */
    public static final long ALL_REPORT_REQUESTS = REPORT_RECEPTION | REPORT_FORWARDING | REPORT_DELIVERY | REPORT_DELETION;
    /** Every flag RFC 9171 assigns. */
    public static final long ALL_ASSIGNED = IS_FRAGMENT | ADMINISTRATIVE_RECORD | MUST_NOT_FRAGMENT | APP_ACK_REQUESTED
            | STATUS_TIME_REQUESTED | ALL_REPORT_REQUESTS;

    /** No flags set. */
    public static final BundleFlags NONE = new BundleFlags(0);

    /** {@return flags from raw bits} */
    public static BundleFlags of(long bits) {
        return bits == 0 ? NONE : new BundleFlags(bits);
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
    public BundleFlags with(long mask) {
        return of(bits | mask);
    }

    /**
     * These flags with {@code mask} cleared.
     *
     * @param mask the flag bits
     * @return flags with the bits of {@code mask} removed
     */
    public BundleFlags without(long mask) {
        return of(bits & ~mask);
    }

    /**
     * These flags with {@code mask} set or cleared.
     *
     * @param mask the flag bits
     * @param set true to set the bits, false to clear them
     * @return flags with the bits of {@code mask} set or cleared
     */
    public BundleFlags with(long mask, boolean set) {
        return set ? with(mask) : without(mask);
    }

    /** {@return whether the {@link #IS_FRAGMENT} flag is set} */
    public boolean isFragment() {
        return has(IS_FRAGMENT);
    }

    /** {@return whether the {@link #ADMINISTRATIVE_RECORD} flag is set} */
    public boolean isAdministrativeRecord() {
        return has(ADMINISTRATIVE_RECORD);
    }

    /** {@return whether the {@link #MUST_NOT_FRAGMENT} flag is set} */
    public boolean mustNotFragment() {
        return has(MUST_NOT_FRAGMENT);
    }

    /** {@return whether the {@link #APP_ACK_REQUESTED} flag is set} */
    public boolean appAckRequested() {
        return has(APP_ACK_REQUESTED);
    }

    /** {@return whether the {@link #STATUS_TIME_REQUESTED} flag is set} */
    public boolean statusTimeRequested() {
        return has(STATUS_TIME_REQUESTED);
    }

    /** {@return whether the {@link #REPORT_RECEPTION} flag is set} */
    public boolean reportReception() {
        return has(REPORT_RECEPTION);
    }

    /** {@return whether the {@link #REPORT_FORWARDING} flag is set} */
    public boolean reportForwarding() {
        return has(REPORT_FORWARDING);
    }

    /** {@return whether the {@link #REPORT_DELIVERY} flag is set} */
    public boolean reportDelivery() {
        return has(REPORT_DELIVERY);
    }

    /** {@return whether the {@link #REPORT_DELETION} flag is set} */
    public boolean reportDeletion() {
        return has(REPORT_DELETION);
    }

    /** {@return whether any status report is requested} */
    public boolean anyReportRequested() {
        return (bits & ALL_REPORT_REQUESTS) != 0;
    }

    @Override
    public String toString() {
        return "BundleFlags[0x" + Long.toHexString(bits) + "]";
    }
}
