package io.dtn7j.daemon.ecla;

/** An ECLA packet that cannot be understood: malformed JSON, an unknown type, a missing or bad field. */
public final class EclaProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with the packet
     */
    public EclaProtocolException(String message) {
        super(message);
    }
}
