package io.dtn7j.core.cla;

/** What the agent did with a bundle a CLA handed to {@link ClaContext#bundleReceived}. */
public sealed interface ReceptionResult {

    /** The agent accepted (and, with a durable store, durably stored) the bundle. */
    record Accepted() implements ReceptionResult {
    }

    /** The agent already had the bundle; nothing was changed. */
    record Duplicate() implements ReceptionResult {
    }

    /**
     * The agent refused the bundle.
     *
     * @param reason why, for logs and for the peer where the protocol can say it
     */
    record Rejected(String reason) implements ReceptionResult {
    }

    /**
     * {@return true for {@link Accepted} and {@link Duplicate}: the peer may consider the transfer done}
     */
    default boolean isOk() {
        return !(this instanceof Rejected);
    }
}
