package io.dtn7j.core.agent;

import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.HopCountBlock;
import io.dtn7j.bundle.admin.AdministrativeRecord;
import io.dtn7j.bundle.admin.BundleStatusReport;
import io.dtn7j.bundle.admin.BundleStatusReport.Status;
import io.dtn7j.bundle.admin.StatusReportReason;
import io.dtn7j.bundle.admin.StatusReports;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.EncodedBundle;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.bundle.fragment.Fragmenter;
import io.dtn7j.bundle.fragment.Reassembler;
import io.dtn7j.bundle.fragment.ReassemblyOptions;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.core.peer.PeerTable;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.routing.RoutingDecision;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.store.StoreException;
import io.dtn7j.core.store.StoreFullException;
import io.dtn7j.core.time.DtnClock;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The bundle protocol agent (RFC 9171 §3.1, §5): it creates, receives, stores, routes, forwards, fragments,
 * reassembles, delivers and deletes bundles, and reports on them (§6).
 *
 * <p>Create it from an {@link AgentConfig}, then {@link #start()} it (this starts the convergence layers and the
 * janitor); {@link #close()} stops everything. It is the {@link ClaContext} of its convergence layers. All public
 * methods are thread-safe; forwarding and deliveries run on virtual threads.
 *
 * <p>Processing follows RFC 9171 §5: transmission (§5.2, {@link #send}), dispatching (§5.3), forwarding (§5.4) with
 * contraindication and retries whenever a peer or link comes up and on each janitor run, forwarding failure (§5.4.2),
 * reception (§5.6, {@link #receive}, including unsupported-block handling by block flags), local delivery (§5.7) with
 * deferred delivery for passive registrations and unregistered local endpoints, proactive fragmentation when a CLA's
 * {@link ConvergenceLayer#maxBundleSize()} demands it (§5.8), reassembly (§5.9), deletion (§5.10) and discarding
 * (§5.11).
 */
public final class BundleProtocolAgent implements ClaContext, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BundleProtocolAgent.class.getName());
    private static final int LOCK_STRIPES = 256;
    /** Encoded outgoing bundles larger than this are written to a spool file rather than held in heap. */
    private static final long SPOOL_OUTGOING_ABOVE = 16L * 1024 * 1024;

    private final AgentConfig config;
    private final EndpointId nodeId;
    private final BundleStore store;
    private final Router router;
    private final DtnClock clock;
    /** The CLAs by name; replaced as a whole (copy on write) when one is added or removed at run time. */
    private volatile Map<String, ConvergenceLayer> clas = new LinkedHashMap<>();
    private final Object claLock = new Object();
    private final PeerTable peers = new PeerTable();
    private final Map<String, List<RegistrationImpl>> registrations = new ConcurrentHashMap<>();
    private final SeenBundles seen;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final Set<FlightKey> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<BundleId, AtomicInteger> pendingDeliveries = new ConcurrentHashMap<>();
    /** Stored bundles whose delivery has been reported already; forgotten when the bundle leaves the store. */
    private final Set<BundleId> deliveryReported = ConcurrentHashMap.newKeySet();
    /** Decoded bundles queued for local delivery (see rememberForDelivery); keys are always in pendingDeliveries. */
    private final Map<BundleId, DecodedForDelivery> decodedForDelivery = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong decodedBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Bundles for local endpoints without a registration (yet), by registration key: deferred delivery. */
    private final Map<String, Set<BundleId>> waitingLocal = new ConcurrentHashMap<>();
    private final Map<ReportKey, PendingReport> reportFutures = new ConcurrentHashMap<>();
    /**
     * Status reports that arrived before anyone asked for them (a report can overtake the {@code deliveryReport}
     * call that follows a send), so a later {@link #statusReport} still sees them; the most recent
     * {@value #RECENT_REPORTS} only. Guarded by {@link #reportLock}, as is the hand-over between the two maps.
     */
    private final Map<ReportKey, BundleStatusReport> recentReports = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ReportKey, BundleStatusReport> eldest) {
            return size() > RECENT_REPORTS;
        }
    };
    private static final int RECENT_REPORTS = 1024;
    private final Object reportLock = new Object();
    private final List<Consumer<BundleStatusReport>> statusReportListeners = new CopyOnWriteArrayList<>();
    private final Set<Long> knownBlockTypes;
    private final DecodeOptions receiveOptions;
    private final DecodeOptions storedOptions = DecodeOptions.PARSE_ONLY;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dtn7j-agent").factory());
    private final AtomicBoolean rescanPending = new AtomicBoolean();
    private final Map<BundleId, PendingAdu> reassembling = new ConcurrentHashMap<>();
    private final AtomicInteger reassemblyCounter = new AtomicInteger();
    private final Counters counters = new Counters();
    private final Object sequenceLock = new Object();
    private long lastCreationMs = -1;
    private long sequence;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile Thread janitor;
    private volatile Path spoolDirectory;

    private static final long DECODED_FOR_DELIVERY_BYTES = 64L << 20;

    private record DecodedForDelivery(Bundle bundle, long size) {
    }

    private record ReportKey(BundleId subject, Status status) {
    }

    private record PendingReport(CompletableFuture<BundleStatusReport> future, long expiryDtnMs) {
    }

    /**
     * Creates an agent; nothing runs until {@link #start()}.
     *
     * @param config the node's configuration
     */
    public BundleProtocolAgent(AgentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.nodeId = config.nodeId();
        this.store = config.store();
        this.router = config.router();
        this.clock = config.clock();
        this.seen = new SeenBundles(config.seenCapacity());
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
        for (ConvergenceLayer c : config.convergenceLayers()) {
            if (clas.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("two convergence layers named '" + c.name()
                        + "'; the agent picks a CLA by the name in a peer's address, so names must be unique");
            }
        }
        Set<Long> known = new HashSet<>(List.of(BlockType.PAYLOAD, BlockType.PREVIOUS_NODE, BlockType.BUNDLE_AGE,
                BlockType.HOP_COUNT));
        known.addAll(router.blockTypes());
        this.knownBlockTypes = Set.copyOf(known);
        this.receiveOptions = DecodeOptions.of(config.validationPolicy()).withMaxBundleSize(config.maxBundleSize())
                .withDeviationListener(this::deviationAccepted);
        this.spoolDirectory = config.spoolDirectory();
    }

    /**
     * Creates and starts an agent.
     *
     * @param config the node's configuration
     * @return the running agent
     * @throws IOException if a convergence layer cannot be started (e.g. its port is in use)
     */
    public static BundleProtocolAgent start(AgentConfig config) throws IOException {
        BundleProtocolAgent a = new BundleProtocolAgent(config);
        a.start();
        return a;
    }

    /**
     * Recovers stored bundles (re-queues forwarding, reassembly), adds static peers, starts the convergence layers and
     * the janitor.
     *
     * @throws IOException if a convergence layer cannot start (those started are closed again)
     */
    public synchronized void start() throws IOException {
        if (started) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the agent is closed");
        }
        started = true;
        recover();
        for (Peer p : config.staticPeers()) {
            addStaticPeer(p);
        }
        List<ConvergenceLayer> running = new ArrayList<>();
        try {
            for (ConvergenceLayer c : clas.values()) {
                c.start(this);
                running.add(c);
            }
        } catch (IOException | RuntimeException e) {
            running.forEach(ConvergenceLayer::close);
            started = false;
            throw e;
        }
        if (!config.janitorInterval().isZero()) {
            janitor = Thread.ofVirtual().name("dtn7j-janitor").start(this::janitorLoop);
        }
        LOG.log(INFO, "agent {0} started: router {1}, CLAs {2}, store {3} bundles", nodeId, router.name(),
                clas.keySet(), store.count());
        reforwardAll();
    }

    private void recover() {
        List<BundleMetadata> all = new ArrayList<>();
        store.forEach(all::add);
        for (BundleMetadata md : all) {
            seen.add(md.id());
            reserveCreationTimestamp(md.id());
            if (md.has(Constraint.REASSEMBLY_PENDING)) {
                loadBundle(md.id()).ifPresent(this::feedReassembler);
            }
            if (md.has(Constraint.LOCAL_ENDPOINT)) {
                waitingLocal.computeIfAbsent(eidKey(md.destination()), k -> ConcurrentHashMap.newKeySet()).add(md.id());
            }
            if (md.has(Constraint.DISPATCH_PENDING)) {
                runAsync(() -> redispatch(md.id()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** This node's ID. */
    @Override
    public EndpointId nodeId() {
        return nodeId;
    }

    /** {@return the configuration} */
    public AgentConfig config() {
        return config;
    }

    /** {@return the router in use} */
    public Router router() {
        return router;
    }

    /** {@return the bundle store} */
    public BundleStore store() {
        return store;
    }

    /** {@return the agent's clock} */
    public DtnClock clock() {
        return clock;
    }

    /** {@return the convergence layers, by name} */
    public Map<String, ConvergenceLayer> convergenceLayers() {
        return Map.copyOf(clas);
    }

    /**
     * Adds a convergence layer to the running agent (e.g. an external CLA module that registered over the daemon's
     * ECLA interface), starts it, and re-runs forwarding so waiting bundles can use it.
     *
     * @param cla the convergence layer; its name must not be in use
     * @throws IllegalArgumentException if a CLA of that name already runs
     * @throws IllegalStateException if the agent is not running
     * @throws IOException if the CLA cannot start
     */
    public void addConvergenceLayer(ConvergenceLayer cla) throws IOException {
        Objects.requireNonNull(cla, "cla");
        synchronized (claLock) {
            if (closed || !started) {
                throw new IllegalStateException("the agent is not running: cannot add convergence layer " + cla.name());
            }
            if (clas.containsKey(cla.name())) {
                throw new IllegalArgumentException("a convergence layer named '" + cla.name() + "' already runs");
            }
            cla.start(this);
            Map<String, ConvergenceLayer> next = new LinkedHashMap<>(clas);
            next.put(cla.name(), cla);
            clas = next;
        }
        LOG.log(INFO, "convergence layer {0} added", cla.name());
        reforwardAll();
    }

    /**
     * Removes and closes a convergence layer added with {@link #addConvergenceLayer}; bundles in transit over it
     * fail and are retried over other CLAs.
     *
     * @param name the CLA's name
     * @return true if a CLA of that name ran and is now removed
     */
    public boolean removeConvergenceLayer(String name) {
        ConvergenceLayer removed;
        synchronized (claLock) {
            Map<String, ConvergenceLayer> next = new LinkedHashMap<>(clas);
            removed = next.remove(name);
            if (removed == null) {
                return false;
            }
            clas = next;
        }
        try {
            removed.close();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "closing CLA " + name + " failed", e);
        }
        LOG.log(INFO, "convergence layer {0} removed", name);
        return true;
    }

    /**
     * Counts and logs a deviation from RFC 9171 that the validation policy waives for a received bundle (issue 2:
     * accepted by default, counted and logged). The first occurrence of each kind is logged at INFO, later ones at
     * DEBUG, so a chatty peer cannot flood the log.
     */
    private void deviationAccepted(io.dtn7j.bundle.Bundle bundle, io.dtn7j.bundle.codec.Deviation deviation,
                                   String detail) {
        LongAdder n = counters.deviations.get(deviation);
        boolean first = n.sum() == 0;
        n.increment();
        LOG.log(first ? INFO : DEBUG, () -> "accepted bundle " + bundle.id() + " despite RFC 9171 deviation "
                + deviation + " (" + detail + "); further ones are counted and logged at DEBUG");
    }

    /** {@return a snapshot of the counters} */
    public AgentStatistics statistics() {
        Map<String, Long> deleted = new LinkedHashMap<>();
        counters.deleted.forEach((r, n) -> {
            if (n.sum() > 0) {
                deleted.put(r.name().toLowerCase(java.util.Locale.ROOT), n.sum());
            }
        });
        Map<String, Long> deviations = new LinkedHashMap<>();
        counters.deviations.forEach((d, n) -> {
            if (n.sum() > 0) {
                deviations.put(d.name().toLowerCase(java.util.Locale.ROOT), n.sum());
            }
        });
        int regs = registrations.values().stream().mapToInt(List::size).sum();
        return new AgentStatistics(counters.received.sum(), counters.receivedBytes.sum(), counters.rejected.sum(),
                counters.duplicates.sum(), counters.created.sum(), counters.forwarded.sum(),
                counters.forwardedBytes.sum(), counters.forwardFailures.sum(), counters.delivered.sum(), deleted,
                counters.reportsSent.sum(), counters.reportsReceived.sum(), counters.fragmentsCreated.sum(),
                counters.reassembled.sum(), store.count(), store.bytes(), peers.size(), regs, deviations);
    }

    // ------------------------------------------------------------------------------------------------ registrations

    /**
     * Registers an endpoint (RFC 9171 §3.3). With a listener the registration is active (bundles are pushed to
     * it);
     * with {@code null} it is passive (bundles wait in the store until polled). Bundles already waiting for the
     * endpoint are delivered to the new registration.
     *
     *
     * @param endpoint the endpoint to register
     * @param listener receives deliveries, or null for a passive registration
     * @throws IllegalArgumentException for {@code dtn:none}, or for a singleton endpoint of another node
     * @return the registration; closing it unregisters
     */
    public Registration register(EndpointId endpoint, DeliveryListener listener) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint.isNone()) {
            throw new IllegalArgumentException("dtn:none cannot be registered");
        }
        if (endpoint.isSingleton() && !isOwnNode(endpoint)) {
            throw new IllegalArgumentException("endpoint " + endpoint + " belongs to node " + endpoint.nodeId()
                    + ", not to this node " + nodeId + "; register endpoints of this node or group endpoints (~)");
        }
        checkOpen();
        RegistrationImpl reg = new RegistrationImpl(this, endpoint, listener);
        registrations.computeIfAbsent(eidKey(endpoint), k -> new CopyOnWriteArrayList<>()).add(reg);
        reg.start();
        LOG.log(DEBUG, "registered {0}", reg);
        // deferred delivery: bundles that arrived before the registration (whoever removes an ID from the waiting
        // index delivers it, so a bundle arriving concurrently is queued exactly once)
        Set<BundleId> waiting = waitingLocal.get(eidKey(endpoint));
        if (waiting != null) {
            for (BundleId id : List.copyOf(waiting)) {
                if (waiting.remove(id) && store.contains(id)) {
                    pendingDeliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    reg.enqueue(id);
                }
            }
        }
        return reg;
    }

    /**
     * Registers the endpoint given by URI; see {@link #register(EndpointId, DeliveryListener)}.
     *
     * @param endpointUri the endpoint's URI
     * @param listener receives deliveries, or null for a passive registration
     * @return the registration; closing it unregisters
     */
    public Registration register(String endpointUri, DeliveryListener listener) {
        return register(EndpointId.parse(endpointUri), listener);
    }

    /**
     * Closes every registration of {@code endpoint}; returns whether there was one.
     *
     * @param endpoint the endpoint
     * @return true if it was registered
     */
    public boolean unregister(EndpointId endpoint) {
        List<RegistrationImpl> list = registrations.get(eidKey(endpoint));
        if (list == null || list.isEmpty()) {
            return false;
        }
        for (RegistrationImpl r : List.copyOf(list)) {
            r.close();
        }
        return true;
    }

    /**
     * The next bundle waiting for a passive registration of {@code endpoint}, or empty.
     *
     * @param endpoint the endpoint
     * @return the oldest waiting delivery, or empty
     */
    public Optional<Delivery> poll(EndpointId endpoint) {
        List<RegistrationImpl> list = registrations.get(eidKey(endpoint));
        if (list != null) {
            for (RegistrationImpl r : list) {
                if (!r.isActive()) {
                    Optional<Delivery> d = r.poll();
                    if (d.isPresent()) {
                        return d;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #poll(EndpointId)}, but waits up to {@code timeout} for a bundle to arrive (woken by the delivery
     * itself, no polling interval), so that an API front end can hand a bundle on as soon as it is delivered.
     *
     * @param endpoint the endpoint of a passive registration
     * @param timeout how long to wait at most
     * @return the oldest waiting delivery, or empty if none arrived in time (or the endpoint has no passive
     *         registration)
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Optional<Delivery> poll(EndpointId endpoint, Duration timeout) throws InterruptedException {
        Optional<Delivery> now = poll(endpoint);
        if (now.isPresent() || timeout.isZero() || timeout.isNegative()) {
            return now;
        }
        List<RegistrationImpl> list = registrations.get(eidKey(endpoint));
        if (list != null) {
            for (RegistrationImpl r : list) {
                if (!r.isActive()) {
                    return r.poll(timeout);
                }
            }
        }
        return Optional.empty();
    }

    /** {@return the registered endpoints} */
    public Set<EndpointId> endpoints() {
        Set<EndpointId> out = new java.util.LinkedHashSet<>();
        out.add(nodeId);
        registrations.values().forEach(l -> l.forEach(r -> out.add(r.endpoint())));
        return out;
    }

    void removeRegistration(RegistrationImpl reg) {
        registrations.computeIfPresent(eidKey(reg.endpoint()), (k, list) -> {
            list.remove(reg);
            return list.isEmpty() ? null : list;
        });
        // bundles queued for it stay LOCAL_ENDPOINT in the store and wait for a later registration
        for (BundleId id : reg.queuedIds()) {
            undelivered(id, reg.endpoint());
        }
    }

    /** A queued bundle was not delivered (its registration closed): it waits for another registration. */
    void undelivered(BundleId id, EndpointId endpoint) {
        AtomicInteger left = pendingDeliveries.get(id);
        if (left == null || left.decrementAndGet() <= 0) {
            pendingDeliveries.remove(id);
            forgetDecoded(id);
            waitingLocal.computeIfAbsent(eidKey(endpoint), k -> ConcurrentHashMap.newKeySet()).add(id);
        }
    }

    // ------------------------------------------------------------------------------------------------ status reports

    /**
     * A future completed with the first status report asserting "delivered" for {@code bundle} (sent by this
     * node with
     * a delivery report request, and report-to an endpoint of this node). Completed exceptionally with
     * {@link java.util.concurrent.TimeoutException} when the bundle's lifetime passes without one.
     *
     * @param bundle the ID of a bundle this node sent
     * @return the future
     */
    public CompletableFuture<BundleStatusReport> deliveryReport(BundleId bundle) {
        return statusReport(bundle, Status.DELIVERED);
    }

    /**
     * Like {@link #deliveryReport} for any status (received, forwarded, delivered, deleted).
     *
     * @param bundle the ID of a bundle this node sent
     * @param status the status to wait for
     * @return the future
     */
    public CompletableFuture<BundleStatusReport> statusReport(BundleId bundle, Status status) {
        long expiry = store.metadata(bundle).map(BundleMetadata::expiryDtnMs)
                .orElse(clock.nowDtnMs() + config.defaultLifetime().toMillis());
        ReportKey key = new ReportKey(bundle, status);
        synchronized (reportLock) {
            BundleStatusReport early = recentReports.remove(key);
            if (early != null) {
                return CompletableFuture.completedFuture(early);
            }
            return reportFutures.computeIfAbsent(key, k -> new PendingReport(new CompletableFuture<>(), expiry))
                    .future();
        }
    }

    /**
     * Adds a listener for every status report this node receives (for logs, web pages, ...).
     *
     * @param listener called with every received status report
     */
    public void addStatusReportListener(Consumer<BundleStatusReport> listener) {
        statusReportListeners.add(Objects.requireNonNull(listener));
    }

    // ------------------------------------------------------------------------------------------------ peers

    /** {@return known peers} */
    public Collection<Peer> peers() {
        return peers.all();
    }

    /**
     * Adds a configured peer (never expires).
     *
     * @param peer the peer
     */
    public void addStaticPeer(Peer peer) {
        Peer p = new Peer(peer.nodeId(), peer.addresses(), PeerOrigin.STATIC, clock.now(), null);
        if (peers.upsert(p)) {
            router.peerUp(p);
        }
        reforwardAll();
    }

    /**
     * A peer was seen by discovery (an IPND beacon): adds or refreshes it. A new peer gets the bundles it has
     * not been
     * given (forwarding is retried).
     *
     * @param peer the peer as the beacon describes it
     */
    public void peerDiscovered(Peer peer) {
        Peer p = new Peer(peer.nodeId(), peer.addresses(),
                peer.origin() == PeerOrigin.STATIC ? PeerOrigin.STATIC : PeerOrigin.DISCOVERED, clock.now(),
                peer.period());
        if (peers.upsert(p)) {
            LOG.log(DEBUG, "peer discovered: {0}", p);
            router.peerUp(p);
            reforwardAll();
        }
    }

    /**
     * A peer is gone (discovery expired it, or an operator removed it); returns whether it was known.
     *
     * @param nodeId the peer's node ID
     * @return true if the peer was known
     */
    public boolean removePeer(EndpointId nodeId) {
        Optional<Peer> p = peers.remove(nodeId);
        p.ifPresent(router::peerDown);
        return p.isPresent();
    }

    // ------------------------------------------------------------------------------------------------ ClaContext

    @Override
    public ReceptionResult bundleReceived(ByteSource encodedBundle, ClaPeer from) {
        return receive(encodedBundle, from);
    }

    @Override
    public boolean hasBundle(BundleId id) {
        return seen.contains(id) || store.contains(id);
    }

    @Override
    public void linkUp(ClaPeer peer) {
        if (peer.nodeId() == null || peer.nodeId().isNone()) {
            return;
        }
        boolean added = peers.linkUp(peer.nodeId(), peer.address(), clock.now());
        Peer p = peers.get(peer.nodeId()).orElse(null);
        LOG.log(DEBUG, "link up to {0} at {1}", peer.nodeId(), peer.address());
        if (p != null) {
            if (added) {
                router.peerUp(p);
            }
            reforwardAll();
        }
    }

    @Override
    public void linkDown(ClaPeer peer) {
        if (peer.nodeId() == null) {
            return;
        }
        peers.linkDown(peer.nodeId(), peer.address()).ifPresent(router::peerDown);
    }

    @Override
    public Path spoolDirectory() {
        Path dir = spoolDirectory;
        if (dir == null) {
            synchronized (this) {
                if (spoolDirectory == null) {
                    try {
                        spoolDirectory = Files.createTempDirectory("dtn7j-spool-");
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot create a spool directory", e);
                    }
                }
                dir = spoolDirectory;
            }
        }
        return dir;
    }

    // ------------------------------------------------------------------------------------------------ reception §5.6

    /**
     * Bundle reception (RFC 9171 §5.6): what CLAs and the REST {@code /push} call. Returns once the
     * bundle is stored (or was found to be a duplicate, or was refused); never throws for a bad bundle.
     *
     * @param encoded the encoded bundle (valid only during this call)
     * @param from    the CLA peer it came from, or {@code null}
     * @return what became of the bundle: accepted, a duplicate, or rejected with the reason
     */
    public ReceptionResult receive(ByteSource encoded, ClaPeer from) {
        counters.received.increment();
        counters.receivedBytes.add(encoded.size());
        if (closed) {
            counters.rejected.increment();
            return new ReceptionResult.Rejected("the agent is shutting down");
        }
        Bundle bundle;
        try {
            bundle = BundleCodec.decode(encoded, receiveOptions);
        } catch (BundleException e) {
            counters.rejected.increment();
            LOG.log(DEBUG, "rejected a malformed bundle from {0}: {1}", from, e.getMessage());
            return new ReceptionResult.Rejected("malformed bundle: " + e.getMessage());
        } catch (UncheckedIOException e) {
            counters.rejected.increment();
            return new ReceptionResult.Rejected("cannot read the received bundle: " + e.getMessage());
        }
        BundleId id = bundle.id();
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            // every stored bundle is in the seen set unless that has forgotten IDs: only then ask the store
            if (seen.contains(id) || (seen.hasForgotten() && store.contains(id))) {
                counters.duplicates.increment();
                return new ReceptionResult.Duplicate();
            }
            return processReceived(bundle, encoded, from);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Receives an encoded bundle given as bytes (e.g. REST {@code /push}).
     *
     * @param encoded the encoded bundle
     * @return what became of the bundle
     */
    public ReceptionResult receive(byte[] encoded) {
        return receive(ByteSource.of(encoded), null);
    }

    private ReceptionResult processReceived(Bundle bundle, ByteSource encoded, ClaPeer from) {
        long now = clock.nowDtnMs();
        // §5.6 step 2: reception status report
        report(bundle, Status.RECEIVED, StatusReportReason.NO_ADDITIONAL_INFORMATION, BundleFlags.REPORT_RECEPTION);
        // §5.6 step 3: blocks that cannot be processed
        boolean modified = false;
        for (CanonicalBlock b : bundle.blocks()) {
            if (knownBlockTypes.contains(b.type())) {
                continue;
            }
            if (b.flags().reportIfUnprocessable()) {
                reportAlways(bundle, Status.RECEIVED, StatusReportReason.BLOCK_UNSUPPORTED);
            }
            if (b.flags().deleteBundleIfUnprocessable()) {
                seen.add(bundle.id());
                deleteUnstored(bundle, StatusReportReason.BLOCK_UNSUPPORTED);
                return new ReceptionResult.Accepted();
            }
            if (b.flags().discardIfUnprocessable()) {
                bundle = bundle.withoutBlock(b.number());
                modified = true;
            }
        }
        // known extension blocks must be intelligible
        HopCountBlock hops;
        long age;
        EndpointId previous;
        try {
            hops = bundle.hopCount().orElse(null);
            // an unsigned age of 2^63 ms or more reads as a negative long: older than any lifetime, not "no age"
            age = bundle.bundleAge().map(a -> a.ageMs() < 0 ? Long.MAX_VALUE : a.ageMs()).orElse(-1L);
            previous = bundle.previousNode().orElse(null);
        } catch (BundleException e) {
            seen.add(bundle.id());
            deleteUnstored(bundle, StatusReportReason.BLOCK_UNINTELLIGIBLE);
            return new ReceptionResult.Accepted();
        }
        // RFC 9171 §4.4.3: hop limit
        if (hops != null && hops.isExceeded()) {
            seen.add(bundle.id());
            deleteUnstored(bundle, StatusReportReason.HOP_LIMIT_EXCEEDED);
            return new ReceptionResult.Accepted();
        }
        if (previous == null && from != null && from.nodeId() != null && !from.nodeId().isNone()) {
            previous = from.nodeId().nodeId();
        }
        BundleMetadata md = newMetadata(bundle, now, age < 0 ? -1 : age, previous,
                modified ? -1 : encoded.size());
        if (md.isExpired(now)) {
            seen.add(bundle.id());
            deleteUnstored(bundle, StatusReportReason.LIFETIME_EXPIRED);
            return new ReceptionResult.Accepted();
        }
        md = router.accepted(md, bundle, false);
        ByteSource toStore = encoded;
        if (modified) {
            EncodedBundle reencoded = BundleCodec.encodeShared(bundle);
            bundle = reencoded.bundle();
            toStore = reencoded.bytes();
            md = md.withSize(toStore.size());
        }
        md = planDispatch(bundle, md);
        if (md.constraints().isEmpty()) {
            // e.g. a status report for this node's administrative element: processed, never stored
            seen.add(bundle.id());
            runDispatch(bundle, md, false);
            return new ReceptionResult.Accepted();
        }
        try {
            store.put(bundle.id(), toStore, md);
        } catch (StoreFullException e) {
            counters.rejected.increment();
            deleteUnstored(bundle, StatusReportReason.DEPLETED_STORAGE);
            return new ReceptionResult.Rejected("depleted storage: " + e.getMessage());
        } catch (StoreException e) {
            counters.rejected.increment();
            LOG.log(WARNING, "store failed on received bundle " + bundle.id(), e);
            return new ReceptionResult.Rejected("the bundle store failed: " + e.getMessage());
        }
        seen.add(bundle.id());
        // a file-backed source (a CLA's spool file) is only valid during this call: later work re-reads the store;
        // bytes in the heap (a CLA's receive chunks) stay valid for as long as the bundle refers to them
        runDispatch(bundle, md, toStore.isInHeap());
        return new ReceptionResult.Accepted();
    }

    private BundleMetadata newMetadata(Bundle bundle, long now, long ageMs, EndpointId previous, long size) {
        long lifetime = bundle.primary().lifetimeMs();
        long expiry;
        boolean byAge = bundle.creation().isClockless() || !clock.isAccurate();
        if (byAge && ageMs >= 0) {
            expiry = saturatingAdd(now, lifetime - ageMs);
        } else if (bundle.creation().isClockless()) {
            expiry = saturatingAdd(now, lifetime);
        } else {
            expiry = saturatingAdd(bundle.creation().dtnTimeMs(), lifetime);
        }
        if (lifetime < 0) { // unsigned value above 2^63: practically forever
            expiry = Long.MAX_VALUE;
        }
        Set<String> holders = previous == null ? Set.of() : Set.of(Peer.keyOf(previous));
        return new BundleMetadata(bundle.id(), bundle.destination(), bundle.reportTo(), bundle.flags().bits(),
                lifetime, expiry, now, ageMs, Math.max(0, size), EnumSet.of(Constraint.DISPATCH_PENDING), holders, -1,
                previous);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------ transmission §5.2

    /**
     * Bundle transmission (RFC 9171 §5.2): creates a bundle from the request, stores it and dispatches it.
     * Returns its
     * ID once it is stored (forwarding continues in the background).
     *
     *
     * @param request what to send
     * @throws StoreFullException when the store has no room (nothing is sent)
     * @throws StoreException     when the store fails
     * @throws IllegalArgumentException for an invalid request
     * @return the new bundle's ID
     */
    public BundleId send(SendRequest request) throws StoreException {
        checkOpen();
        EndpointId source = request.anonymous() ? EndpointId.NONE
                : request.source() != null ? request.source() : nodeId;
        EndpointId reportTo = request.reportTo() != null ? request.reportTo()
                : source.isNone() ? nodeId : source;
        long flags = request.flags();
        if (request.anonymous()) {
            flags |= BundleFlags.MUST_NOT_FRAGMENT;
        }
        Duration lifetime = request.lifetime() != null ? request.lifetime() : config.defaultLifetime();
        CreationTimestamp creation = nextCreationTimestamp();
        // Never reuse an ID this agent knows (e.g. one of its own bundles that came back after a restart): advance.
        while (seen.contains(BundleId.of(source, creation))) {
            creation = nextCreationTimestamp();
        }
        var builder = Bundle.builder()
                .source(source)
                .destination(request.destination())
                .reportTo(reportTo)
                .flags(BundleFlags.of(flags))
                .crcType(config.crcType())
                .creation(creation)
                .lifetimeMs(lifetime.toMillis())
                .payload(request.payload());
        if (config.hopLimit() > 0) {
            builder.hopLimit(config.hopLimit());
        }
        if (creation.isClockless()) {
            builder.bundleAgeMs(0);
        }
        Bundle bundle = builder.build();
        acceptCreated(bundle);
        return bundle.id();
    }

    /**
     * Cancels a transmission (RFC 9171 §5.2 / §5.10): deletes the bundle with reason "transmission canceled"
     * (and
     * reports it if asked). Returns whether the bundle was stored.
     *
     * @param id the bundle's ID
     * @return true if the bundle was stored
     */
    public boolean cancel(BundleId id) {
        return deleteStored(id, StatusReportReason.TRANSMISSION_CANCELED);
    }

    private void acceptCreated(Bundle created) throws StoreException {
        long now = clock.nowDtnMs();
        // the payload is referenced, not copied, and its CRC computed once; the bundle remembers its encoding, so
        // forwarding re-encodes only the blocks it changes
        EncodedBundle encoded = BundleCodec.encodeShared(created);
        Bundle bundle = encoded.bundle();
        ByteSource bytes = encoded.bytes();
        long age = bundle.bundleAge().map(a -> a.ageMs()).orElse(-1L);
        BundleMetadata md = newMetadata(bundle, now, age, null, bytes.size());
        md = router.accepted(md, bundle, true);
        ReentrantLock lock = lockFor(bundle.id());
        lock.lock();
        try {
            if (!seen.add(bundle.id())) {
                throw new IllegalStateException("bundle " + bundle.id() + " was already created or seen");
            }
            md = planDispatch(bundle, md);
            if (!md.constraints().isEmpty()) {
                store.put(bundle.id(), bytes, md);
            }
            counters.created.increment();
            // a payload in the application's file is only read while sending: later work re-reads the store
            runDispatch(bundle, md, bytes.isInHeap());
        } finally {
            lock.unlock();
        }
    }

    private Path spoolBundle(Bundle bundle) {
        try {
            Path f = Files.createTempFile(spoolDirectory(), "out-", ".bundle");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
                BundleCodec.encodeTo(bundle, out);
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool bundle " + bundle.id() + " for transmission", e);
        }
    }

    /**
     * Makes {@link #nextCreationTimestamp()} continue past the creation timestamp of a stored bundle this node (or
     * anonymously, someone) created, so that a restarted agent whose clock has not moved past it (same millisecond,
     * a clock set back, or a clockless node at DTN time 0) never creates a bundle ID that already exists
     * (RFC 9171 §4.2.7: the pair is unique per source).
     */
    private void reserveCreationTimestamp(BundleId id) {
        if (!id.source().isNone() && !isOwnNode(id.source())) {
            return;
        }
        CreationTimestamp c = id.creation();
        synchronized (sequenceLock) {
            if (c.dtnTimeMs() > lastCreationMs) {
                lastCreationMs = c.dtnTimeMs();
                sequence = c.sequence();
            } else if (c.dtnTimeMs() == lastCreationMs && c.sequence() > sequence) {
                sequence = c.sequence();
            }
        }
    }

    /** A creation timestamp: DTN time (0 on a clockless node) and a sequence number unique within it. */
    private CreationTimestamp nextCreationTimestamp() {
        synchronized (sequenceLock) {
            // Read the clock under the lock and never step back: two senders reading the clock outside it (or a
            // clock set back) could otherwise both restart the sequence at 0 for the same millisecond.
            long now = clock.isAccurate() ? clock.nowDtnMs() : 0;
            if (now > lastCreationMs) {
                lastCreationMs = now;
                sequence = 0;
            } else {
                now = lastCreationMs;
                sequence++;
            }
            return new CreationTimestamp(now, sequence);
        }
    }

    // ------------------------------------------------------------------------------------------------ dispatching §5.3

    /**
     * Dispatching (RFC 9171 §5.3), planning half: the retention constraints the bundle needs, decided before it is
     * stored so that a durable store writes it once: {@code FORWARD_PENDING} for another node or a group endpoint,
     * {@code REASSEMBLY_PENDING} for a fragment to deliver here, {@code LOCAL_ENDPOINT} for delivery here. An
     * administrative record for this node without a registration needs none (the administrative element consumes it).
     */
    private BundleMetadata planDispatch(Bundle bundle, BundleMetadata md) {
        EndpointId dest = bundle.destination();
        boolean ownNode = isOwnNode(dest);
        List<RegistrationImpl> regs = registrationsOf(dest);
        boolean deliverHere = ownNode || !regs.isEmpty();
        boolean forward = !ownNode && (!dest.isSingleton() || regs.isEmpty());
        EnumSet<Constraint> c = EnumSet.noneOf(Constraint.class);
        for (Constraint k : md.constraints()) {
            if (k != Constraint.DISPATCH_PENDING) {
                c.add(k);
            }
        }
        if (forward) {
            c.add(Constraint.FORWARD_PENDING);
        }
        if (deliverHere) {
            if (bundle.isFragment()) {
                // a fragment of an ADU this node already has (or had and delivered) is not reassembled again
                if (!seen.contains(bundle.id().withoutFragment())) {
                    c.add(Constraint.REASSEMBLY_PENDING);
                }
            } else if (!(bundle.isAdministrativeRecord() && ownNode && regs.isEmpty())) {
                c.add(Constraint.LOCAL_ENDPOINT);
            }
        }
        return md.withConstraints(c);
    }

    /**
     * Dispatching, acting half (caller holds the bundle's lock; the bundle is stored with the planned constraints
     * unless it needs none): local delivery (§5.7) and/or forwarding (§5.4). {@code reusable}: whether {@code bundle}
     * stays readable after the caller returns (else asynchronous work reloads it from the store).
     */
    private void runDispatch(Bundle bundle, BundleMetadata md, boolean reusable) {
        if (md.has(Constraint.REASSEMBLY_PENDING) && bundle.isFragment()) {
            feedReassembler(bundle); // §5.9: the fragment waits for the rest of its ADU
        } else {
            deliverLocally(bundle, md, reusable);
        }
        if (md.has(Constraint.FORWARD_PENDING)) {
            scheduleForward(md.id(), reusable ? bundle : null);
        }
    }

    /** Re-dispatches a bundle recovered from the store with {@code DISPATCH_PENDING}. */
    private void redispatch(BundleId id) {
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            Optional<BundleMetadata> md = store.metadata(id);
            if (md.isEmpty() || !md.get().has(Constraint.DISPATCH_PENDING)) {
                return;
            }
            Bundle bundle = loadBundle(id).orElse(null);
            if (bundle == null) {
                return;
            }
            BundleMetadata planned = planDispatch(bundle, md.get());
            finishOrUpdate(planned);
            runDispatch(bundle, planned, true);
        } finally {
            lock.unlock();
        }
    }

    private List<RegistrationImpl> registrationsOf(EndpointId eid) {
        return registrations.getOrDefault(eidKey(eid), List.of());
    }

    // ------------------------------------------------------------------------------------------------ local delivery §5.7

    /**
     * Local delivery (caller holds the bundle's lock): a status report for this node goes to the administrative
     * element; a bundle with {@code LOCAL_ENDPOINT} is queued for every registration of its destination, or waits in
     * the store for one (deferred delivery).
     */
    private void deliverLocally(Bundle bundle, BundleMetadata md, boolean reusable) {
        if (bundle.isAdministrativeRecord() && isOwnNode(bundle.destination())) {
            handleAdministrativeRecord(bundle);
        }
        if (!md.has(Constraint.LOCAL_ENDPOINT)) {
            return;
        }
        // publish in the waiting index first, then look for registrations (see register)
        Set<BundleId> waiting = waitingLocal.computeIfAbsent(eidKey(bundle.destination()),
                k -> ConcurrentHashMap.newKeySet());
        waiting.add(md.id());
        List<RegistrationImpl> regs = registrationsOf(bundle.destination());
        if (regs.isEmpty() || !waiting.remove(md.id())) {
            return; // deferred: waits for a registration
        }
        pendingDeliveries.computeIfAbsent(md.id(), k -> new AtomicInteger()).addAndGet(regs.size());
        if (reusable) {
            rememberForDelivery(md.id(), bundle, md.size());
        }
        for (RegistrationImpl r : regs) {
            r.enqueue(md.id());
        }
    }

    /** Loads a bundle for delivery; empty if it left the store meanwhile. */
    Optional<Delivery> loadDelivery(BundleId id, EndpointId endpoint) {
        DecodedForDelivery held = decodedForDelivery.get(id);
        if (held != null && store.contains(id)) {
            return Optional.of(new Delivery(id, held.bundle(), endpoint));
        }
        return loadBundle(id).map(b -> new Delivery(id, b, endpoint));
    }

    /**
     * Keeps the decoded bundle queued for local delivery, so that its registrations get it without decoding the
     * stored bytes again (the CRCs were checked on reception); bounded in bytes, as a durable store may hold the
     * bundle somewhere else than in these bytes. Dropped with its pending-delivery count ({@link #forgetDecoded}).
     */
    private void rememberForDelivery(BundleId id, Bundle bundle, long size) {
        if (decodedBytes.addAndGet(size) > DECODED_FOR_DELIVERY_BYTES) {
            decodedBytes.addAndGet(-size);
            return;
        }
        DecodedForDelivery old = decodedForDelivery.put(id, new DecodedForDelivery(bundle, size));
        if (old != null) {
            decodedBytes.addAndGet(-old.size());
        }
    }

    private void forgetDecoded(BundleId id) {
        DecodedForDelivery old = decodedForDelivery.remove(id);
        if (old != null) {
            decodedBytes.addAndGet(-old.size());
        }
    }

    /** A registration has delivered {@code id}: when all have, the bundle's local-endpoint constraint goes. */
    void delivered(BundleId id, EndpointId endpoint) {
        counters.delivered.increment();
        AtomicInteger left = pendingDeliveries.get(id);
        boolean last = left == null || left.decrementAndGet() <= 0;
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            Optional<BundleMetadata> md = store.metadata(id);
            if (md.isEmpty()) {
                pendingDeliveries.remove(id);
                deliveryReported.remove(id);
                forgetDecoded(id);
                return;
            }
            Optional<Bundle> bundle = Optional.empty();
            // one delivery report per bundle, however many registrations (of a group endpoint) get it
            boolean firstDelivery = deliveryReported.add(id);
            if (firstDelivery && md.get().flags().reportDelivery() && config.statusReports()) {
                bundle = loadBundle(id);
                bundle.ifPresent(b -> report(b, Status.DELIVERED, StatusReportReason.NO_ADDITIONAL_INFORMATION,
                        BundleFlags.REPORT_DELIVERY));
            }
            if (last) {
                pendingDeliveries.remove(id);
                forgetDecoded(id);
                finishOrUpdate(md.get().without(Constraint.LOCAL_ENDPOINT));
            }
        } finally {
            lock.unlock();
        }
    }

    private void handleAdministrativeRecord(Bundle bundle) {
        AdministrativeRecord record;
        try {
            record = AdministrativeRecord.of(bundle);
        } catch (BundleException | IllegalArgumentException | UncheckedIOException e) {
            LOG.log(DEBUG, "unreadable administrative record in {0}: {1}", bundle.id(), e.getMessage());
            return;
        }
        if (!(record instanceof BundleStatusReport report)) {
            return;
        }
        counters.reportsReceived.increment();
        BundleId subject = report.subjectId();
        for (Status s : Status.values()) {
            if (report.assertion(s).asserted()) {
                ReportKey key = new ReportKey(subject, s);
                PendingReport p;
                synchronized (reportLock) {
                    p = reportFutures.remove(key);
                    if (p == null) {
                        recentReports.put(key, report); // for a statusReport call that comes after it
                    }
                }
                if (p != null) {
                    p.future().complete(report);
                }
            }
        }
        Set<RegistrationImpl> notified = new HashSet<>();
        for (RegistrationImpl r : registrations.getOrDefault(eidKey(report.subjectSource()), List.of())) {
            if (notified.add(r)) {
                r.statusReport(report);
            }
        }
        for (Consumer<BundleStatusReport> l : statusReportListeners) {
            try {
                l.accept(report);
            } catch (RuntimeException e) {
                LOG.log(WARNING, "status report listener failed", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ reassembly §5.9

    /** Fragments of one ADU under reassembly, with a reassembler of its own spilling to a directory of its own. */
    private static final class PendingAdu {
        final Reassembler reassembler;
        final Path spillDirectory;
        final Set<BundleId> fragments = ConcurrentHashMap.newKeySet();

        PendingAdu(Reassembler reassembler, Path spillDirectory) {
            this.reassembler = reassembler;
            this.spillDirectory = spillDirectory;
        }
    }

    /** Feeds a stored fragment to its ADU's reassembler (caller holds the fragment's lock). */
    private void feedReassembler(Bundle fragment) {
        BundleId whole = fragment.id().withoutFragment();
        PendingAdu pending = reassembling.computeIfAbsent(whole, k -> {
            Path dir = spoolDirectory().resolve("reassembly-" + Integer.toHexString(k.hashCode()) + "-"
                    + reassemblyCounter.incrementAndGet());
            long maxAdu = Math.max(64L << 20, Math.min(config.maxBundleSize(), 1L << 40));
            return new PendingAdu(new Reassembler(ReassemblyOptions.DEFAULT.withSpillDirectory(dir, 1L << 20, maxAdu)),
                    dir);
        });
        pending.fragments.add(fragment.id());
        Optional<Bundle> adu;
        try {
            adu = pending.reassembler.accept(fragment);
        } catch (BundleException | IllegalArgumentException | UncheckedIOException e) {
            LOG.log(DEBUG, "fragment {0} not reassembled: {1}", fragment.id(), e.getMessage());
            return;
        }
        adu.ifPresent(b -> runAsync(() -> completeReassembly(whole, b)));
    }

    /** Forgets a fragment that left the store; drops the ADU's reassembly when it was the last one. */
    private void forgetFragment(BundleId fragment) {
        BundleId whole = fragment.withoutFragment();
        PendingAdu p = reassembling.get(whole);
        if (p != null) {
            p.fragments.remove(fragment);
            if (p.fragments.isEmpty() && reassembling.remove(whole, p)) {
                p.reassembler.discardAll();
                deleteTree(p.spillDirectory);
            }
        }
    }

    /** Stores the reassembled bundle, discards its fragments and delivers it (RFC 9171 §5.9, §5.7). */
    private void completeReassembly(BundleId whole, Bundle adu) {
        Path spillDir = null;
        List<BundleId> releaseFromReassembly = new ArrayList<>();
        ReentrantLock lock = lockFor(whole);
        lock.lock();
        try {
            PendingAdu pending = reassembling.remove(whole);
            Set<BundleId> parts = pending == null ? null : pending.fragments;
            spillDir = pending == null ? null : pending.spillDirectory;
            if (store.contains(whole) || seen.contains(whole)) {
                // already reassembled, or received whole: the fragments are no longer needed for reassembly
                if (parts != null) {
                    releaseFromReassembly.addAll(parts);
                }
                return;
            }
            BundleMetadata first = parts == null ? null : parts.stream().map(store::metadata)
                    .flatMap(Optional::stream).findFirst().orElse(null);
            long now = clock.nowDtnMs();
            ByteSource encoded;
            Path spooled = null;
            if (BundleCodec.encodedSize(adu) > SPOOL_OUTGOING_ABOVE) {
                spooled = spoolBundle(adu);
                encoded = ByteSource.ofFile(spooled);
            } else {
                encoded = ByteSource.of(BundleCodec.encode(adu));
            }
            BundleMetadata md = newMetadata(adu, now, first == null ? -1 : first.ageAtReceptionMs(),
                    first == null ? null : first.previousNode(), encoded.size())
                    .withConstraints(adu.isAdministrativeRecord() && registrationsOf(adu.destination()).isEmpty()
                            ? EnumSet.of(Constraint.REASSEMBLY_PENDING) : EnumSet.of(Constraint.LOCAL_ENDPOINT));
            if (first != null) {
                md = new BundleMetadata(md.id(), md.destination(), md.reportTo(), md.bundleFlags(), md.lifetimeMs(),
                        first.expiryDtnMs(), first.receivedAtDtnMs(), md.ageAtReceptionMs(), md.size(),
                        md.constraints(), md.forwardedTo(), md.copies(), md.previousNode());
            }
            try {
                store.put(whole, encoded, md);
            } catch (StoreException e) {
                LOG.log(WARNING, "cannot store reassembled bundle " + whole + ": " + e.getMessage());
                return;
            } finally {
                if (spooled != null) {
                    deleteQuietly(spooled);
                }
            }
            counters.reassembled.increment();
            seen.add(whole);
            if (parts != null) {
                releaseFromReassembly.addAll(parts); // RFC 9171 §5.9: only "reassembly pending" goes
            }
            Bundle stored = loadBundle(whole).orElse(adu);
            deliverLocally(stored, md, false);
            if (!md.has(Constraint.LOCAL_ENDPOINT)) {
                discard(whole); // an administrative record consumed here
            }
        } finally {
            lock.unlock();
            if (spillDir != null) {
                deleteTree(spillDir);
            }
            for (BundleId part : releaseFromReassembly) {
                ReentrantLock partLock = lockFor(part);
                partLock.lock();
                try {
                    store.metadata(part).ifPresent(m -> finishOrUpdate(m.without(Constraint.REASSEMBLY_PENDING)));
                } finally {
                    partLock.unlock();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ forwarding §5.4

    private void scheduleForward(BundleId id) {
        scheduleForward(id, null);
    }

    /** Forwards on a worker; {@code stored} is the stored bundle if the caller has it decoded already. */
    private void scheduleForward(BundleId id, Bundle stored) {
        try {
            runAsync(() -> forward(id, stored));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Re-runs forwarding for every bundle waiting to be forwarded (coalesced; runs on a worker). */
    public void reforwardAll() {
        if (closed || !started || !rescanPending.compareAndSet(false, true)) {
            return;
        }
        try {
            runAsync(() -> {
                rescanPending.set(false);
                List<BundleId> ids = new ArrayList<>();
                store.forEach(md -> {
                    if (md.has(Constraint.FORWARD_PENDING)) {
                        ids.add(md.id());
                    }
                });
                ids.forEach(id -> forward(id, null));
            });
        } catch (RejectedExecutionException e) {
            rescanPending.set(false);
        }
    }

    private record Hop(Peer peer, ClaAddress address, ConvergenceLayer cla) {
    }

    private Hop resolve(Peer peer) {
        for (ClaAddress a : peer.addresses()) {
            ConvergenceLayer c = clas.get(a.cla());
            if (c != null) {
                return new Hop(peer, a, c);
            }
        }
        return null;
    }

    private List<Peer> usablePeers() {
        List<Peer> out = new ArrayList<>();
        for (Peer p : peers.all()) {
            if (resolve(p) != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Forwarding (RFC 9171 §5.4) of one stored bundle to the next hops the router picks now. */
    private void forward(BundleId id, Bundle stored) {
        if (closed) {
            return;
        }
        List<Hop> hops = new ArrayList<>();
        boolean deleteAfterwards;
        BundleMetadata current;
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            BundleMetadata md = store.metadata(id).orElse(null);
            if (md == null || !md.has(Constraint.FORWARD_PENDING)) {
                return;
            }
            if (md.isExpired(clock.nowDtnMs())) {
                deleteStored(id, StatusReportReason.LIFETIME_EXPIRED);
                return;
            }
            RoutingDecision decision = router.route(md, usablePeers());
            deleteAfterwards = decision.deleteAfterwards();
            for (Peer p : decision.nextHops()) {
                Hop h = resolve(p);
                if (h != null && inFlight.add(flightKey(id, p))) {
                    hops.add(h);
                }
            }
            if (hops.isEmpty()) {
                if (decision.isWait() && !md.has(Constraint.CONTRAINDICATED)) {
                    // §5.4 step 2 / §5.4.1: forwarding contraindicated for now; retried on contact and by the janitor
                    update(md.with(Constraint.CONTRAINDICATED));
                }
                return;
            }
            current = md;
        } finally {
            lock.unlock();
        }
        // the in-flight marks stay until the outcome is recorded, so no other task sends the same bundle to the same
        // peer in between
        try {
            boolean anySuccess = false;
            Bundle bundle = stored != null ? stored : loadBundle(id).orElse(null);
            if (bundle == null) {
                return;
            }
            // direct delivery to a single next hop: the bundle leaves the store right after, no state to record
            boolean recordHops = !(deleteAfterwards && hops.size() == 1);
            for (Hop h : hops) {
                Sent r = forwardTo(id, bundle, h, current, recordHops);
                if (r.outcome() == Outcome.DELETED) {
                    return;
                }
                if (r.metadata() != null) {
                    current = r.metadata();
                }
                anySuccess |= r.outcome() == Outcome.SENT;
            }
            lock.lock();
            try {
                BundleMetadata md = store.metadata(id).orElse(null);
                if (md == null) {
                    return;
                }
                if (anySuccess && deleteAfterwards) {
                    // §5.4 step 6: forwarding done; the bundle may go once nothing else retains it
                    finishOrUpdate(md.without(Constraint.FORWARD_PENDING).without(Constraint.CONTRAINDICATED));
                } else if (anySuccess) {
                    if (md.has(Constraint.CONTRAINDICATED)) {
                        update(md.without(Constraint.CONTRAINDICATED));
                    }
                } else if (!md.has(Constraint.CONTRAINDICATED)) {
                    update(md.with(Constraint.CONTRAINDICATED));
                }
            } finally {
                lock.unlock();
            }
        } finally {
            for (Hop h : hops) {
                inFlight.remove(flightKey(id, h.peer()));
            }
        }
    }

    private record Sent(Outcome outcome, BundleMetadata metadata) {
    }

    private enum Outcome { SENT, FAILED, SKIPPED, DELETED }

    /** Sends the bundle to one next hop; {@code md} is its current state (re-read from the store when recording). */
    private Sent forwardTo(BundleId id, Bundle stored, Hop hop, BundleMetadata md, boolean recordHop) {
        Bundle out = prepareForForwarding(stored, md);
        if (out == null) {
            // RFC 9171 §4.4.3: one more hop would exceed the hop limit
            deleteStored(id, StatusReportReason.HOP_LIMIT_EXCEEDED);
            return new Sent(Outcome.DELETED, null);
        }
        out = router.prepare(out, md, hop.peer());
        if (out == null) {
            return new Sent(Outcome.SKIPPED, null);
        }
        long max = hop.cla().maxBundleSize();
        long size = BundleCodec.encodedSize(out);
        List<Bundle> pieces;
        if (size <= max) {
            pieces = List.of(out);
        } else if (out.flags().mustNotFragment() || out.isAdministrativeRecord()) {
            LOG.log(DEBUG, "bundle {0} ({1} bytes) exceeds {2}''s limit of {3} bytes and must not be fragmented", id,
                    size, hop.cla().name(), max);
            counters.forwardFailures.increment();
            return new Sent(Outcome.FAILED, null);
        } else {
            try {
                pieces = Fragmenter.fragment(out, max);
            } catch (RuntimeException e) {
                LOG.log(DEBUG, "cannot fragment {0} for {1}: {2}", id, hop.cla().name(), e.getMessage());
                counters.forwardFailures.increment();
                return new Sent(Outcome.FAILED, null);
            }
            counters.fragmentsCreated.add(pieces.size());
        }
        boolean refused = false;
        long sent = 0;
        for (Bundle piece : pieces) {
            try {
                // only the changed blocks (previous node, hop count, age) are encoded; the others, the payload above
                // all, are written from the stored bytes where they are
                ByteSource bytes = BundleCodec.encodeGathered(piece);
                // with the peer's node ID a CLA can reuse a session that peer opened to us (TCPCLv4 does)
                hop.cla().send(new ClaPeer(hop.address(), hop.peer().nodeId()), new OutgoingBundle(piece.id(), bytes));
                sent += bytes.size();
            } catch (TransmissionException e) {
                if (e.reason() == TransmissionException.Reason.REFUSED) {
                    refused = true; // the peer already has it
                    continue;
                }
                counters.forwardFailures.increment();
                LOG.log(DEBUG, "forwarding {0} to {1} failed: {2}", id, hop.peer().nodeId(), e.getMessage());
                return new Sent(Outcome.FAILED, null);
            } catch (RuntimeException e) {
                counters.forwardFailures.increment();
                LOG.log(WARNING, "forwarding " + id + " to " + hop.peer().nodeId() + " failed", e);
                return new Sent(Outcome.FAILED, null);
            }
        }
        counters.forwarded.increment();
        counters.forwardedBytes.add(sent);
        BundleMetadata next = null;
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            BundleMetadata current = recordHop ? store.metadata(id).orElse(null) : null;
            if (current != null) {
                next = router.forwarded(current.withForwardedTo(hop.peer().key()), hop.peer());
                update(next);
            }
            if (!refused || sent > 0) {
                report(stored, Status.FORWARDED, StatusReportReason.NO_ADDITIONAL_INFORMATION,
                        BundleFlags.REPORT_FORWARDING);
            }
        } finally {
            lock.unlock();
        }
        return new Sent(Outcome.SENT, next);
    }

    /**
     * The copy of a stored bundle that goes to the next hop (RFC 9171 §5.4 step 4, §4.4): previous node block set to
     * this node, hop count incremented, bundle age increased by the residence time. {@code null} if the hop limit
     * would be exceeded.
     */
    private Bundle prepareForForwarding(Bundle bundle, BundleMetadata md) {
        Bundle out = bundle;
        Optional<CanonicalBlock> prev = out.block(BlockType.PREVIOUS_NODE);
        if (prev.isPresent()) {
            out = out.withBlock(CanonicalBlock.previousNode(prev.get().number(), nodeId, prev.get().crcType())
                    .withFlags(prev.get().flags()));
        } else {
            out = out.withBlock(CanonicalBlock.previousNode(out.nextBlockNumber(), nodeId, out.primary().crcType()));
        }
        Optional<CanonicalBlock> hc = out.block(BlockType.HOP_COUNT);
        if (hc.isPresent()) {
            HopCountBlock next = hc.get().asHopCount().incremented();
            if (next.isExceeded()) {
                return null;
            }
            out = out.withBlock(next.toBlock(hc.get().number(), hc.get().crcType()).withFlags(hc.get().flags()));
        }
        Optional<CanonicalBlock> ageBlock = out.block(BlockType.BUNDLE_AGE);
        if (ageBlock.isPresent() || out.creation().isClockless()) {
            long base = Math.max(0, md.ageAtReceptionMs());
            long age = saturatingAdd(base, Math.max(0, clock.nowDtnMs() - md.receivedAtDtnMs()));
            if (ageBlock.isPresent()) {
                out = out.withBlock(CanonicalBlock.bundleAge(ageBlock.get().number(), age, ageBlock.get().crcType())
                        .withFlags(ageBlock.get().flags()));
            } else {
                out = out.withBlock(CanonicalBlock.bundleAge(out.nextBlockNumber(), age, out.primary().crcType()));
            }
        }
        return out;
    }

    private record FlightKey(BundleId id, EndpointId peer) {
    }

    private static FlightKey flightKey(BundleId id, Peer p) {
        return new FlightKey(id, p.nodeId());
    }

    // ------------------------------------------------------------------------------------------------ deletion §5.10

    /**
     * Deletes a stored bundle (RFC 9171 §5.10) with reason "no additional information", reporting it if asked.
     *
     * @param id the bundle's ID
     * @return true if the bundle was stored
     */
    public boolean delete(BundleId id) {
        return deleteStored(id, StatusReportReason.NO_ADDITIONAL_INFORMATION);
    }

    private boolean deleteStored(BundleId id, StatusReportReason reason) {
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            Optional<BundleMetadata> md = store.metadata(id);
            if (md.isEmpty()) {
                return false;
            }
            if (md.get().flags().reportDeletion() && config.statusReports() && !md.get().isAdministrativeRecord()) {
                loadBundle(id).ifPresent(b -> report(b, Status.DELETED, reason, BundleFlags.REPORT_DELETION));
            }
            counters.deleted.get(reason).increment();
            LOG.log(DEBUG, "deleted {0}: {1}", id, reason);
            return discard(id);
        } finally {
            lock.unlock();
        }
    }

    private void deleteUnstored(Bundle bundle, StatusReportReason reason) {
        report(bundle, Status.DELETED, reason, BundleFlags.REPORT_DELETION);
        counters.deleted.get(reason).increment();
        LOG.log(DEBUG, "deleted {0} on reception: {1}", bundle.id(), reason);
    }

    /** Discarding (RFC 9171 §5.11): removes the bundle without a report. */
    private boolean discard(BundleId id) {
        pendingDeliveries.remove(id);
        deliveryReported.remove(id);
        forgetDecoded(id);
        try {
            return store.remove(id);
        } catch (StoreException e) {
            LOG.log(WARNING, "cannot remove bundle " + id + " from the store: " + e.getMessage());
            return false;
        }
    }

    /** Writes new metadata, or discards the bundle when no retention constraint is left (§5.11). */
    private void finishOrUpdate(BundleMetadata md) {
        if (md.constraints().isEmpty()) {
            discard(md.id());
        } else {
            update(md);
        }
    }

    private void update(BundleMetadata md) {
        try {
            store.updateMetadata(md.id(), md);
        } catch (StoreException e) {
            LOG.log(DEBUG, "cannot update state of {0}: {1}", md.id(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ status reports §6

    /** Generates a status report if reporting is enabled and the bundle asked for it with {@code flag}. */
    private void report(Bundle subject, Status status, StatusReportReason reason, long flag) {
        if ((subject.flags().bits() & flag) != 0) {
            reportAlways(subject, status, reason);
        }
    }

    /** Generates a status report if reporting is enabled; never about an administrative record (RFC 9171 §6.1). */
    private void reportAlways(Bundle subject, Status status, StatusReportReason reason) {
        if (!config.statusReports() || subject.isAdministrativeRecord() || subject.reportTo().isNone()
                || subject.source().isNone()) {
            return;
        }
        Bundle reportBundle;
        try {
            BundleStatusReport r = BundleStatusReport.forSubject(subject, status, reason, clock.nowDtnMs());
            reportBundle = StatusReports.bundleFor(subject, r, nodeId, nextCreationTimestamp());
        } catch (RuntimeException e) {
            LOG.log(DEBUG, "cannot build a status report about {0}: {1}", subject.id(), e.getMessage());
            return;
        }
        counters.reportsSent.increment();
        // created outside the subject's lock to keep lock order simple
        try {
            runAsync(() -> {
                try {
                    acceptCreated(reportBundle);
                } catch (StoreException | RuntimeException e) {
                    LOG.log(DEBUG, "status report {0} not sent: {1}", reportBundle.id(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    // ------------------------------------------------------------------------------------------------ store access

    /** {@return IDs of the stored bundles} */
    public List<BundleId> bundleIds() {
        List<BundleId> ids = new ArrayList<>();
        store.forEach(md -> ids.add(md.id()));
        return ids;
    }

    /**
     * The stored encoded bundle.
     *
     * @param id the bundle's ID
     * @return the encoding, or empty if the bundle is not stored
     */
    public Optional<ByteSource> encodedBundle(BundleId id) {
        return store.encoded(id);
    }

    /**
     * The processing state of a stored bundle.
     *
     * @param id the bundle's ID
     * @return the state, or empty if the bundle is not stored
     */
    public Optional<BundleMetadata> metadata(BundleId id) {
        return store.metadata(id);
    }

    private Optional<Bundle> loadBundle(BundleId id) {
        Optional<ByteSource> enc = store.encoded(id);
        if (enc.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BundleCodec.decode(enc.get(), storedOptions));
        } catch (BundleException | UncheckedIOException e) {
            LOG.log(WARNING, "stored bundle " + id + " is unreadable: " + e.getMessage());
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------------ janitor

    private void janitorLoop() {
        long intervalMs = config.janitorInterval().toMillis();
        while (!closed) {
            try {
                runJanitor();
            } catch (RuntimeException e) {
                LOG.log(WARNING, "janitor run failed", e);
            }
            try {
                Thread.sleep(Math.max(1, intervalMs));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One janitor run (also called periodically when a janitor interval is configured): deletes expired bundles with
     * reason "lifetime expired", expires discovered peers, fails status-report futures whose bundle expired, and
     * retries forwarding of every waiting bundle.
     */
    public void runJanitor() {
        if (closed) {
            return;
        }
        long now = clock.nowDtnMs();
        for (Peer p : peers.expire(clock.now(), config.peerTimeout())) {
            LOG.log(DEBUG, "peer {0} expired", p.nodeId());
            router.peerDown(p);
        }
        List<BundleId> expired = new ArrayList<>();
        List<BundleId> pending = new ArrayList<>();
        store.forEach(md -> { // one walk over the store per run
            if (md.isExpired(now)) {
                expired.add(md.id());
            } else if (md.has(Constraint.FORWARD_PENDING)) {
                pending.add(md.id());
            }
        });
        for (BundleId id : expired) {
            deleteStored(id, StatusReportReason.LIFETIME_EXPIRED);
            if (id.isFragment()) {
                forgetFragment(id);
            }
        }
        for (Set<BundleId> waiting : waitingLocal.values()) {
            waiting.removeIf(id -> !store.contains(id)); // deleted or expired meanwhile
        }
        waitingLocal.values().removeIf(Set::isEmpty);
        reportFutures.entrySet().removeIf(e -> {
            if (now >= e.getValue().expiryDtnMs()) {
                e.getValue().future().completeExceptionally(new java.util.concurrent.TimeoutException(
                        "no " + e.getKey().status().name().toLowerCase(java.util.Locale.ROOT) + " report for "
                                + e.getKey().subject() + " within its lifetime"));
                return true;
            }
            return false;
        });
        for (BundleId id : pending) {
            scheduleForward(id);
        }
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Waits until the agent has no forwarding, delivery or report work running (for tests and orderly shutdown).
     * Returns false on timeout.
     *
     * @param timeout how long to wait at most
     * @return true if the agent became idle, false on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        while (System.nanoTime() < deadline) {
            boolean busy = !inFlight.isEmpty() || rescanPending.get() || activeWorkers() > 0
                    || registrations.values().stream().flatMap(List::stream)
                    .anyMatch(r -> r.isActive() && r.pending() > 0);
            if (!busy) {
                if (++quiet >= 3) {
                    return true;
                }
            } else {
                quiet = 0;
            }
            Thread.sleep(2);
        }
        return false;
    }

    private final AtomicInteger running = new AtomicInteger();

    private int activeWorkers() {
        return running.get();
    }

    /** Runs {@code task} on a virtual thread, counted for {@link #awaitIdle}. */
    private void runAsync(Runnable task) {
        running.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(WARNING, "agent task failed", e);
                } finally {
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            running.decrementAndGet();
            throw e;
        }
    }

    /** Stops the janitor and the convergence layers and closes the store. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread j = janitor;
        if (j != null) {
            j.interrupt();
        }
        Map<String, ConvergenceLayer> running;
        synchronized (claLock) {
            running = clas;
        }
        for (ConvergenceLayer c : running.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(WARNING, "closing CLA " + c.name() + " failed", e);
            }
        }
        for (List<RegistrationImpl> list : registrations.values()) {
            for (RegistrationImpl r : List.copyOf(list)) {
                r.close();
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        store.close();
        LOG.log(INFO, "agent {0} closed", nodeId);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the agent " + nodeId + " is closed");
        }
    }

    private ReentrantLock lockFor(BundleId id) {
        return locks[(id.hashCode() & 0x7fffffff) % LOCK_STRIPES];
    }

    /**
     * Whether {@code eid} is an endpoint on this node.
     *
     * @param eid the endpoint ID
     * @return true if it belongs to this node
     */
    public boolean isOwnNode(EndpointId eid) {
        return !eid.isNone() && eid.schemeCode() == nodeId.schemeCode() && eid.nodeName().equals(nodeId.nodeName());
    }

    /** Registration key: the URI, with dtn node IDs normalised to the trailing-slash form. */
    static String eidKey(EndpointId eid) {
        if (eid.schemeCode() == EndpointId.SCHEME_DTN && eid.isNodeId()) {
            return "dtn://" + eid.nodeName() + "/";
        }
        return eid.uri();
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(BundleProtocolAgent::deleteQuietly);
        } catch (IOException e) {
            LOG.log(DEBUG, "cannot delete {0}: {1}", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(DEBUG, "cannot delete spool file {0}: {1}", p, e.getMessage());
        }
    }

    private static final class Counters {
        final LongAdder received = new LongAdder();
        final LongAdder receivedBytes = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder created = new LongAdder();
        final LongAdder forwarded = new LongAdder();
        final LongAdder forwardedBytes = new LongAdder();
        final LongAdder forwardFailures = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder reportsSent = new LongAdder();
        final LongAdder reportsReceived = new LongAdder();
        final LongAdder fragmentsCreated = new LongAdder();
        final LongAdder reassembled = new LongAdder();
        final Map<StatusReportReason, LongAdder> deleted = new EnumMap<>(StatusReportReason.class);
        final Map<io.dtn7j.bundle.codec.Deviation, LongAdder> deviations =
                new EnumMap<>(io.dtn7j.bundle.codec.Deviation.class);

        Counters() {
            for (StatusReportReason r : StatusReportReason.values()) {
                deleted.put(r, new LongAdder());
            }
            for (io.dtn7j.bundle.codec.Deviation d : io.dtn7j.bundle.codec.Deviation.values()) {
                deviations.put(d, new LongAdder());
            }
        }
    }

    @Override
    public String toString() {
        return "BundleProtocolAgent[" + nodeId + ", router " + router.name() + ", CLAs " + clas.keySet() + "]";
    }
}
