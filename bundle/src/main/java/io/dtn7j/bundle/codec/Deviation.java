package io.dtn7j.bundle.codec;

/** The two RFC 9171 deviations that {@link ValidationPolicy#DEFAULT} accepts (and reports). */
public enum Deviation {
    /**
     * §4.3.1: the primary block has no CRC although no BIB covers it (dtn7zero, py-dtn7, dtn7-rs's
     * {@code /send}).
     */
    PRIMARY_WITHOUT_CRC,
    /** §4.2.5.1.1: a dtn node ID without its trailing slash, e.g. {@code dtn://node} (dtn7-rs, µD3TN). */
    NODE_ID_WITHOUT_SLASH
}
