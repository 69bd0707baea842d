package io.dtn7j.core.discovery;

import java.util.Objects;

/**
 * A datagram could not be read as an IPND beacon. The {@link #reason()} says which rule was broken; the
 * message says where. Receivers count these per reason and drop the datagram; nothing else happens.
 */
public final class BeaconDecodeException extends Exception {

    /** Why a datagram is not a usable beacon. */
    public enum Reason {
        /** The datagram is larger than the configured maximum beacon size. */
        TOO_LARGE,
        /** The CBOR ends before the beacon does. */
        TRUNCATED,
        /** Not well-formed CBOR (reserved additional information, bad UTF-8, misplaced break, ...). */
        MALFORMED_CBOR,
        /** A length or element count claims more than the datagram holds. */
        LENGTH_EXCEEDS_INPUT,
        /** Nesting deeper than any beacon needs. */
        TOO_DEEP,
        /** Bytes follow the beacon array. */
        TRAILING_BYTES,
        /** Well-formed CBOR, but not shaped like a beacon (not an array, wrong element count or types). */
        NOT_A_BEACON,
        /** The version field is not 7. */
        WRONG_VERSION,
        /** The node EID is missing or not a valid endpoint ID. */
        INVALID_EID,
        /** A number is outside its field's range (sequence number beyond 32 bits, port beyond 65535, ...). */
        VALUE_OUT_OF_RANGE,
        /** The service block is not {@code [clas, services]} as dtn7-rs and dtn7zero write it. */
        INVALID_SERVICE_BLOCK
    }

    private static final long serialVersionUID = 1L;
    /** Why the beacon was rejected. */
    private final Reason reason;

    /**
     * Creates the exception; {@code message} says what was found where.
     *
     * @param reason why the beacon was rejected
     * @param message what was found where
     */
    public BeaconDecodeException(Reason reason, String message) {
        // no stack trace: these are expected, frequent and cheap to make (a flood of garbage costs little)
        super(reason + ": " + message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** {@return which rule the datagram broke} */
    public Reason reason() {
        return reason;
    }
}
