package io.dtn7j.core.api;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.admin.BundleStatusReport;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.store.BundleStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A DTN node in this JVM with its endpoints: the simple API's main type.
 *
 * <pre>{@code
 * try (DtnNode node = DtnNode.start("dtn://node1/")) {
 *     node.endpoint().send("hello", "dtn://node1/");
 *     System.out.println(node.endpoint().receive(Duration.ofSeconds(5)).text());
 * }
 * }</pre>
 *
 * <p>By default a node keeps bundles in memory, routes epidemically, listens for MTCP on port 16162 (an
 * ephemeral port when 16162 is taken), finds peers with IPND and hands messages to callbacks on a background
 * thread. {@link #builder(String)} changes any of that; so do these system properties, which let a program be
 * reconfigured without changing its code: {@code dtn7j.mtcp.port}, {@code dtn7j.discovery} (true/false),
 * {@code dtn7j.discovery.port}, {@code dtn7j.discovery.interval} (ms), {@code dtn7j.discovery.interfaces},
 * {@code dtn7j.discovery.destinations} and {@code dtn7j.peers} (comma-separated lists).
 *
 * <p><b>Driving the node.</b> Bundles are received, stored and forwarded by the agent's own threads; only
 * callbacks need a thread of the application's choosing. A node started with background updates (the
 * default of {@link Builder}) runs them on its update thread as soon as messages arrive. Without (the
 * default of {@link Dtn#setup}, as in dtn7zero) they run when the application calls {@link #update()} or
 * {@link #runForever}. {@link Endpoint#poll()} and {@link Endpoint#receive()} work either way.
 *
 * <p>Thread-safe. Closing the node unregisters its endpoints and stops its convergence layers.
 */
public final class DtnNode implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DtnNode.class.getName());

    private final Backend backend;
    private final EndpointId nodeId;
    private final Map<EndpointId, LocalEndpoint> endpoints = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Pending> callbacks = new LinkedBlockingQueue<>();
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final LocalEndpoint nodeEndpoint;
    private volatile boolean closed;
    private Thread updateThread; // guarded by this

    private record Pending(LocalEndpoint endpoint, Message message) {
    }

    DtnNode(Backend backend, Consumer<Message> nodeHandler, boolean backgroundUpdates) {
        this.backend = backend;
        this.nodeId = backend.nodeId();
        this.nodeEndpoint = add(nodeId, false, nodeHandler);
        if (backgroundUpdates) {
            startBackgroundUpdates();
        }
    }

    /**
     * Starts a node with the defaults (see the class comment) whose own endpoint is polled.
     *
     * @param nodeUri the node ID: {@code dtn://node1/} or {@code ipn:23.0}
     * @return the running node
     */
    public static DtnNode start(String nodeUri) {
        return builder(nodeUri).start();
    }

    /**
     * Starts a node with the defaults whose own endpoint hands messages to {@code handler}.
     *
     * @param nodeUri the node ID: {@code dtn://node1/} or {@code ipn:23.0}
     * @param handler receives the messages
     * @return the running node
     */
    public static DtnNode start(String nodeUri, MessageHandler handler) {
        return builder(nodeUri).onMessage(handler).start();
    }

    /**
     * Starts a node with the defaults whose own endpoint hands messages to {@code handler}.
     *
     * @param nodeUri the node ID: {@code dtn://node1/} or {@code ipn:23.0}
     * @param handler receives the messages
     * @return the running node
     */
    public static DtnNode start(String nodeUri, Consumer<Message> handler) {
        return builder(nodeUri).onMessage(handler).start();
    }

    /**
     * A builder for a node with ID {@code nodeUri}: {@code dtn://node1/} or {@code ipn:23.0}.
     *
     * @param nodeUri the node ID: {@code dtn://node1/} or {@code ipn:23.0}
     * @return a builder with the defaults
     * @throws IllegalArgumentException when {@code nodeUri} is not a node ID (the message says what to write)
     */
    public static Builder builder(String nodeUri) {
        return new Builder(Uris.nodeId(nodeUri));
    }

    /**
     * This node's ID, e.g. {@code dtn://node1/}.
     *
     * @return the node ID
     */
    public EndpointId nodeId() {
        return nodeId;
    }

    /**
     * The node's own endpoint (its node ID as address), registered when the node started.
     *
     * @return the node's own endpoint
     */
    public LocalEndpoint endpoint() {
        return nodeEndpoint;
    }

    /**
     * Registers a polled endpoint; see {@link #register(String, MessageHandler)}.
     *
     * @param name a name such as {@code "echo"} (or a full URI of this node)
     * @return the new endpoint
     */
    public LocalEndpoint register(String name) {
        requireOpen();
        return add(Uris.service(nodeId, name), false, null);
    }

    /**
     * Registers the endpoint {@code name} on this node: on {@code dtn://node1/}, {@code "echo"} is
     * {@code dtn://node1/echo}; on {@code ipn:23.0}, {@code "7"} is {@code ipn:23.7}.
     *
     * @param name a name such as {@code "echo"} (or a full URI of this node)
     * @param handler receives its messages; {@code null} to poll instead
     * @return the new endpoint
     * @throws IllegalArgumentException when the name is invalid or already registered
     */
    public LocalEndpoint register(String name, MessageHandler handler) {
        requireOpen();
        return add(Uris.service(nodeId, name), false, callback(handler));
    }

    /**
     * Registers an endpoint whose messages go to {@code handler}; see {@link #register(String, MessageHandler)}.
     *
     * @param name a name such as {@code "echo"} (or a full URI of this node)
     * @param handler receives the messages
     * @return the new endpoint
     */
    public LocalEndpoint register(String name, Consumer<Message> handler) {
        requireOpen();
        return add(Uris.service(nodeId, name), false, handler);
    }

    /**
     * Registers a polled group endpoint; see {@link #registerGroup(String, MessageHandler)}.
     *
     * @param groupUri the group, e.g. {@code dtn://global/~news}
     * @return the group endpoint
     */
    public LocalEndpoint registerGroup(String groupUri) {
        requireOpen();
        return add(Uris.group(groupUri), true, null);
    }

    /**
     * Joins the group {@code groupUri}, e.g. {@code dtn://global/~news}: messages sent to it by any node reach
     * this endpoint. Groups match exactly (no sub-groups).
     *
     * @param groupUri the group, e.g. {@code dtn://global/~news}
     * @param handler receives its messages; {@code null} to poll instead
     * @return the group endpoint
     * @throws IllegalArgumentException when the URI is not a group URI or already registered
     */
    public LocalEndpoint registerGroup(String groupUri, MessageHandler handler) {
        requireOpen();
        return add(Uris.group(groupUri), true, callback(handler));
    }

    /**
     * Joins a group whose messages go to {@code handler}; see {@link #registerGroup(String, MessageHandler)}.
     *
     * @param groupUri the group, e.g. {@code dtn://global/~news}
     * @param handler receives the messages
     * @return the group endpoint
     */
    public LocalEndpoint registerGroup(String groupUri, Consumer<Message> handler) {
        requireOpen();
        return add(Uris.group(groupUri), true, handler);
    }

    /**
     * The nodes this node currently knows: discovered by IPND and configured.
     *
     * @return the known peers
     */
    public List<KnownPeer> discover() {
        requireOpen();
        return backend.peers();
    }

    /**
     * Adds a peer by convergence-layer URL, e.g. {@code mtcp://192.168.1.7:16162}: bundles are forwarded to it
     * as to a discovered one.
     *
     * @param claUrl the peer as {@code <cla>://<host>:<port>/<node name>}, e.g. {@code mtcp://192.168.1.7:16162/node2}
     * @throws IllegalArgumentException when the URL is malformed or names an unknown convergence layer
     */
    public void addPeer(String claUrl) {
        requireOpen();
        backend.addPeer(claUrl);
    }

    /**
     * The port the named convergence layer (e.g. {@code "mtcp"}) listens on; -1 when the node has none such.
     *
     * @param claName a convergence layer name such as {@code "mtcp"}
     * @return the port, or -1
     */
    public int port(String claName) {
        requireOpen();
        return backend.port(claName);
    }

    /**
     * A future completed with the status report that says the bundle was delivered at its destination. Reports
     * come only for bundles sent by a node built with {@link Builder#statusReports(boolean)} to a node that
     * generates them; the future stays pending otherwise (combine it with {@code orTimeout}).
     * @param bundleId the ID {@code send} returned
     * @return a future for the delivery report
     */
    public CompletableFuture<BundleStatusReport> deliveryReport(BundleId bundleId) {
        requireOpen();
        return backend.deliveryReport(Objects.requireNonNull(bundleId, "bundleId"));
    }

    /**
     * Runs the callbacks of the messages that arrived since the last call, in arrival order, on the calling
     * thread, and returns how many ran. Call it in a loop when writing the loop yourself.
     * @return how many callbacks ran
     */
    public int update() {
        requireOpen();
        return drain(0);
    }

    /**
     * Drives the node on the calling thread until it is closed or the thread interrupted: runs callbacks as
     * messages arrive and calls {@code loopCallback} every {@code interval} (first after one interval).
     * Close the node (e.g. from the loop callback) to return.
     *
     * @param loopCallback application logic to run periodically; may be null
     * @param interval the pause between rounds
     * @throws RuntimeException whatever the loop callback throws, which ends the loop
     */
    public void runForever(Runnable loopCallback, Duration interval) {
        requireOpen();
        long period = Objects.requireNonNull(interval, "interval").toNanos();
        if (period <= 0) {
            throw new IllegalArgumentException("the loop interval must be positive, not " + interval);
        }
        long next = System.nanoTime() + period;
        while (!closed && !Thread.currentThread().isInterrupted()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                drain(wait);
            }
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            if (now - next >= 0) {
                next = Math.max(next + period, now);
                if (loopCallback != null) {
                    loopCallback.run();
                }
            }
        }
    }

    /**
     * Starts the node's update thread, which runs callbacks as soon as messages arrive. It waits for messages
     * rather than polling, so there is no sleep time to tune. It is a daemon thread and ends with the node.
     *
     * @throws IllegalStateException when it is already running
     */
    public synchronized void startBackgroundUpdates() {
        requireOpen();
        if (updateThread != null) {
            throw new IllegalStateException("the background update thread of " + nodeId.uri()
                    + " is already running: start it only once");
        }
        Thread t = new Thread(this::backgroundLoop, "dtn7j-update-" + nodeId.uri());
        t.setDaemon(true);
        updateThread = t;
        t.start();
    }

    /**
     * True when the background update thread runs.
     *
     * @return whether it runs
     */
    public synchronized boolean hasBackgroundUpdates() {
        return updateThread != null;
    }

    /**
     * True once {@link #close()} was called.
     *
     * @return whether the node is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Unregisters every endpoint (pending {@code receive()} futures fail), stops the update thread and shuts
     * the agent down. Idempotent.
     */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            thread = updateThread;
        }
        for (LocalEndpoint e : List.copyOf(endpoints.values())) {
            e.markClosed();
        }
        endpoints.clear();
        callbacks.clear();
        if (thread != null && thread != Thread.currentThread()) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        backend.close();
    }

    @Override
    public String toString() {
        return "DtnNode[" + nodeId.uri() + (closed ? ", closed" : "") + "]";
    }

    // ---- package-private plumbing used by LocalEndpoint and Dtn

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the node " + nodeId.uri() + " was closed: start a new one with "
                    + "DtnNode.start(...) or Dtn.setup(...)");
        }
    }

    BundleId send(EndpointId source, byte[] payload, EndpointId destination, boolean anonymous) {
        requireOpen();
        Objects.requireNonNull(payload, "payload");
        return backend.send(source, destination, payload, anonymous);
    }

    void dispatch(LocalEndpoint endpoint, Message message) {
        callbacks.add(new Pending(endpoint, message));
    }

    void unregister(LocalEndpoint endpoint) {
        if (endpoint == nodeEndpoint) {
            throw new IllegalStateException("the node's own endpoint " + endpoint.uri()
                    + " lives as long as the node: close the node instead");
        }
        if (endpoints.remove(endpoint.eid(), endpoint)) {
            endpoint.markClosed();
            if (!closed) {
                backend.unregister(endpoint.eid());
            }
        }
    }

    private LocalEndpoint add(EndpointId eid, boolean group, Consumer<Message> handler) {
        LocalEndpoint endpoint = new LocalEndpoint(this, eid, group, handler);
        if (endpoints.putIfAbsent(eid, endpoint) != null) {
            throw new IllegalArgumentException("the endpoint " + eid.uri() + " is already registered on this node: "
                    + "keep using the endpoint object returned the first time, or close it before registering again");
        }
        try {
            backend.register(eid, endpoint::deliver);
        } catch (RuntimeException e) {
            endpoints.remove(eid, endpoint);
            throw e;
        }
        return endpoint;
    }

    private int drain(long waitNanos) {
        int ran = 0;
        try {
            if (waitNanos > 0) {
                if (!dispatchLock.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
                    return 0;
                }
            } else {
                dispatchLock.lock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        try {
            Pending p = waitNanos > 0 ? callbacks.poll(waitNanos, TimeUnit.NANOSECONDS) : callbacks.poll();
            while (p != null && !closed) {
                run(p);
                ran++;
                p = callbacks.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dispatchLock.unlock();
        }
        return ran;
    }

    private static void run(Pending p) {
        if (p.endpoint().isClosed()) {
            return;
        }
        try {
            p.endpoint().invokeCallback(p.message());
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "the callback of " + p.endpoint().uri() + " threw for "
                    + p.message() + "; the node goes on", e);
        }
    }

    private void backgroundLoop() {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            drain(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    static Consumer<Message> callback(MessageHandler handler) {
        if (handler == null) {
            return null;
        }
        return m -> handler.onMessage(m.payload(), m.source(), m.destination(), m.primaryBlock());
    }

    /**
     * Configures a node beyond the defaults. Every setting has a default; {@link #start()} starts the node.
     *
     * <pre>{@code
     * DtnNode node = DtnNode.builder("dtn://node1/")
     *         .mtcpPort(0)                      // ephemeral port
     *         .discovery(false)                 // no IPND
     *         .peer("mtcp://127.0.0.1:16162")   // a static peer instead
     *         .statusReports(true)
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        /** The MTCP port used when none is set: 16162, as dtn7-rs and dtn7zero. */
        public static final int DEFAULT_MTCP_PORT = 16162;
        /** The IPND port used when none is set: 3003, as dtn7-rs and dtn7zero. */
        public static final int DEFAULT_DISCOVERY_PORT = 3003;

        private final EndpointId nodeId;
        private Consumer<Message> onMessage;
        private boolean mtcp = true;
        private int mtcpPort = DEFAULT_MTCP_PORT;
        private boolean mtcpPortSet;
        private final List<ConvergenceLayer> convergenceLayers = new ArrayList<>();
        private Router router;
        private BundleStore store;
        private boolean discovery = true;
        private Duration discoveryInterval = Duration.ofSeconds(2);
        private int discoveryPort = DEFAULT_DISCOVERY_PORT;
        private final List<String> discoveryInterfaces = new ArrayList<>();
        private final List<String> discoveryDestinations = new ArrayList<>();
        private List<String> dtn7goDiscovery; // null = off
        private final List<String> peers = new ArrayList<>();
        private boolean statusReports;
        private CrcType crcType = CrcType.CRC32C;
        private io.dtn7j.bundle.codec.ValidationPolicy validationPolicy = io.dtn7j.bundle.codec.ValidationPolicy.DEFAULT;
        private Duration lifetime = Duration.ofHours(24);
        private boolean backgroundUpdates = true;

        Builder(EndpointId nodeId) {
            this.nodeId = nodeId;
            applySystemProperties();
        }

        /**
         * Lets a program be reconfigured without changing its code: every property that is set overrides the
         * built-in default (methods called afterwards override the properties).
         */
        private void applySystemProperties() {
            String v = System.getProperty("dtn7j.mtcp.port");
            if (v != null) {
                mtcpPort(intProperty("dtn7j.mtcp.port", v));
            }
            v = System.getProperty("dtn7j.discovery");
            if (v != null) {
                discovery(Boolean.parseBoolean(v.strip()));
            }
            v = System.getProperty("dtn7j.discovery.port");
            if (v != null) {
                discoveryPort(intProperty("dtn7j.discovery.port", v));
            }
            v = System.getProperty("dtn7j.discovery.interval");
            if (v != null) {
                discoveryInterval(Duration.ofMillis(intProperty("dtn7j.discovery.interval", v)));
            }
            v = System.getProperty("dtn7j.discovery.interfaces");
            if (v != null) {
                discoveryInterfaces(list(v));
            }
            v = System.getProperty("dtn7j.discovery.destinations");
            if (v != null) {
                discoveryDestinations(list(v));
            }
            v = System.getProperty("dtn7j.peers");
            if (v != null) {
                for (String peer : list(v)) {
                    peer(peer);
                }
            }
        }

        private static int intProperty(String name, String value) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property " + name + "=" + value + " is not a number", e);
            }
        }

        private static String[] list(String value) {
            return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                    .toArray(String[]::new);
        }

        /**
         * The callback of the node's own endpoint; without one the endpoint is polled.
         *
         * @param handler receives the messages
         * @return this builder
         */
        public Builder onMessage(MessageHandler handler) {
            this.onMessage = callback(handler);
            return this;
        }

        /**
         * The callback of the node's own endpoint, receiving whole {@link Message}s.
         *
         * @param handler receives the messages
         * @return this builder
         */
        public Builder onMessage(Consumer<Message> handler) {
            this.onMessage = handler;
            return this;
        }

        /**
         * The MTCP listening port (default 16162; if that is taken, an ephemeral one is used and logged).
         * 0 asks for an ephemeral port; {@link DtnNode#port(String)} tells which one.
          *
         * @param port the port, 0..65535 (0 = ephemeral)
         * @return this builder
         */
        public Builder mtcpPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("MTCP port " + port + " is out of range: use 0..65535 (0 = ephemeral)");
            }
            this.mtcpPort = port;
            this.mtcpPortSet = true;
            this.mtcp = true;
            return this;
        }

        /**
         * Leaves MTCP out (then add a convergence layer, or the node reaches no one).
         *
         * @return this builder
         */
        public Builder withoutMtcp() {
            this.mtcp = false;
            return this;
        }

        /**
         * Adds a convergence layer (e.g. TCPCLv4 from {@code ConvergenceLayers.create}), started with the node.
         *
         * @param cla a convergence layer, not yet started
         * @return this builder
         */
        public Builder convergenceLayer(ConvergenceLayer cla) {
            convergenceLayers.add(Objects.requireNonNull(cla, "cla"));
            return this;
        }

        /**
         * The router (default: epidemic).
         *
         * @param router the router
         * @return this builder
         */
        public Builder router(Router router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /**
         * The bundle store (default: in memory). The node closes it when it closes.
         *
         * @param store the bundle store
         * @return this builder
         */
        public Builder store(BundleStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Whether IPND neighbour discovery runs (default true).
         *
         * @param enabled true to turn it on
         * @return this builder
         */
        public Builder discovery(boolean enabled) {
            this.discovery = enabled;
            return this;
        }

        /**
         * How often beacons are sent (default 2 s).
         *
         * @param interval the pause between rounds
         * @return this builder
         */
        public Builder discoveryInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the discovery interval must be positive, not " + interval
                        + ": use discovery(false) to turn discovery off");
            }
            this.discoveryInterval = interval;
            return this;
        }

        /**
         * The UDP port beacons are received on (default 3003; 0 = ephemeral).
         *
         * @param port the port, 0..65535 (0 = ephemeral)
         * @return this builder
         */
        public Builder discoveryPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("discovery port " + port + " is out of range: use 0..65535");
            }
            this.discoveryPort = port;
            return this;
        }

        /**
         * Restricts IPND to these network interfaces (names such as {@code eth0}, {@code lo}): an allow-list.
         * Empty (the default) means every interface.
          *
         * @param interfaceNames interface names such as {@code eth0}
         * @return this builder
         */
        public Builder discoveryInterfaces(String... interfaceNames) {
            discoveryInterfaces.clear();
            discoveryInterfaces.addAll(List.of(interfaceNames));
            return this;
        }

        /**
         * Where beacons go ({@code host} or {@code host:port}); default: the IPND multicast group.
         *
         * @param destinations {@code host} or {@code host:port} entries
         * @return this builder
         */
        public Builder discoveryDestinations(String... destinations) {
            discoveryDestinations.clear();
            discoveryDestinations.addAll(List.of(destinations));
            return this;
        }

        /**
         * Also runs dtn7-go's own discovery ({@link io.dtn7j.core.discovery.Dtn7GoDiscovery}): announces this node's
         * MTCP listener to 224.23.23.23:35039 every 2 s and adds the dtn7-go nodes announced there as discovered
         * peers. dtn7-go 0.10 sends only to nodes it discovered this way. Independent of {@link #discovery(boolean)}
         * (IPND).
         *
         * @param interfaceNames interfaces to use (e.g. {@code lo}); none = every IPv4 interface that is up and can
         *                       multicast
         * @return this builder
         */
        public Builder dtn7goDiscovery(String... interfaceNames) {
            dtn7goDiscovery = List.of(interfaceNames);
            return this;
        }

        /**
         * Adds a static peer by convergence-layer URL, e.g. {@code mtcp://127.0.0.1:16162}.
         *
         * @param claUrl the peer as {@code <cla>://<host>:<port>/<node name>}, e.g. {@code mtcp://192.168.1.7:16162/node2}
         * @return this builder
         */
        public Builder peer(String claUrl) {
            peers.add(Objects.requireNonNull(claUrl, "claUrl"));
            return this;
        }

        /**
         * Whether the node generates status reports and asks for delivery reports on what it sends (default
         * false, as dtn7-rs); needed for {@link DtnNode#deliveryReport(BundleId)}.
          *
         * @param enabled true to turn it on
         * @return this builder
         */
        public Builder statusReports(boolean enabled) {
            this.statusReports = enabled;
            return this;
        }

        /**
         * The CRC type of the blocks of bundles this node creates (default CRC-32C, as RFC 9171 §4.3.1 asks; use
         * {@link CrcType#NONE} in networks with dtn7zero nodes, which reject every bundle that carries a CRC).
         *
         * @param crcType the CRC type
         * @return this builder
         */
        public Builder crcType(CrcType crcType) {
            this.crcType = Objects.requireNonNull(crcType, "crcType");
            return this;
        }

        /**
         * How strictly received bundles are validated (default {@code DEFAULT}). dtn7zero numbers its payload
         * block 2, which RFC 9171 §4.3.3 forbids and {@code DEFAULT} rejects: a node that must accept bundles
         * from dtn7zero or py-dtn7 uses {@code LENIENT}, which keeps every other {@code DEFAULT} check (see
         * docs/INTEROP.md).
         *
         * @param policy the validation policy
         * @return this builder
         */
        public Builder validationPolicy(io.dtn7j.bundle.codec.ValidationPolicy policy) {
            this.validationPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The lifetime of the bundles this node's endpoints send (default 24 hours, as dtn7zero).
         *
         * @param lifetime the lifetime
         * @return this builder
         */
        public Builder lifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("the bundle lifetime must be positive, not " + lifetime);
            }
            this.lifetime = lifetime;
            return this;
        }

        /**
         * Whether the node starts its background update thread, which runs callbacks (default true). Without it
         * the application calls {@link DtnNode#update()} or {@link DtnNode#runForever}.
          *
         * @param enabled true to turn it on
         * @return this builder
         */
        public Builder backgroundUpdates(boolean enabled) {
            this.backgroundUpdates = enabled;
            return this;
        }

        /**
         * Starts the node: store, router, convergence layers, discovery, and the node's own endpoint.
         *
         * @return the running node
         * @throws java.io.UncheckedIOException when a convergence layer cannot listen on its port
         */
        public DtnNode start() {
            NodeSettings settings = new NodeSettings(nodeId, mtcp, mtcpPort, mtcpPortSet,
                    List.copyOf(convergenceLayers), router, store, discovery, discoveryInterval, discoveryPort,
                    List.copyOf(discoveryInterfaces), List.copyOf(discoveryDestinations), List.copyOf(peers),
                    statusReports, crcType, lifetime, validationPolicy, dtn7goDiscovery);
            return new DtnNode(AgentBackend.start(settings), onMessage, backgroundUpdates);
        }
    }
}
