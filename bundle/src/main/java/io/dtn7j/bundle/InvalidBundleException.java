package io.dtn7j.bundle;

/**
 * A well-formed bundle breaks a rule of RFC 9171 §4 (or §4.4, §5.8). {@link #violation()} names the rule.
 */
public final class InvalidBundleException extends BundleException {

    /** The RFC 9171 rule that is broken. */
    public enum Violation {
        /** §4.3.1: the primary block has no CRC and no BIB covers it (waived by the default policy). */
        PRIMARY_WITHOUT_CRC,
        /** §4.2.5.1.1: a dtn node ID without trailing slash, like {@code dtn://node} (waived by the default policy). */
        NODE_ID_WITHOUT_SLASH,
        /** An endpoint ID is encoded in a non-canonical form ({@code [1,"none"]} or an indefinite-length array). */
        NON_CANONICAL_EID,
        /** §4.1: no payload block. */
        NO_PAYLOAD_BLOCK,
        /** §4.1: the payload block is not the last block. */
        PAYLOAD_NOT_LAST,
        /** §4.3.3: the payload block's number is not 1. */
        PAYLOAD_BLOCK_NUMBER,
        /** §4.3.2: a canonical block has number 0, which belongs to the primary block. */
        BLOCK_NUMBER_ZERO,
        /** §4.3.2: two blocks share a block number. */
        DUPLICATE_BLOCK_NUMBER,
        /** §4.4: more than one previous node, bundle age or hop count block (or more than one payload). */
        DUPLICATE_EXTENSION_BLOCK,
        /** §4.4.2: creation time 0 and no bundle age block. */
        MISSING_BUNDLE_AGE,
        /** §4.4: a previous node, bundle age or hop count block has malformed content. */
        MALFORMED_EXTENSION_BLOCK,
        /** §4.2.3: null source with a status report requested. */
        ANONYMOUS_SOURCE_REPORT_REQUESTED,
        /** §4.2.3: null source without "must not be fragmented". */
        ANONYMOUS_SOURCE_FRAGMENTABLE,
        /** §4.2.3: an administrative record requesting status reports. */
        ADMIN_RECORD_REPORT_REQUESTED,
        /** §4.2.4: "report if block can't be processed" set in a bundle that must not cause reports (admin record or null source). */
        BLOCK_REPORT_FLAG_FORBIDDEN,
        /** §4.3.1/§5.8: fragment offset and payload length do not fit the total ADU length (or it is 0). */
        FRAGMENT_RANGE,
        /** The bundle is larger than the policy's maximum. */
        TOO_LARGE
    }

    /** The broken rule. */
    private final Violation violation;

    /**
     * Creates the exception.
     *
     * @param violation the rule broken
     * @param message   details
     */
    public InvalidBundleException(Violation violation, String message) {
        super(violation + ": " + message, null);
        this.violation = violation;
    }

    /** {@return the broken rule} */
    public Violation violation() {
        return violation;
    }
}
