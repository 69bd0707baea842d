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

    /** {@return the registered endpoint} */
    EndpointId endpoint();

    /** {@return whether bundles are pushed to a listener (active) rather than polled (passive)} */
    boolean isActive();

    /**
     * {@return the next queued bundle of a passive registration, or empty} Always empty for an active
     * registration.
     */
    Optional<Delivery> poll();

    /**
     * Waits up to {@code timeout} for the next bundle of a passive registration.
     *
     *
     * @param timeout how long to wait at most
     * @throws InterruptedException if interrupted while waiting
     * @return the delivery, or empty on timeout
     */
    Optional<Delivery> poll(Duration timeout) throws InterruptedException;

    /** {@return number of bundles waiting to be delivered to this registration} */
    int pending();

    /** {@return whether this registration is still registered} */
    boolean isOpen();

    /** Unregisters; queued bundles stay in the store for a later registration of the endpoint. Idempotent. */
    @Override
    void close();
}
