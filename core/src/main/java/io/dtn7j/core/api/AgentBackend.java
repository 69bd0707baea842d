package io.dtn7j.core.api;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.admin.BundleStatusReport;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.Delivery;
import io.dtn7j.core.agent.SendRequest;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.discovery.ClaAdvertisement;
import io.dtn7j.core.discovery.DiscoveredAddress;
import io.dtn7j.core.discovery.DiscoveryListener;
import io.dtn7j.core.discovery.DiscoveryMerge;
import io.dtn7j.core.discovery.Dtn7GoDiscovery;
import io.dtn7j.core.discovery.IpndConfig;
import io.dtn7j.core.discovery.IpndService;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.core.routing.Routers;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.core.store.StoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@link Backend} of every {@link DtnNode}: a {@link BundleProtocolAgent}, plus IPND when discovery is on and
 * dtn7-go's discovery when asked for.
 */
final class AgentBackend implements Backend {

    private static final System.Logger LOG = System.getLogger(AgentBackend.class.getName());

    private final BundleProtocolAgent agent;
    private final IpndService ipnd;
    private final Dtn7GoDiscovery dtn7go;
    private final Duration lifetime;
    private final boolean statusReports;

    private AgentBackend(NodeSettings s, int mtcpPort) throws IOException {
        this.lifetime = s.lifetime();
        this.statusReports = s.statusReports();
        List<ConvergenceLayer> clas = new ArrayList<>();
        if (s.mtcp()) {
            clas.add(ConvergenceLayers.create("mtcp", ClaOptions.builder().port(mtcpPort).build()));
        }
        clas.addAll(s.convergenceLayers());
        AgentConfig.Builder config = AgentConfig.builder(s.nodeId())
                .store(s.store() != null ? s.store() : new MemoryBundleStore())
                .router(s.router() != null ? s.router() : Routers.create("epidemic"))
                .convergenceLayers(clas)
                .statusReports(s.statusReports())
                .crcType(s.crcType())
                .defaultLifetime(s.lifetime())
                .validationPolicy(s.validationPolicy());
        for (String peer : s.peers()) {
            config.staticPeer(peer(peer));
        }
        this.agent = BundleProtocolAgent.start(config.build());
        IpndService discovery = null;
        // one view of the peers both discovery services see: a node expires only when neither hears it any more
        DiscoveryMerge peers = new DiscoveryMerge(new PeerFeed());
        if (s.discovery()) {
            try {
                discovery = IpndService.start(ipndConfig(s), peers.service("ipnd"));
            } catch (IOException | RuntimeException e) {
                agent.close();
                throw e;
            }
        }
        this.ipnd = discovery;
        Dtn7GoDiscovery goDiscovery = null;
        if (s.dtn7goDiscovery() != null) {
            try {
                goDiscovery = Dtn7GoDiscovery.start(Dtn7GoDiscovery.Config.of(s.nodeId(), this::listeningClas)
                        .withInterfaces(s.dtn7goDiscovery().toArray(String[]::new)), peers.service("dtn7-go"));
            } catch (IOException | RuntimeException e) {
                if (discovery != null) {
                    discovery.close();
                }
                agent.close();
                throw e;
            }
        }
        this.dtn7go = goDiscovery;
    }

    private List<ClaAdvertisement> listeningClas() {
        return agent.convergenceLayers().values().stream()
                .filter(c -> c.port() > 0)
                .map(c -> ClaAdvertisement.of(c.name(), c.port())).toList();
    }

    /**
     * Starts the agent. When the default MTCP port is taken (e.g. by a daemon on this host), the node listens on an
     * ephemeral port instead and says so; an explicitly configured port that is taken is an error.
     */
    static AgentBackend start(NodeSettings s) {
        try {
            return new AgentBackend(s, s.mtcpPort());
        } catch (IOException e) {
            if (s.mtcp() && !s.mtcpPortSet() && s.convergenceLayers().isEmpty() && isBindProblem(e)) {
                LOG.log(System.Logger.Level.WARNING, "MTCP port " + s.mtcpPort() + " is in use; node " + s.nodeId()
                        + " listens on an ephemeral port instead (set one with DtnNode.builder(..).mtcpPort(p))");
                try {
                    return new AgentBackend(s, 0);
                } catch (IOException again) {
                    throw new UncheckedIOException("cannot start node " + s.nodeId() + ": " + again.getMessage(), again);
                }
            }
            throw new UncheckedIOException("cannot start node " + s.nodeId() + ": " + e.getMessage()
                    + (isBindProblem(e) ? " (a port is in use: choose another, or 0 for an ephemeral one)" : ""), e);
        }
    }

