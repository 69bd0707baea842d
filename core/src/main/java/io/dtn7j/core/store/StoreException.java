package io.dtn7j.core.store;

/** A bundle store operation failed (I/O error, corrupt data, unknown bundle, store closed, ...). */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message saying what failed and, where possible, what to do.
     *
     * @param message what failed and, where possible, what to do
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * An exception with a message and its cause.
     *
     * @param message what failed and, where possible, what to do
     * @param cause the underlying error
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
