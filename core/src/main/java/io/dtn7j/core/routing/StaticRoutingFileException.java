package io.dtn7j.core.routing;

/** A static routing file could not be read or has a malformed line (the message names file and line). */
public class StaticRoutingFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception saying what is wrong and where.
     *
     * @param message what is wrong and where
     * @param cause the underlying error, or null
     */
    public StaticRoutingFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
