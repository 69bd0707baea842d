package io.dtn7j.core.external;

/**
 * A remote daemon could not be reached or answered an {@link ExternalEndpoint}'s request with an error. The
 * message names the request, what the daemon said and what to check.
 */
public final class ExternalEndpointException extends RuntimeException {

    /** The HTTP status of the failing answer, or -1. */
    private final int status;

    /**
     * An error with the HTTP status the daemon answered (-1 when it did not answer).
     *
     * @param message what went wrong and what to check
     * @param status the HTTP status of the answer, or -1 when there was none
     * @param cause the underlying failure, or null
     */
    public ExternalEndpointException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /**
     * The HTTP status of the failing answer, or -1 when there was none (connection failed, timeout).
     *
     * @return the HTTP status, or -1
     */
    public int status() {
        return status;
    }
}
