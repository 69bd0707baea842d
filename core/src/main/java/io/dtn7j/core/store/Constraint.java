package io.dtn7j.core.store;

/**
 * Retention constraints of a stored bundle (RFC 9171 §5): a bundle is kept while it has at least one.
 * {@link #dtn7rsName()} is the name dtn7-rs prints in {@code /status/store}.
 */
public enum Constraint {
    /** Received or created, not yet dispatched (RFC 9171 §5.3). */
    DISPATCH_PENDING("DispatchPending"),
    /** Waiting to be forwarded (RFC 9171 §5.4). */
    FORWARD_PENDING("ForwardPending"),
    /** A fragment waiting for the rest of its ADU (RFC 9171 §5.9). */
    REASSEMBLY_PENDING("ReassemblyPending"),
    /** Forwarding contraindicated for now (no route, no link); retried later (RFC 9171 §5.4.1). */
    CONTRAINDICATED("Contraindicated"),
    /** Delivery to a local endpoint deferred: a passive registration has not polled it yet (RFC 9171 §5.7). */
    LOCAL_ENDPOINT("LocalEndpoint");

    private final String dtn7rsName;

    Constraint(String dtn7rsName) {
        this.dtn7rsName = dtn7rsName;
    }

    /** {@return the name dtn7-rs uses for this constraint} */
    public String dtn7rsName() {
        return dtn7rsName;
    }
}
