package io.dtn7j.core.api;

import io.dtn7j.bundle.BundleId;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * An application endpoint: an address that sends and receives messages.
 *
 * <p>Implemented by {@link LocalEndpoint} (an endpoint of a {@link DtnNode} in this JVM) and by
 * {@link io.dtn7j.core.external.ExternalEndpoint} (an endpoint registered at a remote dtn7-rs or dtn7j
 * daemon through its HTTP/WebSocket API). Code written against this interface runs with either.
 *
 * <p>An endpoint receives either through the callback it was registered with, by {@link #poll()} (endpoints
 * registered without a callback) or through {@link #receive()}, which takes precedence over both.
 */
public interface Endpoint extends AutoCloseable {

    /**
     * This endpoint's ID as text, e.g. {@code dtn://node1/echo}, {@code ipn:23.7} or {@code dtn://global/~news}.
     *
     * @return the endpoint ID as text
     */
    String uri();

    /**
     * Sends {@code payload} to {@code destination} with this endpoint as source.
     *
     * @param payload     the message
     * @param destination a full endpoint ID such as {@code dtn://node2/echo} or {@code ipn:23.7}
     * @return the ID of the bundle that carries the message (it is stored when this returns)
     * @throws IllegalArgumentException when {@code destination} is not a valid endpoint ID or is {@code dtn:none}
     * @throws IllegalStateException    when the endpoint or its node was closed
     */
    default BundleId send(byte[] payload, String destination) {
        return send(payload, destination, false);
    }

    /**
     * Sends {@code payload} to {@code destination}; with {@code anonymous} the bundle's source and report-to are
     * {@code dtn:none}, so the receiver cannot tell who sent it and cannot answer.
     *
     * @param payload the message
     * @param destination a full endpoint ID such as {@code dtn://node2/echo}
     * @param anonymous true to send with source {@code dtn:none}
     * @return the ID of the bundle that carries the message
     * @throws IllegalArgumentException when {@code destination} is not a valid endpoint ID or is {@code dtn:none}
     * @throws IllegalStateException    when the endpoint or its node was closed
     */
    BundleId send(byte[] payload, String destination, boolean anonymous);

    /**
     * Sends {@code text} encoded as UTF-8; see {@link #send(byte[], String)}.
     *
     * @param text the message, sent as UTF-8
     * @param destination a full endpoint ID such as {@code dtn://node2/echo}
     * @return the ID of the bundle that carries the message
     */
    default BundleId send(String text, String destination) {
        return send(text.getBytes(StandardCharsets.UTF_8), destination, false);
    }

    /**
     * Takes the oldest message that arrived and was not yet taken, if any. Never blocks.
     *
     * @return the oldest waiting message, or empty
     * @throws IllegalStateException when the endpoint was registered with a callback (its messages go there)
     */
    Optional<Message> poll();

    /**
     * A future completed with the next message that arrives at this endpoint (or the oldest one waiting to be
     * polled). The message goes to the future instead of the callback or the poll queue. Futures are served in
     * the order they were asked for; cancelling one gives up its claim.
     *
     * @return a future for the next message
     */
    CompletableFuture<Message> receive();

    /**
     * Waits up to {@code timeout} for the next message; see {@link #receive()}.
     *
     * @param timeout how long to wait at most
     * @return the next message
     * @throws TimeoutException     when none arrived in time
     * @throws InterruptedException when the waiting thread was interrupted
     */
    default Message receive(Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<Message> next = receive();
        try {
            return next.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (!next.cancel(false) && next.isDone() && !next.isCompletedExceptionally()) {
                return next.join(); // arrived just as the wait ended: keep it rather than lose it
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("receiving at " + uri() + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Unregisters the endpoint; pending {@link #receive()} futures fail. Idempotent. */
    @Override
    void close();
}