    private static boolean isBindProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t.getMessage() != null && t.getMessage().contains("in use")) {
                return true;
            }
        }
        return false;
    }

    private IpndConfig ipndConfig(NodeSettings s) {
        IpndConfig.Builder b = IpndConfig.builder(s.nodeId())
                .clas(this::listeningClas)
                .interval(s.discoveryInterval())
                .port(s.discoveryPort())
                .multicastLoopback(true); // several nodes on one host hear each other
        for (String d : s.discoveryDestinations()) {
            b.destination(d);
        }
        if (s.discoveryDestinations().isEmpty()) {
            b.subnetBroadcast(true); // dtn7zero nodes listen for broadcasts, not for the multicast group
        }
        for (String i : s.discoveryInterfaces()) {
            b.allowInterface(i);
        }
        return b.build();
    }

    /** Turns what discovery sees (through the {@link DiscoveryMerge}) into the agent's peers. */
    private final class PeerFeed implements DiscoveryListener {
        @Override
        public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
            List<ClaAddress> reachable = addresses.stream()
                    .filter(a -> a.port() > 0)
                    .map(a -> new ClaAddress(a.cla(), a.host(), a.port())).toList();
            agent.peerDiscovered(new Peer(nodeId, reachable, PeerOrigin.DISCOVERED, Instant.now()));
        }

        @Override
        public void peerExpired(EndpointId nodeId) {
            boolean discovered = agent.peers().stream()
                    .anyMatch(p -> p.nodeId().equals(nodeId) && p.origin() == PeerOrigin.DISCOVERED);
            if (discovered) {
                agent.removePeer(nodeId);
            }
        }
    }

    /** {@code mtcp://host:port/node2} → a static peer {@code dtn://node2/} (digits: {@code ipn:N.0}). */
    static Peer peer(String url) {
        ClaAddress address;
        try {
            address = ClaAddress.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a peer URL: write <cla>://<host>:<port>/<node name>,"
                    + " e.g. mtcp://192.168.1.7:16162/node2", e);
        }
        if (ConvergenceLayers.provider(address.cla()).isEmpty()) {
            throw new IllegalArgumentException("'" + url + "' names the unknown convergence layer '" + address.cla()
                    + "': use one of " + ConvergenceLayers.names());
        }
        int slash = url.indexOf('/', url.indexOf("://") + 3);
        String name = slash < 0 ? "" : url.substring(slash + 1).replaceAll("/+$", "");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + url + "' does not name the peer's node: append its node name, e.g. "
                    + url.replaceAll("/+$", "") + "/node2");
        }
        EndpointId nodeId;
        if (name.chars().allMatch(Character::isDigit)) {
            nodeId = EndpointId.ipn(Long.parseLong(name), 0);
        } else if (name.startsWith("dtn:") || name.startsWith("ipn:")) {
            nodeId = Uris.nodeId(name);
        } else {
            nodeId = EndpointId.dtn(name, "");
        }
        if (address.port() == 0) {
            address = address.withDefaultPort(ConvergenceLayers.defaultPort(address.cla()));
        }
        return Peer.staticPeer(nodeId, address);
    }

    @Override
    public EndpointId nodeId() {
        return agent.nodeId();
    }

    @Override
    public void register(EndpointId eid, Consumer<Message> sink) {
        agent.register(eid, delivery -> sink.accept(message(delivery)));
    }

    private static Message message(Delivery d) {
        return new Message(d.bundle().payload().toByteArray(), d.source().uri(), d.destination().uri(),
                d.bundle().primary(), d.id());
    }

    @Override
    public void unregister(EndpointId eid) {
        agent.unregister(eid);
    }

    @Override
    public BundleId send(EndpointId source, EndpointId destination, byte[] payload, boolean anonymous) {
        SendRequest.Builder request = SendRequest.to(destination).payload(payload.clone()).lifetime(lifetime);
        if (anonymous) {
            request.anonymous().reportTo(EndpointId.NONE); // as dtn7zero: nothing points back at the sender
        } else {
            request.source(source);
            if (statusReports) {
                request.requestDeliveryReport();
            }
        }
        try {
            return agent.send(request.build());
        } catch (StoreException e) {
            throw new IllegalStateException("the node could not store the message to " + destination.uri() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<KnownPeer> peers() {
        return agent.peers().stream()
                .map(p -> new KnownPeer(p.nodeId().uri(), p.addresses().stream().map(ClaAddress::toString).toList(),
                        p.origin() == PeerOrigin.DISCOVERED, p.lastSeen()))
                .toList();
    }

    @Override
    public void addPeer(String claUrl) {
        agent.addStaticPeer(peer(claUrl));
    }

    @Override
    public CompletableFuture<BundleStatusReport> deliveryReport(BundleId id) {
        return agent.deliveryReport(id);
    }

    @Override
    public int port(String claName) {
        ConvergenceLayer cla = agent.convergenceLayers().get(claName);
        return cla == null ? -1 : cla.port();
    }

    @Override
    public void close() {
        if (ipnd != null) {
            ipnd.close();
        }
        if (dtn7go != null) {
            dtn7go.close();
        }
        agent.close();
    }
}
