package io.dtn7j.bundle;

/**
 * The bytes are not a well-formed BPv7 bundle (or block, or EID): malformed or non-canonical CBOR, wrong
 * structure, a bad CRC, an invalid endpoint ID encoding, or more bytes than allowed. {@link #reason()} says
 * which; {@link #offset()} is the byte offset where the problem was found, or -1.
 */
public final class BundleDecodeException extends BundleException {

    /** Why decoding failed. */
    public enum Reason {
        /** The input ends before the item or bundle is complete. */
        TRUNCATED,
        /** Bytes follow the end of the bundle. */
        TRAILING_BYTES,
        /** Not well-formed CBOR (reserved additional info, break outside an indefinite item, bad UTF-8, ...). */
        MALFORMED_CBOR,
        /** Well-formed CBOR that is not in the required deterministic form (e.g. an integer not in shortest form, an indefinite-length item where RFC 9171 wants a definite one). */
        NON_CANONICAL_CBOR,
        /** An item has the wrong type or an array the wrong number of elements. */
        WRONG_STRUCTURE,
        /** The primary block's version is not 7. */
        UNSUPPORTED_VERSION,
        /** A CRC type other than 0, 1 or 2. */
        UNKNOWN_CRC_TYPE,
        /** The CRC field is missing, of the wrong width or not a byte string. */
        BAD_CRC_FIELD,
        /** The CRC received does not match the CRC of the bytes received. */
        CRC_MISMATCH,
        /** An endpoint ID encoding is invalid (unknown scheme, bad SSP, numbers out of range). */
        INVALID_EID,
        /** The bundle is larger than the configured maximum. */
        TOO_LARGE,
        /** The bundle has no canonical block at all. */
        NO_BLOCKS,
        /** The contents of a known extension block (hop count, bundle age, previous node, BIB targets) are malformed. */
        MALFORMED_BLOCK_DATA,
        /** Reading a file-backed source failed. */
        IO_ERROR
    }

    /** Why decoding failed. */
    private final Reason reason;
    /** Byte offset of the problem in the input, or -1 if unknown. */
    private final long offset;
    /** The message without the reason and offset, as returned by {@link #detail()}. */
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param reason  the category
     * @param message details
     * @param offset  byte offset of the problem, or -1
     */
    public BundleDecodeException(Reason reason, String message, long offset) {
        this(reason, message, offset, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason  the category
     * @param message details
     * @param offset  byte offset of the problem, or -1
     * @param cause   the underlying error
     */
    public BundleDecodeException(Reason reason, String message, long offset, Throwable cause) {
        super(reason + ": " + message + (offset >= 0 ? " (at byte " + offset + ")" : ""), cause);
        this.reason = reason;
        this.offset = offset;
        this.detail = message;
    }

    /** {@return the message without the reason and offset} */
    public String detail() {
        return detail;
    }

    /**
     * The same error with {@code context} (e.g. "block 3") put in front of the detail.
     *
     * @param context where in the bundle the error happened, e.g. "block 3"
     * @return a new exception with the same reason and offset and the longer detail
     */
    public BundleDecodeException withContext(String context) {
        return new BundleDecodeException(reason, context + ": " + detail, offset, getCause());
    }

    /** {@return why decoding failed} */
    public Reason reason() {
        return reason;
    }

    /** {@return byte offset of the problem in the input, or -1 if unknown} */
    public long offset() {
        return offset;
    }
}
