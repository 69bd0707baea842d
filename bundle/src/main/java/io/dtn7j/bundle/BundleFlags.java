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

    /** Flags from raw bits. */
    public static BundleFlags of(long bits) {
        return bits == 0 ? NONE : new BundleFlags(bits);
    }

    /** Whether every bit of {@code mask} is set. */
    public boolean has(long mask) {
        return (bits & mask) == mask;
    }

    /** These flags with {@code mask} set. */
    public BundleFlags with(long mask) {
        return of(bits | mask);
    }

    /** These flags with {@code mask} cleared. */
    public BundleFlags without(long mask) {
        return of(bits & ~mask);
    }

    /** These flags with {@code mask} set or cleared. */
    public BundleFlags with(long mask, boolean set) {
        return set ? with(mask) : without(mask);
    }

    /** {@link #IS_FRAGMENT}. */
    public boolean isFragment() {
        return has(IS_FRAGMENT);
    }

    /** {@link #ADMINISTRATIVE_RECORD}. */
    public boolean isAdministrativeRecord() {
        return has(ADMINISTRATIVE_RECORD);
    }

    /** {@link #MUST_NOT_FRAGMENT}. */
    public boolean mustNotFragment() {
        return has(MUST_NOT_FRAGMENT);
    }

    /** {@link #APP_ACK_REQUESTED}. */
    public boolean appAckRequested() {
        return has(APP_ACK_REQUESTED);
    }

    /** {@link #STATUS_TIME_REQUESTED}. */
    public boolean statusTimeRequested() {
        return has(STATUS_TIME_REQUESTED);
    }

    /** {@link #REPORT_RECEPTION}. */
    public boolean reportReception() {
        return has(REPORT_RECEPTION);
    }

    /** {@link #REPORT_FORWARDING}. */
    public boolean reportForwarding() {
        return has(REPORT_FORWARDING);
    }

    /** {@link #REPORT_DELIVERY}. */
    public boolean reportDelivery() {
        return has(REPORT_DELIVERY);
    }

    /** {@link #REPORT_DELETION}. */
    public boolean reportDeletion() {
        return has(REPORT_DELETION);
    }

    /** Whether any status report is requested. */
    public boolean anyReportRequested() {
        return (bits & ALL_REPORT_REQUESTS) != 0;
    }

    @Override
    public String toString() {
        return "BundleFlags[0x" + Long.toHexString(bits) + "]";
    }
}
