package io.dtn7j.core.api;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An endpoint registered at a {@link DtnNode} in this JVM: the node's own endpoint (returned by
 * {@link DtnNode#endpoint()} and {@link Dtn#setup}), a named endpoint ({@link DtnNode#register}) or a group
 * ({@link DtnNode#registerGroup}).
 *
 * <p>Thread-safe. Messages that arrive wait in the endpoint until polled when it has no callback; with a
 * callback they are handed to it by the thread that drives the node (see {@link MessageHandler}).
 */
public final class LocalEndpoint implements Endpoint {

    private final DtnNode node;
    private final EndpointId eid;
    private final boolean group;
    private final Consumer<Message> handler;
    private final ArrayDeque<Message> inbox = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();
    private boolean closed;

    LocalEndpoint(DtnNode node, EndpointId eid, boolean group, Consumer<Message> handler) {
        this.node = node;
        this.eid = eid;
        this.group = group;
        this.handler = handler;
    }

    /**
     * This endpoint's ID.
     *
     * @return the endpoint ID
     */
    public EndpointId eid() {
        return eid;
    }

    @Override
    public String uri() {
        return eid.uri();
    }

    /**
     * True for a group endpoint registered with {@link DtnNode#registerGroup}.
     *
     * @return whether it is a group endpoint
     */
    public boolean isGroup() {
        return group;
    }

    /**
     * True when messages go to a callback rather than waiting to be polled.
     *
     * @return whether it has a callback
     */
    public boolean hasCallback() {
        return handler != null;
    }

    /**
     * The node this endpoint belongs to.
     *
     * @return the node
     */
    public DtnNode node() {
        return node;
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedOperationException on a group endpoint, which cannot be a source: send from the node's
     *                                       endpoint or a registered one instead
     */
    @Override
    public BundleId send(byte[] payload, String destination, boolean anonymous) {
        if (group) {
            throw new UnsupportedOperationException("a group endpoint (" + uri() + ") cannot be the source of a "
                    + "message: send from the node's endpoint or one registered with register()");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("endpoint " + uri() + " was closed: register it again to send from it");
            }
        }
        return node.send(eid, payload, Destinations.parse(destination), anonymous);
    }

    @Override
    public Optional<Message> poll() {
        if (handler != null) {
            throw new IllegalStateException("endpoint " + uri() + " has a callback, which receives its messages: "
                    + "register it without a callback to poll it, or use receive()");
        }
        node.requireOpen();
        synchronized (this) {
            return Optional.ofNullable(inbox.poll());
        }
    }

    @Override
    public CompletableFuture<Message> receive() {
        node.requireOpen();
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            Message waiting = inbox.poll();
            if (waiting != null) {
                return CompletableFuture.completedFuture(waiting);
            }
            CompletableFuture<Message> future = new CompletableFuture<>();
            waiters.add(future);
            return future;
        }
    }

    /** Unregisters this endpoint from its node; see {@link Endpoint#close()}. */
    @Override
    public void close() {
        node.unregister(this);
    }

    /** Called by the node when a message for this endpoint arrives (on any thread). */
    void deliver(Message message) {
        while (true) {
            CompletableFuture<Message> waiter;
            synchronized (this) {
                if (closed) {
                    return;
                }
                waiter = waiters.poll();
                if (waiter == null) {
                    if (handler == null) {
                        inbox.add(message);
                    } else {
                        node.dispatch(this, message);
                    }
                    return;
                }
            }
            if (waiter.complete(message)) {
                return;
            }
            // that waiter was cancelled meanwhile: try the next one
        }
    }

    /** Runs the callback; called by the node's dispatching thread. */
    void invokeCallback(Message message) {
        handler.accept(message);
    }

    /** Marks the endpoint closed and fails its waiting futures; called by the node. */
    void markClosed() {
        ArrayDeque<CompletableFuture<Message>> failed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            failed = new ArrayDeque<>(waiters);
            waiters.clear();
            inbox.clear();
        }
        IllegalStateException e = closedException();
        failed.forEach(f -> f.completeExceptionally(e));
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("endpoint " + uri() + " was closed" + (node.isClosed()
                ? " with its node" : ": register it again to receive"));
    }

    @Override
    public String toString() {
        return "LocalEndpoint[" + uri() + (group ? ", group" : "") + (handler != null ? ", callback" : ", polled") + "]";
    }
}
