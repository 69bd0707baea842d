package io.dtn7j.core.agent;

import io.dtn7j.bundle.EndpointId;

import java.time.Duration;
import java.util.Optional;

/**
 * An application's registration of an endpoint with the agent (RFC 9171 §3.3). Active registrations (created with a
 * {@link DeliveryListener}) get bundles pushed; passive ones queue them until {@link #poll()}ed (delivery deferred, the
 * bundle stays in the store until then). Several registrations may share a group endpoint ({@code dtn://group/~name});
 * each gets every bundle. {@link #close()} unregisters.
 */
public interface Registration extends AutoCloseable {

    /** The registered endpoint. */
    EndpointId endpoint();

    /** Whether bundles are pushed to a listener (active) rather than polled (passive). */
    boolean isActive();

    /** The next queued bundle of a passive registration, or empty. Always empty for an active registration. */
    Optional<Delivery> poll();

    /**
     * Waits up to {@code timeout} for the next bundle of a passive registration.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    Optional<Delivery> poll(Duration timeout) throws InterruptedException;

    /** Number of bundles waiting to be delivered to this registration. */
    int pending();

    /** Whether this registration is still registered. */
    boolean isOpen();

    /** Unregisters; queued bundles stay in the store for a later registration of the endpoint. Idempotent. */
    @Override
    void close();
}
