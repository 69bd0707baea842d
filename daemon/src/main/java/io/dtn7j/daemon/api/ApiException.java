package io.dtn7j.daemon.api;

/** A request the node rejects: the HTTP status and the text the client gets back. */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 400 with the given message. */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public int status() {
        return status;
    }
}
