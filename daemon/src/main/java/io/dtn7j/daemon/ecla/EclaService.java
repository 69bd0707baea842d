package io.dtn7j.daemon.ecla;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.discovery.BeaconDecodeException;
import io.dtn7j.core.discovery.BeaconService;
import io.dtn7j.core.discovery.ClaAdvertisement;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.daemon.api.MetricSample;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dtn7-rs's external convergence layer interface (ECLA, dtn7-compat.md §10.4) on {@code /ws/ecla}: a module
 * registers a CLA by name; the daemon adds a real convergence layer of that name to the running agent
 * ({@link EclaModuleCla}), hands it bundles to forward as {@code ForwardData}, takes the bundles it received
 * ({@code ForwardData}) and the peers it found ({@code Beacon}, added as discovered peers reachable over the module),
 * and sends it this node's beacon every announcement interval. When the module disconnects its CLA is removed.
 *
 * <p>Differences from dtnd: {@code enable_beacon: false} is honoured (dtnd ignores it); a peer announced by a module
 * is reached over that module first (dtnd takes the first CLA of the beacon's list that it runs, e.g. its own MTCP at
 * the module's address), also when the service block does not list the module's CLA; packets are checked and a
 * malformed one gets an {@code Error} reply (dtnd ignores it or panics); the route is subject to the API's loopback
 * guard and token like {@code /ws}.
 */
public final class EclaService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EclaService.class);

    private final BundleProtocolAgent agent;
    private final UnaryOperator<ConvergenceLayer> wrap;
    private final Consumer<String> removed;
    private final BiConsumer<EndpointId, List<BeaconService>> servicesSeen;
    private final Supplier<List<BeaconService>> ownServices;
    private final Set<EclaConnection> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, EclaConnection> modules = new ConcurrentHashMap<>();
    private final LongAdder bundlesIn = new LongAdder();
    private final LongAdder beaconsIn = new LongAdder();
    private final LongAdder badPackets = new LongAdder();
    private final Thread announcer;
    private volatile boolean closed;

    /**
     * Starts the service (and its beacon announcer).
     *
     * @param agent the running agent the modules' CLAs are added to
     * @param wrap wraps each module's CLA before it is added (the daemon meters it)
     * @param removed told the name of each module CLA that was removed
     * @param servicesSeen told the services each module beacon advertised
     * @param ownServices the services this node advertises
     * @param interval how often registered modules get this node's beacon
     */
    public EclaService(BundleProtocolAgent agent, UnaryOperator<ConvergenceLayer> wrap, Consumer<String> removed,
                       BiConsumer<EndpointId, List<BeaconService>> servicesSeen, Supplier<List<BeaconService>> ownServices,
                       Duration interval) {
        this.agent = agent;
        this.wrap = wrap;
        this.removed = removed;
        this.servicesSeen = servicesSeen;
        this.ownServices = ownServices;
        long ms = Math.max(100, interval.toMillis());
        this.announcer = Thread.ofVirtual().name("ecla-announcer").start(() -> announce(ms));
    }

    /**
     * A handler for one new {@code /ws/ecla} connection.
     *
     * @return the WebSocket listener
     */
    public Session.Listener newSession() {
        return new EclaSession(this);
    }

    /** {@return the names of the registered modules} */
    public List<String> modules() {
        return List.copyOf(modules.keySet());
    }

    /** {@return samples for /metrics} */
    public List<MetricSample> metrics() {
        return List.of(
                MetricSample.gauge("dtn7j_ecla_modules", "External CLA modules registered over /ws/ecla.", modules.size()),
                MetricSample.counter("dtn7j_ecla_bundles_received_total", "Bundles ECLA modules handed in.", bundlesIn.sum()),
                MetricSample.counter("dtn7j_ecla_beacons_received_total", "Beacons ECLA modules handed in.", beaconsIn.sum()),
                MetricSample.counter("dtn7j_ecla_bad_packets_total", "Malformed or unexpected ECLA packets.", badPackets.sum()));
    }

    void opened(EclaConnection s) {
        sessions.add(s);
        if (closed) {
            s.close();
        }
    }

    void badPacket() {
        badPackets.increment();
    }

    void closed(EclaConnection s) {
        if (!sessions.remove(s)) {
            return;
        }
        EclaModuleCla m = s.module();
        if (m != null && modules.remove(m.name(), s)) {
            agent.removeConvergenceLayer(m.name());
            removed.accept(m.name());
            LOG.info("ECLA module {} disconnected; its convergence layer is removed", m.name());
        }
    }

    void handle(EclaConnection s, EclaPacket packet) {
        EclaModuleCla module = s.module();
        if (module == null) {
            if (packet instanceof EclaPacket.Register r) {
                register(s, r);
            } else {
                badPacket();
                s.trySend(new EclaPacket.Error("register first: the first packet must be a Register"));
            }
            return;
        }
        switch (packet) {
            case EclaPacket.ForwardData f -> {
                bundlesIn.increment();
                ReceptionResult r = module.received(f.data(), f.src());
                if (r instanceof ReceptionResult.Rejected rej) {
                    LOG.debug("bundle {} from ECLA module {} rejected: {}", f.bundleId(), module.name(), rej.reason());
                    s.trySend(new EclaPacket.Error("bundle " + f.bundleId() + " rejected: " + rej.reason()));
                }
            }
            case EclaPacket.Beacon b -> beacon(s, module, b);
            default -> {
                badPacket();
                s.trySend(new EclaPacket.Error("unexpected " + packet.getClass().getSimpleName()
                        + " packet: a registered module sends ForwardData and Beacon"));
            }
        }
    }

    private void register(EclaConnection s, EclaPacket.Register r) {
        String name = r.name();
        if (name.isEmpty() || name.length() > EclaPacket.MAX_NAME_LENGTH || name.isBlank()) {
            s.closeWith(new EclaPacket.Error("invalid name"));
            return;
        }
        synchronized (modules) {
            if (modules.containsKey(name) || agent.convergenceLayers().containsKey(name)) {
                s.closeWith(new EclaPacket.Error("already registered"));
                return;
            }
            EclaModuleCla cla = new EclaModuleCla(name, r.port(), s);
            try {
                agent.addConvergenceLayer(wrap.apply(cla));
            } catch (IOException | RuntimeException e) {
                s.closeWith(new EclaPacket.Error("cannot add convergence layer " + name + ": " + e.getMessage()));
                return;
            }
            modules.put(name, s);
            s.registered(cla, r.enableBeacon());
        }
        LOG.info("ECLA module {} registered (port {}, beacons {})", name, r.port(), r.enableBeacon() ? "on" : "off");
        s.trySend(new EclaPacket.Registered(agent.nodeId().uri()));
        if (r.enableBeacon()) {
            s.trySend(ownBeacon());
        }
    }

    private void beacon(EclaConnection s, EclaModuleCla module, EclaPacket.Beacon b) {
        beaconsIn.increment();
        EndpointId eid;
        ServiceBlocks.Content content;
        try {
            eid = EndpointId.parse(b.eid());
            if (eid.isNone()) {
                throw new IllegalArgumentException("dtn:none is not a node");
            }
            content = ServiceBlocks.decode(b.serviceBlock());
        } catch (BeaconDecodeException | IllegalArgumentException e) {
            badPacket();
            s.trySend(new EclaPacket.Error("bad Beacon: " + e.getMessage()));
            return;
        }
        if (eid.nodeId().equals(agent.nodeId())) {
            return;
        }
        String host = b.addr().isEmpty() ? EclaModuleCla.ANY : b.addr();
        // the beacon came through this module, so the module is a proven way to the peer: its address goes first
        // (the block's port for it if it names one); the block's other CLAs follow, addressed at the same addr
        List<ClaAddress> addresses = new ArrayList<>();
        int modulePort = 0;
        for (ClaAdvertisement c : content.clas()) {
            if (c.name().equals(module.name()) && c.port() != null) {
                modulePort = c.port();
            }
        }
        addresses.add(new ClaAddress(module.name(), host, modulePort));
        for (ClaAdvertisement c : content.clas()) {
            if (!c.name().equals(module.name())) {
                addresses.add(new ClaAddress(c.name(), host, c.port() == null ? 0 : c.port()));
            }
        }
        // services first: /status/peers may list the peer the moment the agent knows it, and must show them then
        servicesSeen.accept(eid.nodeId(), content.services());
        agent.peerDiscovered(new Peer(eid.nodeId(), addresses, PeerOrigin.DISCOVERED, Instant.now(), null));
    }

    /** This node's beacon for the modules: its node ID, no address, every CLA the agent runs with its port. */
    EclaPacket.Beacon ownBeacon() {
        List<ClaAdvertisement> clas = new ArrayList<>();
        agent.convergenceLayers().values().stream()
                .sorted(java.util.Comparator.comparing(ConvergenceLayer::name))
                .forEach(c -> clas.add(ClaAdvertisement.of(c.name(), c.port())));
        return new EclaPacket.Beacon(agent.nodeId().uri(), "", ServiceBlocks.encode(clas, ownServices.get()));
    }

    private void announce(long intervalMs) {
        while (!closed) {
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
            EclaPacket.Beacon beacon = null;
            for (EclaConnection s : sessions) {
                if (s.wantsBeacons()) {
                    if (beacon == null) {
                        beacon = ownBeacon();
                    }
                    s.trySend(beacon);
                }
            }
        }
    }

    /** Closes every module connection and stops the announcer; the modules' CLAs leave the agent. */
    @Override
    public void close() {
        closed = true;
        announcer.interrupt();
        for (EclaConnection s : List.copyOf(sessions)) {
            s.close();
            closed(s);
        }
    }
}
