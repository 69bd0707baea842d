package io.dtn7j.core.http;

import java.io.IOException;

/** A response body grew past the limit its reader set; the exchange was cancelled there. */
public final class ResponseTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The most bytes the reader accepted. */
    private final long limit;

    /**
     * An exception naming the exchange and the limit.
     *
     * @param what the exchange, for the message (e.g. {@code GET http://host/status/bundles})
     * @param limit the most bytes the reader accepts
     */
    public ResponseTooLargeException(String what, long limit) {
        super(what + ": the response body exceeds the limit of " + limit + " bytes; the exchange was cancelled");
        this.limit = limit;
    }

    /** {@return the most bytes the reader accepted} */
    public long limit() {
        return limit;
    }
}
