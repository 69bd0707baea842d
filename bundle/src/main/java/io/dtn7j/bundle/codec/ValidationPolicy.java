package io.dtn7j.bundle.codec;

/** How much of RFC 9171 §4 a decode enforces on top of well-formedness. */
public enum ValidationPolicy {
    /** Structure, CBOR and CRCs only; no §4 rule (what the RFC 9173 examples need). */
    PARSE_ONLY,
    /**
     * Every §4 rule except two deviations real peers show ({@link Deviation#PRIMARY_WITHOUT_CRC},
     * {@link Deviation#NODE_ID_WITHOUT_SLASH}); each waived deviation is reported to the {@link DeviationListener}.
     */
    DEFAULT,
    /** Every rule. */
    STRICT,
    /**
     * What {@link #DEFAULT} checks and waives, and additionally waives {@link Deviation#PAYLOAD_BLOCK_NUMBER_NOT_ONE}
     * (a payload block numbered other than 1, as py-dtn7 and dtn7zero send), also reported to the
     * {@link DeviationListener}. For nodes that must talk to those implementations.
     */
    LENIENT
}
