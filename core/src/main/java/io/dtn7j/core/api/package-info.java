/**
 * The simple API: a node and its endpoints in a few lines, in the spirit of dtn7zero and NetworkZero.
 *
 * <p>Two entry points give the same node:
 * <ul>
 *   <li>{@link io.dtn7j.core.api.Dtn}, a static facade for scripts and small programs:
 *       {@code Dtn.setup(...)}, {@code Dtn.register(...)}, {@code Dtn.runForever(...)};</li>
 *   <li>{@link io.dtn7j.core.api.DtnNode}, an {@link java.lang.AutoCloseable} node for
 *       try-with-resources, configured by {@link io.dtn7j.core.api.DtnNode.Builder}.</li>
 * </ul>
 * Messages reach an application through a callback ({@link io.dtn7j.core.api.MessageHandler} or a
 * {@code Consumer<Message>}), by polling ({@link io.dtn7j.core.api.Endpoint#poll()}) or as a
 * {@link java.util.concurrent.CompletableFuture} ({@link io.dtn7j.core.api.Endpoint#receive()}).
 */
package io.dtn7j.core.api;
