package io.dtn7j.core.cla;

import java.io.IOException;

/**
 * A peer sent a frame this convergence layer cannot accept: a malformed header, or a length above the
 * configured maximum. The connection it arrived on is closed; nothing of the frame is delivered.
 */
public final class FrameException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the frame was refused. */
    public enum Reason {
        /** The frame header is not what the protocol allows. */
        MALFORMED,
        /** The frame announces more bytes than this node accepts. */
        TOO_LARGE
    }

    /** Why the frame was refused. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason  why the frame was refused
     * @param message what was wrong, for logs
     */
    public FrameException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** {@return why the frame was refused} */
    public Reason reason() {
        return reason;
    }
}
