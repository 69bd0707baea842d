package io.dtn7j.daemon.api;

/** A request the node rejects: the HTTP status and the text the client gets back. */
public final class ApiException extends Exception {
    /** The HTTP status to answer with. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status to answer with
     * @param message the text the client gets back
     */
    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * 400 with the given message.
     *
     * @param message the text the client gets back
     * @return the exception
     */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /**
     * The HTTP status to answer with.
     *
     * @return the HTTP status
     */
    public int status() {
        return status;
    }
}
