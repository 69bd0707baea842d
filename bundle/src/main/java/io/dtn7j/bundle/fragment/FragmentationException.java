package io.dtn7j.bundle.fragment;

/** A bundle cannot be fragmented as asked; {@link #reason()} says why. */
public final class FragmentationException extends RuntimeException {

    /** Why fragmentation was refused. */
    public enum Reason {
        /** The bundle's "must not be fragmented" flag is set (RFC 9171 §4.2.3). */
        MUST_NOT_FRAGMENT,
        /** The maximum fragment size cannot hold the primary block, the blocks a fragment must carry and one payload byte. */
        MAXIMUM_TOO_SMALL,
        /** The bundle has no payload block, or an empty payload, so there is nothing to split. */
        NOTHING_TO_SPLIT
    }

    /** The category of the failure. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the category
     * @param message what is wrong and what to do
     */
    public FragmentationException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /** {@return why fragmentation was refused} */
    public Reason reason() {
        return reason;
    }
}
