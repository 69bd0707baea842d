package io.dtn7j.core.api;

import io.dtn7j.bundle.PrimaryBlock;

/**
 * Receives the messages that arrive at an endpoint, with the same four arguments as a dtn7zero callback.
 *
 * <p>Callbacks run on the thread that drives the node: the one calling {@link DtnNode#update()} or
 * {@link DtnNode#runForever}, or the node's background update thread. They run one at a time, in arrival
 * order. A callback that throws is logged and does not stop the node.
 *
 * <pre>{@code
 * Dtn.register("echo", (payload, source, destination, primaryBlock) -> echo.send(payload, source));
 * }</pre>
 *
 * @see Message for the same information as one value
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Called once per arriving message.
     *
     * @param payload      the bundle's payload (a fresh array the callback may keep)
     * @param source       the source endpoint ID as text, e.g. {@code dtn://node1/ping}; {@code dtn:none} when
     *                     the message was sent anonymously
     * @param destination  the destination endpoint ID as text (this endpoint, or the group it registered)
     * @param primaryBlock the whole primary block, for lifetime, creation time, flags and report-to
     */
    void onMessage(byte[] payload, String source, String destination, PrimaryBlock primaryBlock);
}
