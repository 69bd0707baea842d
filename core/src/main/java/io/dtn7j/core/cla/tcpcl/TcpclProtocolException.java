package io.dtn7j.core.cla.tcpcl;

import java.io.IOException;

/**
 * A TCPCLv4 peer sent something this node cannot accept. The {@link Kind} tells the session which
 * MSG_REJECT or SESS_TERM reason to answer with.
 */
public final class TcpclProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind {
        /** The contact header did not start with "dtn!". */
        BAD_MAGIC,
        /** The contact header announced a version other than 4. */
        VERSION_MISMATCH,
        /** A message header carried an unknown type code (MSG_REJECT reason 1). */
        UNKNOWN_TYPE,
        /** A known message arrived when it is not allowed (MSG_REJECT reason 3). */
        UNEXPECTED,
        /** A field is out of range or inconsistent. */
        MALFORMED,
        /** A length field exceeds what this node accepts (MRU, extension limit, bundle size). */
        TOO_LARGE,
        /** An extension item flagged critical is not understood. */
        UNSUPPORTED_CRITICAL_EXTENSION
    }

    /** What was wrong. */
    private final Kind kind;
    /** The message type code involved, or -1 for the contact header or none. */
    private final int messageType;

    /**
     * Creates the exception.
     *
     * @param kind        what was wrong
     * @param messageType the message type code involved, or -1 for the contact header / none
     * @param message     a description of the problem
     */
    public TcpclProtocolException(Kind kind, int messageType, String message) {
        super(message);
        this.kind = kind;
        this.messageType = messageType;
    }

    /** {@return what was wrong} */
    public Kind kind() {
        return kind;
    }

    /** {@return the message type code involved, or -1} */
    public int messageType() {
        return messageType;
    }
}
