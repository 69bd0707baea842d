package io.dtn7j.core.store;

/**
 * The store refused a bundle because its count or byte limit would be exceeded: the agent deletes the
 * bundle with reason "depleted storage" (RFC 9171 §6.1.1, code 4) and reports that if asked.
 */
public class StoreFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal naming the limit that would be exceeded.
     *
     * @param message names the limit that would be exceeded
     */
    public StoreFullException(String message) {
        super(message);
    }
}
