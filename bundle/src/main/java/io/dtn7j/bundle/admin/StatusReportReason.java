package io.dtn7j.bundle.admin;

/**
 * Bundle status report reason codes: the codes RFC 9171 §6.1.1 lists (0-11) and those RFC 9172 §11 adds for
 * BPSec (12-16). A code this enum does not know maps to {@link #UNKNOWN}; the report keeps the raw code, so an
 * unknown code is re-encoded unchanged.
 */
public enum StatusReportReason {
    /** 0: no additional information. */
    NO_ADDITIONAL_INFORMATION(0, "no additional information"),
    /** 1: lifetime expired. */
    LIFETIME_EXPIRED(1, "lifetime expired"),
    /** 2: forwarded over unidirectional link. */
    FORWARDED_OVER_UNIDIRECTIONAL_LINK(2, "forwarded over unidirectional link"),
    /** 3: transmission canceled. */
    TRANSMISSION_CANCELED(3, "transmission canceled"),
    /** 4: depleted storage. */
    DEPLETED_STORAGE(4, "depleted storage"),
    /** 5: destination endpoint ID unavailable. */
    DESTINATION_ENDPOINT_ID_UNAVAILABLE(5, "destination endpoint ID unavailable"),
    /** 6: no known route to destination from here. */
    NO_KNOWN_ROUTE(6, "no known route to destination from here"),
    /** 7: no timely contact with next node on route. */
    NO_TIMELY_CONTACT(7, "no timely contact with next node on route"),
    /** 8: block unintelligible. */
    BLOCK_UNINTELLIGIBLE(8, "block unintelligible"),
    /** 9: hop limit exceeded. */
    HOP_LIMIT_EXCEEDED(9, "hop limit exceeded"),
    /** 10: traffic pared (e.g., status reports). */
    TRAFFIC_PARED(10, "traffic pared"),
    /** 11: block unsupported. */
    BLOCK_UNSUPPORTED(11, "block unsupported"),
    /** 12 (RFC 9172): missing security operation. */
    MISSING_SECURITY_OPERATION(12, "missing security operation"),
    /** 13 (RFC 9172): unknown security operation. */
    UNKNOWN_SECURITY_OPERATION(13, "unknown security operation"),
    /** 14 (RFC 9172): unexpected security operation. */
    UNEXPECTED_SECURITY_OPERATION(14, "unexpected security operation"),
    /** 15 (RFC 9172): failed security operation. */
    FAILED_SECURITY_OPERATION(15, "failed security operation"),
    /** 16 (RFC 9172): conflicting security operation. */
    CONFLICTING_SECURITY_OPERATION(16, "conflicting security operation"),
    /** Any code not listed above; the report carries the raw value in {@link BundleStatusReport#reasonCode()}. */
    UNKNOWN(-1, "unknown reason code");

    private static final StatusReportReason[] BY_CODE;

    static {
        StatusReportReason[] all = values();
        BY_CODE = new StatusReportReason[all.length - 1];
        for (StatusReportReason r : all) {
            if (r != UNKNOWN) {
                BY_CODE[(int) r.code] = r;
            }
        }
    }

    private final long code;
    private final String description;

    StatusReportReason(long code, String description) {
        this.code = code;
        this.description = description;
    }

    /** {@return the code on the wire; -1 for {@link #UNKNOWN}} */
    public long code() {
        return code;
    }

    /** {@return a short human-readable description} */
    public String description() {
        return description;
    }

    /**
     * The reason for a code on the wire, {@link #UNKNOWN} when the code is not assigned here.
     *
     * @param code the reason code
     * @return the reason
     */
    public static StatusReportReason fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : UNKNOWN;
    }
}
