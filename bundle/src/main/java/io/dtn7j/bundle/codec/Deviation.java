package io.dtn7j.bundle.codec;

/**
 * RFC 9171 deviations real peers show. {@link ValidationPolicy#DEFAULT} accepts (and reports) the first two;
 * {@link ValidationPolicy#LENIENT} also {@link #PAYLOAD_BLOCK_NUMBER_NOT_ONE}.
 */
public enum Deviation {
    /**
     * §4.3.1: the primary block has no CRC although no BIB covers it (dtn7zero, py-dtn7, dtn7-rs's
     * {@code /send}).
     */
    PRIMARY_WITHOUT_CRC,
    /** §4.2.5.1.1: a dtn node ID without its trailing slash, e.g. {@code dtn://node} (dtn7-rs, µD3TN). */
    NODE_ID_WITHOUT_SLASH,
    /**
     * §4.3.3: the payload block's block number is not 1 (py-dtn7 and dtn7zero number it 2). Waived only by
     * {@link ValidationPolicy#LENIENT}; the payload is found by its block type, so nothing else depends on it.
     */
    PAYLOAD_BLOCK_NUMBER_NOT_ONE
}
