package io.dtn7j.bundle.fragment;

/** A fragment could not be taken into reassembly; {@link #reason()} says why. The reassembler stays usable. */
public final class ReassemblyException extends RuntimeException {

    /** Why a fragment was refused. */
    public enum Reason {
        /** The fragment contradicts itself or earlier fragments of the same bundle (total ADU length, range). */
        INCONSISTENT_FRAGMENT,
        /** The total ADU length exceeds what the options allow to buffer in memory or at all. */
        TOO_LARGE,
        /** The memory budget for buffered fragments is used up by this very bundle. */
        BUFFER_FULL,
        /** Writing to or creating the spill file failed. */
        IO_ERROR
    }

    /** The category of the failure. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the category
     * @param message what is wrong
     * @param cause the underlying error, or null
     */
    public ReassemblyException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** {@return why the fragment was refused} */
    public Reason reason() {
        return reason;
    }
}
