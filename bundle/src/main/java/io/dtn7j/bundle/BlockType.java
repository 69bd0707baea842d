package io.dtn7j.bundle;

/** Block type codes (RFC 9171 §4.3.2, §4.4; RFC 9172). */
public final class BlockType {
    /** The primary block has no type code; by convention its block number is 0. */
    public static final long PRIMARY_BLOCK_NUMBER = 0;
    /** Payload block (1). */
    public static final long PAYLOAD = 1;
    /** Previous node block (6). */
    public static final long PREVIOUS_NODE = 6;
    /** Bundle age block (7). */
    public static final long BUNDLE_AGE = 7;
    /** Hop count block (10). */
    public static final long HOP_COUNT = 10;
    /** Block integrity block, BPSec (11). */
    public static final long BLOCK_INTEGRITY = 11;
    /** Block confidentiality block, BPSec (12). */
    public static final long BLOCK_CONFIDENTIALITY = 12;

    private BlockType() {}

    /**
     * A short name of a type code ("payload", "hop-count", ...; "unknown-N" otherwise).
     *
     * @param type a block type code
     * @return the name of the type
     */
    public static String name(long type) {
        if (type == PAYLOAD) {
            return "payload";
        } else if (type == PREVIOUS_NODE) {
            return "previous-node";
        } else if (type == BUNDLE_AGE) {
            return "bundle-age";
        } else if (type == HOP_COUNT) {
            return "hop-count";
        } else if (type == BLOCK_INTEGRITY) {
            return "bib";
        } else if (type == BLOCK_CONFIDENTIALITY) {
            return "bcb";
        }
        return "unknown-" + Long.toUnsignedString(type);
    }
}
