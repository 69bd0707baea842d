package io.dtn7j.core.agent;

import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.ValidationPolicy;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.routing.EpidemicRouter;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.core.time.DtnClock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of a {@link BundleProtocolAgent}; build with {@link #builder(EndpointId)}. Immutable.
 * Defaults follow dtn7-rs where it has one: epidemic routing, in-memory store, janitor every 10 s, peer timeout
 * 20 s, status reports off ({@code dtnd -g} turns them on), hop limit 32 and lifetime 1 h for created bundles.
 */
public final class AgentConfig {
    private final EndpointId nodeId;
    private final BundleStore store;
    private final Router router;
    private final List<ConvergenceLayer> convergenceLayers;
    private final List<Peer> staticPeers;
    private final boolean statusReports;
    private final CrcType crcType;
    private final Duration janitorInterval;
    private final Duration peerTimeout;
    private final DtnClock clock;
    private final int hopLimit;
    private final Duration defaultLifetime;
    private final long maxBundleSize;
    private final ValidationPolicy validationPolicy;
    private final int seenCapacity;
    private final Path spoolDirectory;

    private AgentConfig(Builder b) {
        this.nodeId = b.nodeId;
        this.store = b.store != null ? b.store : new MemoryBundleStore();
        this.router = b.router != null ? b.router : new EpidemicRouter();
        this.convergenceLayers = List.copyOf(b.convergenceLayers);
        this.staticPeers = List.copyOf(b.staticPeers);
        this.statusReports = b.statusReports;
        this.crcType = b.crcType;
        this.janitorInterval = b.janitorInterval;
        this.peerTimeout = b.peerTimeout;
        this.clock = b.clock;
        this.hopLimit = b.hopLimit;
        this.defaultLifetime = b.defaultLifetime;
        this.maxBundleSize = b.maxBundleSize;
        this.validationPolicy = b.validationPolicy;
        this.seenCapacity = b.seenCapacity;
        this.spoolDirectory = b.spoolDirectory;
    }

    /**
     * A builder for a node with ID {@code nodeId} ({@code dtn://node/} or {@code ipn:N.0}).
     *
     * @param nodeId the node ID
     * @return the builder
     */
    public static Builder builder(EndpointId nodeId) {
        return new Builder(nodeId);
    }

    /**
     * A builder for a node with ID {@code nodeIdUri}.
     *
     * @param nodeIdUri the node ID's URI
     * @return the builder
     */
    public static Builder builder(String nodeIdUri) {
        return new Builder(EndpointId.parse(nodeIdUri));
    }

    /** {@return this node's ID} */
    public EndpointId nodeId() { return nodeId; }
    /** {@return the bundle store} */
    public BundleStore store() { return store; }
    /** {@return the router} */
    public Router router() { return router; }
    /** {@return convergence layers the agent starts and sends over} */
    public List<ConvergenceLayer> convergenceLayers() { return convergenceLayers; }
    /** {@return configured peers (never expire)} */
    public List<Peer> staticPeers() { return staticPeers; }
    /** {@return whether status reports are generated when bundles ask for them (RFC 9171 §6)} */
    public boolean statusReports() { return statusReports; }
    /** {@return CRC type of bundles this node creates (including status reports' fallback)} */
    public CrcType crcType() { return crcType; }
    /**
     * {@return interval of the janitor (expiry, peer timeout, forwarding retries); zero = no automatic janitor}
     */
    public Duration janitorInterval() { return janitorInterval; }
    /** {@return how long a discovered peer without beacon period stays known without being seen} */
    public Duration peerTimeout() { return peerTimeout; }
    /** {@return the agent's clock} */
    public DtnClock clock() { return clock; }
    /** {@return hop limit of created bundles (a hop count block is added); 0 = no hop count block} */
    public int hopLimit() { return hopLimit; }
    /** {@return lifetime of created bundles when the request names none} */
    public Duration defaultLifetime() { return defaultLifetime; }
    /** {@return largest encoded bundle accepted from CLAs} */
    public long maxBundleSize() { return maxBundleSize; }
    /** {@return how strictly received bundles are validated} */
    public ValidationPolicy validationPolicy() { return validationPolicy; }
    /** {@return how many bundle IDs the duplicate filter remembers} */
    public int seenCapacity() { return seenCapacity; }
    /** {@return where CLAs spool large incoming bundles; {@code null} = a temporary directory} */
    public Path spoolDirectory() { return spoolDirectory; }

    /** Builds an {@link AgentConfig}. */
    public static final class Builder {
        private final EndpointId nodeId;
        private BundleStore store;
        private Router router;
        private final List<ConvergenceLayer> convergenceLayers = new ArrayList<>();
        private final List<Peer> staticPeers = new ArrayList<>();
        private boolean statusReports;
        private CrcType crcType = CrcType.CRC32C;
        private Duration janitorInterval = Duration.ofSeconds(10);
        private Duration peerTimeout = Duration.ofSeconds(20);
        private DtnClock clock = DtnClock.system();
        private int hopLimit = 32;
        private Duration defaultLifetime = Duration.ofHours(1);
        private long maxBundleSize = Long.MAX_VALUE;
        private ValidationPolicy validationPolicy = ValidationPolicy.DEFAULT;
        private int seenCapacity = 100_000;
        private Path spoolDirectory;

        private Builder(EndpointId nodeId) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (nodeId.isNone()) {
                throw new IllegalArgumentException("the node ID must not be dtn:none");
            }
            if (!nodeId.isSingleton()) {
                throw new IllegalArgumentException("the node ID must be a singleton endpoint, got " + nodeId);
            }
            this.nodeId = nodeId.nodeId();
        }

        /**
         * The bundle store (default: an unlimited {@link MemoryBundleStore}).
         *
         * @param s the store
         * @return this builder
         */
        public Builder store(BundleStore s) { this.store = Objects.requireNonNull(s); return this; }
        /**
         * The router (default: epidemic).
         *
         * @param r the router
         * @return this builder
         */
        public Builder router(Router r) { this.router = Objects.requireNonNull(r); return this; }
        /**
         * Adds a convergence layer.
         *
         * @param c the convergence layer
         * @return this builder
         */
        public Builder convergenceLayer(ConvergenceLayer c) { this.convergenceLayers.add(Objects.requireNonNull(c)); return this; }
        /**
         * Adds convergence layers.
         *
         * @param list the convergence layers
         * @return this builder
         */
        public Builder convergenceLayers(List<? extends ConvergenceLayer> list) { list.forEach(this::convergenceLayer); return this; }
        /**
         * Adds a static peer.
         *
         * @param p the peer
         * @return this builder
         */
        public Builder staticPeer(Peer p) { this.staticPeers.add(Objects.requireNonNull(p)); return this; }
        /**
         * Turns status report generation on or off (default off, as dtn7-rs without {@code -g}).
         *
         * @param on true to generate status reports
         * @return this builder
         */
        public Builder statusReports(boolean on) { this.statusReports = on; return this; }
        /**
         * CRC type of created bundles (default CRC-32C).
         *
         * @param c the CRC type
         * @return this builder
         */
        public Builder crcType(CrcType c) { this.crcType = Objects.requireNonNull(c); return this; }
        /**
         * Janitor interval (default 10 s; zero disables the automatic janitor, see {@link
         * BundleProtocolAgent#runJanitor()}).
         *
         * @param d the interval
         * @return this builder
         */
        public Builder janitorInterval(Duration d) { this.janitorInterval = nonNegative(d, "janitor interval"); return this; }
        /**
         * Peer timeout (default 20 s).
         *
         * @param d how long a discovered peer without a beacon period is kept after it was last seen
         * @return this builder
         */
        public Builder peerTimeout(Duration d) { this.peerTimeout = nonNegative(d, "peer timeout"); return this; }
        /**
         * Clock (default: system clock).
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(DtnClock c) { this.clock = Objects.requireNonNull(c); return this; }
        /**
         * Hop limit of created bundles (default 32; 0 = no hop count block; at most 255).
         *
         * @param h the hop limit
         * @return this builder
         */
        public Builder hopLimit(int h) {
            if (h < 0 || h > 255) {
                throw new IllegalArgumentException("hop limit must be 0..255, got " + h);
            }
            this.hopLimit = h;
            return this;
        }
        /**
         * Lifetime of created bundles when none is requested (default 1 h).
         *
         * @param d the lifetime
         * @return this builder
         */
        public Builder defaultLifetime(Duration d) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("default lifetime must be positive, got " + d);
            }
            this.defaultLifetime = d;
            return this;
        }
        /**
         * Largest encoded bundle accepted from CLAs (default unlimited).
         *
         * @param max the size in bytes
         * @return this builder
         */
        public Builder maxBundleSize(long max) {
            if (max <= 0) {
                throw new IllegalArgumentException("max bundle size must be positive, got " + max);
            }
            this.maxBundleSize = max;
            return this;
        }
        /**
         * Validation of received bundles (default {@link ValidationPolicy#DEFAULT}).
         *
         * @param p the policy
         * @return this builder
         */
        public Builder validationPolicy(ValidationPolicy p) { this.validationPolicy = Objects.requireNonNull(p); return this; }
        /**
         * Capacity of the duplicate filter (default 100,000 bundle IDs).
         *
         * @param n the number of bundle IDs remembered
         * @return this builder
         */
        public Builder seenCapacity(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("seen capacity must be positive, got " + n);
            }
            this.seenCapacity = n;
            return this;
        }
        /**
         * Spool directory for CLAs (default: a new temporary directory).
         *
         * @param p the directory
         * @return this builder
         */
        public Builder spoolDirectory(Path p) { this.spoolDirectory = p; return this; }

        /** {@return the configuration} */
        public AgentConfig build() {
            return new AgentConfig(this);
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + d);
            }
            return d;
        }
    }
}
