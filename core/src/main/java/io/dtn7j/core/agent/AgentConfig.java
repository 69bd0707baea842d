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

    /** A builder for a node with ID {@code nodeId} ({@code dtn://node/} or {@code ipn:N.0}). */
    public static Builder builder(EndpointId nodeId) {
        return new Builder(nodeId);
    }

    /** A builder for a node with ID {@code nodeIdUri}. */
    public static Builder builder(String nodeIdUri) {
        return new Builder(EndpointId.parse(nodeIdUri));
    }

    /** This node's ID. */
    public EndpointId nodeId() { return nodeId; }
    /** The bundle store. */
    public BundleStore store() { return store; }
    /** The router. */
    public Router router() { return router; }
    /** Convergence layers the agent starts and sends over. */
    public List<ConvergenceLayer> convergenceLayers() { return convergenceLayers; }
    /** Configured peers (never expire). */
    public List<Peer> staticPeers() { return staticPeers; }
    /** Whether status reports are generated when bundles ask for them (RFC 9171 §6). */
    public boolean statusReports() { return statusReports; }
    /** CRC type of bundles this node creates (including status reports' fallback). */
    public CrcType crcType() { return crcType; }
    /** Interval of the janitor (expiry, peer timeout, forwarding retries); zero = no automatic janitor. */
    public Duration janitorInterval() { return janitorInterval; }
    /** How long a discovered peer without beacon period stays known without being seen. */
    public Duration peerTimeout() { return peerTimeout; }
    /** The agent's clock. */
    public DtnClock clock() { return clock; }
    /** Hop limit of created bundles (a hop count block is added); 0 = no hop count block. */
    public int hopLimit() { return hopLimit; }
    /** Lifetime of created bundles when the request names none. */
    public Duration defaultLifetime() { return defaultLifetime; }
    /** Largest encoded bundle accepted from CLAs. */
    public long maxBundleSize() { return maxBundleSize; }
    /** How strictly received bundles are validated. */
    public ValidationPolicy validationPolicy() { return validationPolicy; }
    /** How many bundle IDs the duplicate filter remembers. */
    public int seenCapacity() { return seenCapacity; }
    /** Where CLAs spool large incoming bundles; {@code null} = a temporary directory. */
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

        /** The bundle store (default: an unlimited {@link MemoryBundleStore}). */
        public Builder store(BundleStore s) { this.store = Objects.requireNonNull(s); return this; }
        /** The router (default: epidemic). */
        public Builder router(Router r) { this.router = Objects.requireNonNull(r); return this; }
        /** Adds a convergence layer. */
        public Builder convergenceLayer(ConvergenceLayer c) { this.convergenceLayers.add(Objects.requireNonNull(c)); return this; }
        /** Adds convergence layers. */
        public Builder convergenceLayers(List<? extends ConvergenceLayer> list) { list.forEach(this::convergenceLayer); return this; }
        /** Adds a static peer. */
        public Builder staticPeer(Peer p) { this.staticPeers.add(Objects.requireNonNull(p)); return this; }
        /** Turns status report generation on or off (default off, as dtn7-rs without {@code -g}). */
        public Builder statusReports(boolean on) { this.statusReports = on; return this; }
        /** CRC type of created bundles (default CRC-32C). */
        public Builder crcType(CrcType c) { this.crcType = Objects.requireNonNull(c); return this; }
        /** Janitor interval (default 10 s; zero disables the automatic janitor, see {@link BundleProtocolAgent#runJanitor()}). */
        public Builder janitorInterval(Duration d) { this.janitorInterval = nonNegative(d, "janitor interval"); return this; }
        /** Peer timeout (default 20 s). */
        public Builder peerTimeout(Duration d) { this.peerTimeout = nonNegative(d, "peer timeout"); return this; }
        /** Clock (default: system clock). */
        public Builder clock(DtnClock c) { this.clock = Objects.requireNonNull(c); return this; }
        /** Hop limit of created bundles (default 32; 0 = no hop count block; at most 255). */
        public Builder hopLimit(int h) {
            if (h < 0 || h > 255) {
                throw new IllegalArgumentException("hop limit must be 0..255, got " + h);
            }
            this.hopLimit = h;
            return this;
        }
        /** Lifetime of created bundles when none is requested (default 1 h). */
        public Builder defaultLifetime(Duration d) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("default lifetime must be positive, got " + d);
            }
            this.defaultLifetime = d;
            return this;
        }
        /** Largest encoded bundle accepted from CLAs (default unlimited). */
        public Builder maxBundleSize(long max) {
            if (max <= 0) {
                throw new IllegalArgumentException("max bundle size must be positive, got " + max);
            }
            this.maxBundleSize = max;
            return this;
        }
        /** Validation of received bundles (default {@link ValidationPolicy#DEFAULT}). */
        public Builder validationPolicy(ValidationPolicy p) { this.validationPolicy = Objects.requireNonNull(p); return this; }
        /** Capacity of the duplicate filter (default 100,000 bundle IDs). */
        public Builder seenCapacity(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("seen capacity must be positive, got " + n);
            }
            this.seenCapacity = n;
            return this;
        }
        /** Spool directory for CLAs (default: a new temporary directory). */
        public Builder spoolDirectory(Path p) { this.spoolDirectory = p; return this; }

        /** The configuration. */
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
