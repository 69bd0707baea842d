package io.dtn7j.daemon;

import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.discovery.BeaconService;
import io.dtn7j.core.discovery.ClaAdvertisement;
import io.dtn7j.core.discovery.DiscoveredAddress;
import io.dtn7j.core.discovery.DiscoveryListener;
import io.dtn7j.core.discovery.DiscoveryMerge;
import io.dtn7j.core.discovery.Dtn7GoDiscovery;
import io.dtn7j.core.discovery.IpndConfig;
import io.dtn7j.core.discovery.IpndService;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.routing.Routers;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.daemon.api.ApiOptions;
import io.dtn7j.daemon.api.ApiServer;
import io.dtn7j.daemon.api.NodeDescription;
import io.dtn7j.daemon.config.DaemonConfig;
import io.dtn7j.daemon.config.PeerUrl;
import io.dtn7j.daemon.node.AgentNodeService;
import io.dtn7j.daemon.ecla.EclaService;
import io.dtn7j.daemon.ecla.EclaTcpConnector;
import io.dtn7j.daemon.erouting.ExternalRouter;
import io.dtn7j.daemon.node.MeteredConvergenceLayer;
import io.dtn7j.daemon.node.PeerExtras;
import io.dtn7j.daemon.node.TransferListener;
import io.dtn7j.daemon.api.ClaCounters;
import io.dtn7j.store.sqlite.SqliteBundleStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node, assembled from a {@link DaemonConfig} in dtnd's start-up order: store → routing → convergence
 * layers → static peers and endpoints → agent (CLA listeners, janitor) → IPND → HTTP/WebSocket API. Prints the
 * start-up lines (node ID, listeners, store) on standard output; {@link #close()} shuts down in reverse order
 * (API, discovery, agent with its CLA sessions, store).
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final BundleProtocolAgent agent;
    private final BundleStore store;
    private final IpndService ipnd;
    private final ApiServer api;
    private final List<AutoCloseable> interfaces;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int eclaTcpPort = -1;

    private Daemon(BundleProtocolAgent agent, BundleStore store, IpndService ipnd, ApiServer api,
                   List<AutoCloseable> interfaces) {
        this.agent = agent;
        this.store = store;
        this.ipnd = ipnd;
        this.api = api;
        this.interfaces = interfaces;
    }

    /**
     * Starts a node and prints its start-up lines to standard output.
     *
     * @param config the configuration
     * @return the running daemon
     * @throws Exception if a store, convergence layer or the API cannot be started
     */
    public static Daemon start(DaemonConfig config) throws Exception {
        return start(config, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    /**
     * Starts a node, printing the start-up lines to {@code out}.
     *
     * @param c the configuration
     * @param out where the start-up lines are printed
     * @return the running daemon
     * @throws Exception if a store, convergence layer or the API cannot be started
     */
    public static Daemon start(DaemonConfig c, PrintStream out) throws Exception {
        String nodeIdText = c.nodeId != null ? c.nodeId : DaemonConfig.randomNodeId();
        EndpointId nodeId = EndpointId.parse(nodeIdText);
        out.println("dtn7j daemon 0.1.0-SNAPSHOT starting");
        out.println("node ID: " + nodeId.uri());

        Files.createDirectories(c.workdir);
        Path workdir = c.workdir.toAbsolutePath().normalize();
        BundleStore store;
        String storeText;
        if (c.db.equals("mem")) {
            store = new MemoryBundleStore();
            storeText = "mem (in memory, lost on exit)";
        } else {
            Path dir = workdir.resolve("store");
            store = SqliteBundleStore.open(dir);
            storeText = "sqlite " + dir + " (" + store.count() + " bundles)";
        }
        out.println("store: " + storeText);

        BundleProtocolAgent agent = null;
        IpndService ipnd = null;
        ApiServer api = null;
        List<AutoCloseable> interfaces = new ArrayList<>();
        int eclaTcp = -1;
        try {
            ExternalRouter external = externalRouter(c);
            Router router = external != null ? external : Routers.create(c.routing, c.routingOptions);
            PeerExtras extras = new PeerExtras();
            List<TransferListener> transferListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
            transferListeners.add(extras);
            if (external != null) {
                transferListeners.add(external);
            }
            TransferListener transfers = TransferListener.all(transferListeners);
            List<MeteredConvergenceLayer> clas = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (DaemonConfig.ClaSpec spec : c.clas) {
                clas.add(new MeteredConvergenceLayer(ConvergenceLayers.create(spec.name(), claOptions(spec, c)), transfers));
            }
            AgentConfig.Builder ab = AgentConfig.builder(nodeId)
                    .store(store)
                    .router(router)
                    .convergenceLayers(clas)
                    .statusReports(c.generateStatusReports)
                    .crcType(switch (c.crc) {
                        case "16" -> CrcType.CRC16;
                        case "32" -> CrcType.CRC32C;
                        default -> CrcType.NONE;
                    })
                    .janitorInterval(Duration.ofMillis(c.janitorMs))
                    .peerTimeout(Duration.ofMillis(c.peerTimeoutMs))
                    .validationPolicy(c.validationPolicy())
                    .spoolDirectory(Files.createDirectories(workdir.resolve("spool")));
            for (String url : c.staticPeers) {
                ab.staticPeer(AgentNodeService.peerOf(PeerUrl.parse(url), PeerOrigin.STATIC));
            }
            agent = new BundleProtocolAgent(ab.build());
            agent.register(nodeId, null);
            for (String e : c.endpoints) {
                agent.register(endpointFor(nodeId.uri(), e), null);
            }
            agent.start();
            List<String> claLines = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (ConvergenceLayer cla : clas) {
                String host = c.ipv6 && !c.ipv4 ? "[::]" : "0.0.0.0";
                out.println("listening: " + cla.name() + " on " + host + ":" + cla.port());
                claLines.add(cla.name() + ":" + cla.port());
            }
            for (String url : c.staticPeers) {
                out.println("static peer: " + url);
            }
            out.println("routing: " + router.name());

            BundleProtocolAgent a = agent;
            boolean discovery = !c.discoveryDisabled && c.discoveryIntervalMs > 0;
            DiscoveryListener peerFeed = new DiscoveryListener() {
                @Override
                public void peerSeen(EndpointId peer, List<DiscoveredAddress> addresses) {
                    List<ClaAddress> list = new ArrayList<>();
                    for (DiscoveredAddress d : addresses) {
                        list.add(new ClaAddress(d.cla(), d.host(), d.port()));
                    }
                    a.peerDiscovered(new Peer(peer, list, PeerOrigin.DISCOVERED, Instant.now(), null));
                }

                @Override
                public void peerExpired(EndpointId peer) {
                    Optional<Peer> known = a.peers().stream().filter(p -> p.nodeId().equals(peer)).findFirst();
                    if (known.isPresent() && known.get().origin() != PeerOrigin.STATIC) {
                        a.removePeer(peer);
                        LOG.info("peer {} expired (no beacon)", peer);
                    }
                }
            };
            // one view of the peers both discovery services see: a node expires only when neither hears it any more
            DiscoveryMerge peers = new DiscoveryMerge(peerFeed);
            if (discovery) {
                ipnd = IpndService.start(ipndConfig(c, nodeId, clas), peers.service("ipnd"));
                out.println("discovery: IPND on UDP " + ipnd.port() + " every " + c.discoveryIntervalMs + " ms to "
                        + ipnd.config().effectiveDestinations());
            } else {
                out.println("discovery: off");
            }
            if (c.dtn7goDiscovery) {
                Dtn7GoDiscovery go = Dtn7GoDiscovery.start(dtn7goConfig(c, nodeId, clas), peers.service("dtn7-go"));
                interfaces.add(go);
                out.println("discovery: dtn7-go's own on " + Dtn7GoDiscovery.DEFAULT_GROUP.getAddress().getHostAddress()
                        + ":" + Dtn7GoDiscovery.DEFAULT_GROUP.getPort() + " announcing " + go.announcements().stream()
                        .map(x -> x.claName().orElse("?") + ":" + x.port()).toList()
                        + (c.discoveryInterfaces.isEmpty() ? "" : " via " + c.discoveryInterfaces));
            }

            NodeDescription description = new NodeDescription(router.name(), claLines, c.janitorMs,
                    discovery ? c.discoveryIntervalMs : 0, c.peerTimeoutMs, storeText);
            extras.discovery(ipnd);
            AgentNodeService node = new AgentNodeService(agent, description, () -> clas.stream()
                    .map(m -> new ClaCounters(m.name(), m.sessions(), m.bundlesIn(), m.bundlesOut(), m.bytesIn(),
                            m.bytesOut(), m.failures()))
                    .toList(), extras);
            node.discovery(ipnd);
            Map<String, java.util.function.Supplier<org.eclipse.jetty.websocket.api.Session.Listener>> webSockets =
                    new LinkedHashMap<>();
            if (external != null) {
                external.bind(agent, node);
                external.services(c.services);
                interfaces.add(external::close);
                webSockets.put("/ws/erouting", external::newSession);
                node.addMetricSource(external::metrics);
            }
            if (c.ecla || c.eclaTcpPort != null) {
                List<BeaconService> configured = services(c);
                java.util.function.Supplier<List<BeaconService>> ownServices = external == null ? () -> configured
                        : () -> {
                            List<BeaconService> l = new ArrayList<>();
                            external.services().forEach((tag, text) ->
                                    l.add(new BeaconService(tag, text.getBytes(StandardCharsets.UTF_8))));
                            return l;
                        };
                EclaService ecla = new EclaService(agent, cla -> {
                    MeteredConvergenceLayer m = new MeteredConvergenceLayer(cla, transfers);
                    clas.add(m);
                    claLines.add(cla.name() + ":" + cla.port() + " (ECLA module)");
                    return m;
                }, name -> {
                    clas.removeIf(m -> m.name().equals(name));
                    claLines.removeIf(l -> l.startsWith(name + ":"));
                }, extras::servicesSeen, ownServices,
                        Duration.ofMillis(c.discoveryIntervalMs > 0 ? c.discoveryIntervalMs : 2_000));
                interfaces.add(ecla);
                webSockets.put("/ws/ecla", ecla::newSession);
                node.addMetricSource(ecla::metrics);
                if (c.eclaTcpPort != null) {
                    EclaTcpConnector tcp = new EclaTcpConnector(ecla, c.eclaTcpPort);
                    interfaces.add(0, tcp);
                    eclaTcp = tcp.port();
                    out.println("listening: ECLA modules on tcp 127.0.0.1:" + eclaTcp);
                }
            }
            ApiServer server = new ApiServer(node, new ApiOptions(c.apiBind, c.webPort, c.token, c.unsafeHttpd,
                    c.maxRequestBytes).withMaxConnections(c.maxApiConnections), webSockets);
            try {
                api = server.start();
            } catch (IOException e) {
                server.close();
                throw new IOException("cannot listen on " + c.apiBind + ":" + c.webPort + " for the API (" + e.getMessage()
                        + "); is another node running there? choose another port with -w", e);
            }
            if (!isLoopback(c.apiBind) && c.token == null) {
                LOG.warn("the API listens on {} without a bearer token: anyone who can reach it can read this node's "
                        + "bundles; consider --token", c.apiBind);
            }
            String apiHost = api.host().contains(":") ? "[" + api.host() + "]" : api.host();
            out.println("API: http://" + apiHost + ":" + api.port() + "/ (REST, /ws" + String.join("", webSockets.keySet()
                    .stream().map(p -> ", " + p).toList()) + ", web pages, /metrics)"
                    + (c.token != null ? " bearer token required" : ""));
            out.println("dtn7j daemon ready");
            Daemon d = new Daemon(agent, store, ipnd, api, interfaces);
            d.eclaTcpPort = eclaTcp;
            return d;
        } catch (Exception | Error e) {
            if (api != null) {
                api.close();
            }
            closeAll(interfaces);
            if (ipnd != null) {
                ipnd.close();
            }
            if (agent != null) {
                agent.close();
            }
            store.close();
            throw e;
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** A {@code -e} value: a service name on this node or a full EID. */
    static EndpointId endpointFor(String nodeId, String value) {
        if (value.contains(":")) {
            return EndpointId.parse(value);
        }
        if (nodeId.startsWith("ipn:")) {
            return EndpointId.parse(nodeId.substring(0, nodeId.indexOf('.') + 1) + Long.parseUnsignedLong(value));
        }
        return EndpointId.parse(nodeId + value);
    }

    private static ClaOptions claOptions(DaemonConfig.ClaSpec spec, DaemonConfig c) {
        ClaOptions.Builder b = ClaOptions.defaults().toBuilder();
        Map<String, String> merged = new LinkedHashMap<>(c.globalClaOptions.getOrDefault(spec.name(), Map.of()));
        merged.putAll(spec.options());
        if (merged.containsKey("port")) {
            b.port(spec.port(ClaOptions.DEFAULT_PORT));
        }
        String bind = merged.get("bind");
        if (bind != null) {
            b.bindHost(bind);
        } else if (c.ipv6 && !c.ipv4) {
            b.bindHost("::");
        }
        String buffer = merged.get("socket-buffer");
        if (buffer != null) {
            try {
                b.socketBufferSize(Integer.parseInt(buffer));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CLA " + spec.name() + ": socket-buffer must be a number of bytes"
                        + " (0 leaves it to the OS), got '" + buffer + "'");
            }
        }
        String minRate = merged.get("min-rate");
        if (minRate != null) {
            long rate;
            try {
                rate = Long.parseLong(minRate);
            } catch (NumberFormatException e) {
                rate = 0;
            }
            if (rate <= 0) {
                throw new IllegalArgumentException("CLA " + spec.name() + ": min-rate must be a positive number of bytes"
                        + " per second, got '" + minRate + "'");
            }
            b.minRate(rate);
        }
        // everything else is the CLA's own parameter (e.g. dtn7rs-rest's url, poll-interval-ms, fetch)
        merged.forEach((k, v) -> {
            if (!k.equals("port") && !k.equals("bind") && !k.equals("socket-buffer") && !k.equals("min-rate")) {
                b.parameter(k, v);
            }
        });
        return b.build();
    }

    /** dtn7-go's discovery: its default group, the IPND interval (2 s when IPND is off), interfaces and peer timeout. */
    private static Dtn7GoDiscovery.Config dtn7goConfig(DaemonConfig c, EndpointId nodeId,
                                                       List<? extends ConvergenceLayer> clas) {
        Duration every = Duration.ofMillis(c.discoveryIntervalMs > 0 ? c.discoveryIntervalMs : 2_000);
        Duration timeout = Duration.ofMillis(Math.max(c.peerTimeoutMs, every.toMillis() * 2));
        return Dtn7GoDiscovery.Config.of(nodeId, () -> clas.stream().filter(cla -> cla.port() > 0)
                        .map(cla -> ClaAdvertisement.of(cla.name(), cla.port())).toList())
                .withInterfaces(c.discoveryInterfaces.toArray(String[]::new)).withTiming(every, timeout);
    }

    private static IpndConfig ipndConfig(DaemonConfig c, EndpointId nodeId, List<? extends ConvergenceLayer> clas) {
        IpndConfig.Builder b = IpndConfig.builder(nodeId)
                .clas(() -> {
                    List<ClaAdvertisement> ads = new ArrayList<>();
                    for (ConvergenceLayer cla : clas) {
                        ads.add(ClaAdvertisement.of(cla.name(), cla.port()));
                    }
                    return ads;
                })
                .interval(Duration.ofMillis(c.discoveryIntervalMs))
                .announcePeriod(c.beaconPeriod)
                .port(c.discoveryPort)
                .ipv4(c.ipv4)
                .ipv6(c.ipv6)
                .peerTimeout(Duration.ofMillis(c.peerTimeoutMs));
        for (String d : c.discoveryDestinations) {
            b.destination(d);
        }
        for (String i : c.discoveryInterfaces) {
            b.allowInterface(i);
        }
        if (!c.services.isEmpty()) {
            b.services(services(c));
        }
        return b.build();
    }

    /** {@code -r external}: a router on /ws/erouting; {@code external.fallback=ALGO} routes while none is connected. */
    private static ExternalRouter externalRouter(DaemonConfig c) {
        if (!c.routing.strip().equalsIgnoreCase("external")) {
            return null;
        }
        String fb = c.routingOptions.getOrDefault("external.fallback", "none").strip();
        Router fallback = fb.isEmpty() || fb.equalsIgnoreCase("none") ? null : Routers.create(fb, c.routingOptions);
        String t = c.routingOptions.get("external.timeout_ms");
        Duration timeout = ExternalRouter.DEFAULT_TIMEOUT;
        if (t != null) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(t.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("external.timeout_ms must be a number of milliseconds, got '" + t + "'");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("external.timeout_ms must be positive, got '" + t + "'");
            }
        }
        return new ExternalRouter(fallback, timeout);
    }

    private static List<BeaconService> services(DaemonConfig c) {
        List<BeaconService> services = new ArrayList<>();
        c.services.forEach((tag, payload) -> services.add(new BeaconService(tag, payload.getBytes(StandardCharsets.UTF_8))));
        return services;
    }

    private static void closeAll(List<AutoCloseable> list) {
        for (AutoCloseable a : list) {
            try {
                a.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", a, e);
            }
        }
    }

    /** {@return the agent (tests)} */
    public BundleProtocolAgent agent() {
        return agent;
    }

    /** {@return the port of the ECLA TCP connector, -1 when it is off} */
    public int eclaTcpPort() {
        return eclaTcpPort;
    }

    /** {@return the API's port} */
    public int apiPort() {
        return api.port();
    }

    /** Stops the API, discovery, the agent (ending CLA sessions properly) and closes the store. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("shutting down");
        try {
            api.close();
        } catch (RuntimeException e) {
            LOG.warn("API shutdown failed", e);
        }
        closeAll(interfaces);
        if (ipnd != null) {
            ipnd.close();
        }
        try {
            agent.close();
        } catch (RuntimeException e) {
            LOG.warn("agent shutdown failed", e);
        }
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.warn("store close failed", e);
        }
        LOG.info("stopped");
    }

    static String describe(IOException e) {
        return e.getMessage();
    }
}
