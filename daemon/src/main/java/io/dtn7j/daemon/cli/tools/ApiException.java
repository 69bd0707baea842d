package io.dtn7j.daemon.cli.tools;

/**
 * Talking to the daemon failed. {@link #exitCode()} is what the tool exits with.
 */
public final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;
    /** The process exit code the tool ends with (see {@code ExitCodes}). */
    private final int exitCode;
    /** The HTTP status the daemon answered with, or 0 when there was no HTTP answer. */
    private final int httpStatus;

    private ApiException(String message, int exitCode, int httpStatus, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    /** The daemon could not be reached at all. */
    static ApiException unreachable(String target, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ApiException("cannot reach the daemon at " + target + " (" + why
                + "); is it running? Check -p/--port, DTN_WEB_PORT and -6", ExitCodes.UNREACHABLE, 0, cause);
    }

    /** The daemon answered a request with an error status. */
    static ApiException rejected(String request, int status, String body) {
        String text = body == null || body.isBlank() ? "(empty body)" : body.strip();
        return new ApiException("the daemon rejected " + request + ": HTTP " + status + " " + text, ExitCodes.REJECTED, status, null);
    }

    /** The daemon refused something over the WebSocket. */
    static ApiException wsRejected(String command, String reply) {
        return new ApiException("the daemon refused \"" + command + "\": " + reply, ExitCodes.REJECTED, 0, null);
    }

    /** Anything else: an unexpected reply, a local I/O problem. */
    static ApiException failure(String message, Throwable cause) {
        return new ApiException(message, ExitCodes.FAILURE, 0, cause);
    }

    /** {@return exit code for this failure} */
    public int exitCode() {
        return exitCode;
    }

    /** {@return HTTP status if the daemon answered with one, else 0} */
    public int httpStatus() {
        return httpStatus;
    }
}
