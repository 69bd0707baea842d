package io.dtn7j.bundle.codec;

/** How much of RFC 9171 §4 a decode enforces on top of well-formedness. */
public enum ValidationPolicy {
    /** Structure, CBOR and CRCs only; no §4 rule (what the RFC 9173 examples need). */
    PARSE_ONLY,
    /**
     * Every §4 rule except the two deviations real peers show (see {@link Deviation}); each waived deviation
     * is reported to the {@link DeviationListener}.
     */
    DEFAULT,
    /** Every rule. */
    STRICT
}
