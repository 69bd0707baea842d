package io.dtn7j.core.api;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The simple API as static methods, for scripts and small programs: one node per JVM, set up once.
 *
 * <pre>{@code
 * LocalEndpoint node = Dtn.setup("dtn://node1/", (payload, source, destination, primaryBlock) ->
 *         System.out.println("received " + new String(payload) + " from " + source));
 * Dtn.startBackgroundUpdateThread();
 * node.send("hello world", "dtn://node1/");
 * }</pre>
 *
 * <p>As in dtn7zero, callbacks run when the application drives the node: with {@link #update()} in its own
 * loop, with {@link #runForever(Runnable, Duration)}, or on the thread started by
 * {@link #startBackgroundUpdateThread()}. The node underneath is a {@link DtnNode}; {@link #node()} returns it
 * and {@link #setup(DtnNode.Builder)} accepts any configuration. This class is the only place in dtn7j that
 * keeps global state.
 */
public final class Dtn {

    private static DtnNode node; // guarded by Dtn.class

    private Dtn() {
    }

    /**
     * Sets up the node with a polled node endpoint; see {@link #setup(String, MessageHandler)}.
     *
     * @param nodeUri the node ID: {@code dtn://node1/} or {@code ipn:23.0}
     * @return the node's own endpoint
     */
    public static LocalEndpoint setup(String nodeUri) {
        return setup(DtnNode.builder(nodeUri));
    }

    /**
     * Starts this JVM's node with the defaults of {@link DtnNode} (in-memory store, epidemic routing, MTCP on
     * port 16162, IPND discovery) and returns its own endpoint.
     *
     * @param nodeUri the node ID: {@code dtn://node1/} or {@code ipn:23.0}
     * @param handler receives the messages sent to the node ID itself; null to poll them
     * @return the node's own endpoint
     * @throws IllegalArgumentException when {@code nodeUri} is not a node ID (the message says what to write)
     * @throws IllegalStateException    when the node was already set up
     */
    public static LocalEndpoint setup(String nodeUri, MessageHandler handler) {
        return setup(DtnNode.builder(nodeUri).onMessage(handler));
    }

    /**
     * As {@link #setup(String, MessageHandler)} with a callback that receives whole {@link Message}s.
     *
     * @param nodeUri the node ID: {@code dtn://node1/} or {@code ipn:23.0}
     * @param handler receives the messages sent to the node ID itself
     * @return the node's own endpoint
     */
    public static LocalEndpoint setup(String nodeUri, Consumer<Message> handler) {
        return setup(DtnNode.builder(nodeUri).onMessage(handler));
    }

    /**
     * Starts this JVM's node as configured by {@code builder} (its background-updates setting is ignored: call
     * {@link #startBackgroundUpdateThread()}) and returns its own endpoint.
     *
     * @param builder the node's configuration, from {@link DtnNode#builder(String)}
     * @return the node's own endpoint
     * @throws IllegalStateException when the node was already set up
     */
    public static synchronized LocalEndpoint setup(DtnNode.Builder builder) {
        if (node != null) {
            throw new IllegalStateException("Dtn.setup was already called (node " + node.nodeId().uri() + "): "
                    + "call it once per JVM, or Dtn.shutdown() first; for several nodes in one JVM use DtnNode");
        }
        node = builder.backgroundUpdates(false).start();
        return node.endpoint();
    }

    /**
     * Registers an endpoint on the node: {@code "echo"} on {@code dtn://node1/} is {@code dtn://node1/echo}.
     *
     * @param endpointName a name such as {@code "echo"} (or a full URI of this node)
     * @param handler      receives its messages; null to poll them
     * @return the new endpoint
     * @throws IllegalStateException    before {@link #setup}
     * @throws IllegalArgumentException when the name is invalid or taken
     */
    public static LocalEndpoint register(String endpointName, MessageHandler handler) {
        return node().register(endpointName, handler);
    }

    /**
     * As {@link #register(String, MessageHandler)} with a callback that receives whole {@link Message}s.
     *
     * @param endpointName a name such as {@code "echo"}
     * @param handler      receives its messages
     * @return the new endpoint
     */
    public static LocalEndpoint register(String endpointName, Consumer<Message> handler) {
        return node().register(endpointName, handler);
    }

    /**
     * Registers a polled endpoint; see {@link #register(String, MessageHandler)}.
     *
     * @param endpointName a name such as {@code "echo"}
     * @return the new endpoint
     */
    public static LocalEndpoint register(String endpointName) {
        return node().register(endpointName);
    }

    /**
     * Joins a group such as {@code dtn://global/~news}.
     *
     * @param groupUri the group, e.g. {@code dtn://global/~news}
     * @param handler  receives its messages; null to poll them
     * @return the group endpoint
     * @throws IllegalStateException    before {@link #setup}
     * @throws IllegalArgumentException when the URI is not a group URI
     */
    public static LocalEndpoint registerGroup(String groupUri, MessageHandler handler) {
        return node().registerGroup(groupUri, handler);
    }

    /**
     * As {@link #registerGroup(String, MessageHandler)} with a callback that receives whole {@link Message}s.
     *
     * @param groupUri the group, e.g. {@code dtn://global/~news}
     * @param handler  receives its messages
     * @return the group endpoint
     */
    public static LocalEndpoint registerGroup(String groupUri, Consumer<Message> handler) {
        return node().registerGroup(groupUri, handler);
    }

    /**
     * Joins a group whose messages are polled; see {@link #registerGroup(String, MessageHandler)}.
     *
     * @param groupUri the group, e.g. {@code dtn://global/~news}
     * @return the group endpoint
     */
    public static LocalEndpoint registerGroup(String groupUri) {
        return node().registerGroup(groupUri);
    }

    /**
     * The nodes currently known (discovered or configured); see {@link DtnNode#discover()}.
     *
     * @return the known peers
     */
    public static List<KnownPeer> discover() {
        return node().discover();
    }

    /**
     * Runs the callbacks of the messages that arrived; call it in your own loop. See {@link DtnNode#update()}.
     *
     * @return how many callbacks ran
     */
    public static int update() {
        return node().update();
    }

    /**
     * Drives the node on the calling thread, calling {@code loopCallback} every {@code interval}, until
     * {@link #shutdown()} (e.g. from the callback) or an interrupt. See {@link DtnNode#runForever}.
     *
     * @param loopCallback application logic to run periodically; may be null
     * @param interval     how often to run it
     */
    public static void runForever(Runnable loopCallback, Duration interval) {
        node().runForever(loopCallback, interval);
    }

    /**
     * {@link #runForever(Runnable, Duration)} with the interval in milliseconds, as in dtn7zero.
     *
     * @param loopCallback   application logic to run periodically; may be null
     * @param intervalMillis how often to run it, in milliseconds
     */
    public static void runForever(Runnable loopCallback, long intervalMillis) {
        runForever(loopCallback, Duration.ofMillis(intervalMillis));
    }

    /**
     * Starts the background thread that runs callbacks as messages arrive (a daemon thread: it does not keep
     * the JVM alive).
     *
     * @throws IllegalStateException before {@link #setup} or when already started
     */
    public static void startBackgroundUpdateThread() {
        node().startBackgroundUpdates();
    }

    /**
     * The node set up by {@link #setup}, for everything the facade does not offer.
     *
     * @return the node
     * @throws IllegalStateException before setup
     */
    public static synchronized DtnNode node() {
        if (node == null) {
            throw new IllegalStateException("no node yet: call Dtn.setup(\"dtn://<name>/\") first");
        }
        return node;
    }

    /**
     * Whether the node is set up.
     *
     * @return true between {@link #setup} and {@link #shutdown()}
     */
    public static synchronized boolean isSetUp() {
        return node != null;
    }

    /** Closes the node (if any); {@link #setup} may be called again afterwards. Idempotent. */
    public static void shutdown() {
        DtnNode closing;
        synchronized (Dtn.class) {
            closing = node;
            node = null;
        }
        if (closing != null) {
            closing.close();
        }
    }
}
