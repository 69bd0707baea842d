package io.dtn7j.core.cla;

/** {@link ConvergenceLayer#send} failed; {@link #reason()} says how. */
public final class TransmissionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a transmission failed. */
    public enum Reason {
        /** The peer could not be reached (connect refused, unreachable, handshake failed). */
        CONNECT_FAILED,
        /** The peer refused the bundle because it already has it (TCPCL XFER_REFUSE "completed" etc.). */
        REFUSED,
        /** The peer closed the connection or ended the session during the transfer. */
        PEER_CLOSED,
        /** The bundle is larger than this CLA or the peer accepts. */
        TOO_LARGE,
        /** The peer did not answer in time. */
        TIMEOUT,
        /** The peer violated the protocol. */
        PROTOCOL_ERROR
    }

    /** Why the transmission failed. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason  why it failed
     * @param message what happened, naming the peer
     */
    public TransmissionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates the exception with its cause.
     *
     * @param reason  why it failed
     * @param message what happened, naming the peer
     * @param cause   the underlying error
     */
    public TransmissionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@return why it failed} */
    public Reason reason() {
        return reason;
    }
}
