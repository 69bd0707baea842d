package io.dtn7j.daemon.node;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.core.agent.AgentStatistics;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.Delivery;
import io.dtn7j.core.agent.SendRequest;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.store.StoreException;
import io.dtn7j.daemon.api.ApiException;
import io.dtn7j.daemon.api.BundleSummary;
import io.dtn7j.daemon.api.ClaCounters;
import io.dtn7j.daemon.api.NodeDescription;
import io.dtn7j.daemon.api.NodeService;
import io.dtn7j.daemon.api.NodeStats;
import io.dtn7j.daemon.api.PeerSummary;
import io.dtn7j.daemon.api.ReceivedBundle;
import io.dtn7j.daemon.api.SendSpec;
import io.dtn7j.daemon.config.PeerUrl;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link NodeService} over the real {@link BundleProtocolAgent}: what the HTTP/WebSocket API calls becomes agent
 * operations; endpoint and bundle IDs cross as dtn7-rs's strings.
 */
public final class AgentNodeService implements NodeService {
    private final BundleProtocolAgent agent;
    private final NodeDescription description;
    private final Supplier<List<ClaCounters>> clas;
    private final PeerExtras extras;
    private final List<Supplier<List<io.dtn7j.daemon.api.MetricSample>>> metricSources =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile io.dtn7j.core.discovery.IpndService ipnd;
    private final long startedUnixSeconds = System.currentTimeMillis() / 1000;
    private final List<String> registrationOrder = new ArrayList<>();
    private long lastCtsMs;
    private long ctsSeq;

    /**
     * A node service backed by a running agent.
     *
     * @param agent the running agent
     * @param description configuration facts for the pages
     * @param clas counters per convergence layer (for metrics)
     */
    public AgentNodeService(BundleProtocolAgent agent, NodeDescription description, Supplier<List<ClaCounters>> clas) {
        this(agent, description, clas, new PeerExtras());
    }

    /**
     * A node service backed by a running agent, with peer services and failure counts.
     *
     * @param agent the running agent
     * @param description configuration facts for the pages
     * @param clas counters per convergence layer (for metrics)
     * @param extras services and failures per peer (for {@code /status/peers})
     */
    public AgentNodeService(BundleProtocolAgent agent, NodeDescription description, Supplier<List<ClaCounters>> clas,
                            PeerExtras extras) {
        this.agent = agent;
        this.description = description;
        this.clas = clas;
        this.extras = extras;
    }

    /**
     * Reports the discovery service's counters in {@code /metrics}.
     *
     * @param service the running IPND service, or null
     */
    public void discovery(io.dtn7j.core.discovery.IpndService service) {
        this.ipnd = service;
    }

    /**
     * Adds samples to {@code /metrics} (the ECLA and external router report through this).
     *
     * @param source called on each scrape
     */
    public void addMetricSource(Supplier<List<io.dtn7j.daemon.api.MetricSample>> source) {
        metricSources.add(source);
    }

    @Override
    public String nodeId() {
        return agent.nodeId().uri();
    }

    @Override
    public List<String> registeredEndpoints() {
        Set<EndpointId> eps = agent.endpoints();
        List<String> out = new ArrayList<>();
        out.add(nodeId());
        synchronized (registrationOrder) {
            registrationOrder.removeIf(e -> eps.stream().noneMatch(x -> x.uri().equals(e)));
            for (String e : registrationOrder) {
                if (!out.contains(e)) {
                    out.add(e);
                }
            }
        }
        for (EndpointId e : eps) {
            if (!out.contains(e.uri())) {
                out.add(e.uri());
            }
        }
        return out;
    }

    @Override
    public String parseEndpoint(String eid) throws ApiException {
        return eid(eid).uri();
    }

    private static EndpointId eid(String text) throws ApiException {
        try {
            return EndpointId.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @Override
    public void register(String eid) throws ApiException {
        EndpointId e = eid(eid);
        if (isRegistered(e.uri())) {
            return;
        }
        try {
            agent.register(e, null);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw ApiException.badRequest("cannot register " + eid + ": " + ex.getMessage());
        }
        synchronized (registrationOrder) {
            registrationOrder.add(e.uri());
        }
    }

    @Override
    public void unregister(String eid) throws ApiException {
        EndpointId e = eid(eid);
        if (e.uri().equals(nodeId())) {
            return; // the node ID stays registered, as in dtnd
        }
        agent.unregister(e);
        synchronized (registrationOrder) {
            registrationOrder.remove(e.uri());
        }
    }

    @Override
    public boolean isRegistered(String eid) {
        if (eid.equals(nodeId())) {
            return true;
        }
        for (EndpointId e : agent.endpoints()) {
            if (e.uri().equals(eid)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<ReceivedBundle> poll(String eid) throws ApiException {
        return received(agent.poll(eid(eid)));
    }

    @Override
    public Optional<ReceivedBundle> poll(String eid, java.time.Duration timeout) throws ApiException, InterruptedException {
        return received(agent.poll(eid(eid), timeout));
    }

    private static Optional<ReceivedBundle> received(Optional<Delivery> d) {
        if (d.isEmpty()) {
            return Optional.empty();
        }
        Bundle b = d.get().bundle();
        byte[] encoded = BundleCodec.encode(b);
        return Optional.of(new ReceivedBundle(d.get().id().toString(), b.source().uri(), b.destination().uri(),
                b.creation().dtnTimeMs(), b.creation().sequence(), b.primary().lifetimeMs(), b.isAdministrativeRecord(),
                b.payload().toByteArray(), encoded));
    }

    @Override
    public String send(SendSpec spec) throws ApiException {
        try {
            SendRequest.Builder r = SendRequest.to(eid(spec.destination()))
                    .source(eid(spec.source()))
                    .payload(spec.payload())
                    .flags(spec.flags());
            if (spec.lifetimeMs() > 0) {
                r.lifetime(Duration.ofMillis(spec.lifetimeMs()));
            }
            BundleId id = agent.send(r.build());
            return id.toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (StoreException e) {
            throw new ApiException(507, "the bundle store refused the bundle: " + e.getMessage());
        }
    }

    @Override
    public void receive(byte[] encodedBundle, boolean fromPeer) throws ApiException {
        ReceptionResult r = agent.receive(ByteSource.of(encodedBundle), null);
        if (r instanceof ReceptionResult.Rejected rej) {
            throw ApiException.badRequest(rej.reason());
        }
    }

    @Override
    public List<BundleSummary> bundles() {
        List<BundleSummary> out = new ArrayList<>();
        for (BundleId id : agent.bundleIds()) {
            Optional<BundleMetadata> md = agent.metadata(id);
            if (md.isEmpty()) {
                continue;
            }
            List<String> constraints = new ArrayList<>();
            for (Constraint c : md.get().constraints()) {
                constraints.add(c.dtn7rsName());
            }
            out.add(new BundleSummary(id.toString(), id.source().uri(), md.get().destination().uri(),
                    id.creation().dtnTimeMs(), md.get().size(), constraints));
        }
        return out;
    }

    @Override
    public Optional<BundleData> download(String bundleId) {
        BundleId id;
        try {
            id = BundleId.parse(bundleId);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Optional<ByteSource> src = agent.encodedBundle(id);
        return src.map(s -> new BundleData() {
            @Override
            public long size() {
                return s.size();
            }

            @Override
            public InputStream open() throws IOException {
                return s.openStream();
            }
        });
    }

    @Override
    public boolean delete(String bundleId) {
        try {
            return agent.delete(BundleId.parse(bundleId));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<PeerSummary> peers() {
        List<PeerSummary> out = new ArrayList<>();
        for (Peer p : agent.peers()) {
            List<PeerSummary.Cla> clas = new ArrayList<>();
            String host = "";
            for (ClaAddress a : p.addresses()) {
                if (host.isEmpty()) {
                    host = a.host();
                }
                clas.add(new PeerSummary.Cla(a.cla(), a.port() > 0 ? a.port() : null));
            }
            Instant seen = p.lastSeen();
            out.add(new PeerSummary(p.nodeId().uri(), host, p.origin() == PeerOrigin.STATIC,
                    p.period() == null ? null : p.period().toMillis(), clas, extras.services(p.nodeId()),
                    seen.getEpochSecond(), extras.fails(p)));
        }
        return out;
    }

    @Override
    public boolean addPeer(String peerUrl, boolean isStatic) throws ApiException {
        PeerUrl u;
        try {
            u = PeerUrl.parse(peerUrl);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed peer URL");
        }
        EndpointId node = eid(u.nodeId());
        boolean known = agent.peers().stream().anyMatch(p -> p.nodeId().equals(node));
        Peer peer = peerOf(u, isStatic ? PeerOrigin.STATIC : PeerOrigin.DISCOVERED);
        if (isStatic) {
            agent.addStaticPeer(peer);
        } else {
            agent.peerDiscovered(peer);
        }
        return !known;
    }

    /**
     * The agent's peer for a dtn7-rs peer URL.
     *
     * @param u the parsed peer URL
     * @param origin how the peer became known (static, discovered, ...)
     * @return the peer
     */
    public static Peer peerOf(PeerUrl u, PeerOrigin origin) {
        // dtnd's "ecla+<name>" names an external CLA, which runs here under <name> once its module registers
        String cla = u.cla().startsWith("ecla+") ? u.cla().substring("ecla+".length()) : u.cla();
        ClaAddress address = new ClaAddress(cla, u.host(), u.port());
        return new Peer(EndpointId.parse(u.nodeId()), List.of(address), origin, Instant.now(), null);
    }

    @Override
    public boolean removePeer(String peerUrl) throws ApiException {
        PeerUrl u;
        try {
            u = PeerUrl.parse(peerUrl);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed peer URL");
        }
        return agent.removePeer(eid(u.nodeId()));
    }

    @Override
    public synchronized long[] creationTimestamp() {
        long now = DtnTime.now();
        if (now != lastCtsMs) {
            lastCtsMs = now;
            ctsSeq = 0;
        }
        return new long[] {now, ctsSeq++};
    }

    @Override
    public NodeStats stats() {
        AgentStatistics s = agent.statistics();
        long forwardPending = 0;
        long dispatchPending = 0;
        Collection<BundleId> ids = agent.bundleIds();
        if (ids.size() <= 10_000) {
            for (BundleId id : ids) {
                Optional<BundleMetadata> md = agent.metadata(id);
                if (md.isPresent()) {
                    forwardPending += md.get().has(Constraint.FORWARD_PENDING) ? 1 : 0;
                    dispatchPending += md.get().has(Constraint.DISPATCH_PENDING) ? 1 : 0;
                }
            }
        }
        return new NodeStats(s.received(), s.duplicates(), s.forwarded(), s.delivered(), s.forwardFailures(),
                s.rejected(), s.created(), new LinkedHashMap<>(s.deleted()), s.storedBundles(), s.storedBytes(),
                s.peers(), clas.get(), s.receivedBytes(), s.forwardedBytes(), forwardPending, dispatchPending,
                startedUnixSeconds);
    }

    @Override
    public NodeDescription description() {
        return description;
    }

    @Override
    public String routingCommand(String command) throws ApiException {
        return RoutingControl.command(agent, command);
    }

    @Override
    public String routingData(String param) throws ApiException {
        return RoutingControl.data(agent, param);
    }

    @Override
    public String debugRandomBundle() throws ApiException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        Bundle b = Bundle.builder()
                .source("dtn://node" + r.nextInt(1, 1000) + "/" + randomName(r, 8))
                .destination("dtn://node" + r.nextInt(1, 1000) + "/" + randomName(r, 8))
                .lifetimeMs(3_600_000)
                .flags(0x20004)
                .hopLimit(32)
                .payload("ABC")
                .build();
        ReceptionResult result = agent.receive(ByteSource.of(BundleCodec.encode(b)), null);
        if (result instanceof ReceptionResult.Rejected rej) {
            throw new ApiException(500, "the random bundle was rejected: " + rej.reason());
        }
        return b.id().toString();
    }

    @Override
    public PeerSummary debugRandomPeer() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String name = (char) ('a' + r.nextInt(26)) + randomName(r, 9);
        // no convergence layer address, as dtnd's random peer: it is listed but never used for forwarding
        Peer peer = new Peer(EndpointId.parse("dtn://" + name + "/"), List.of(), PeerOrigin.DISCOVERED, Instant.now(), null);
        agent.peerDiscovered(peer);
        String host = r.nextInt(1, 224) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
        return new PeerSummary(peer.nodeId().uri(), host, false, null, List.of(), Map.of(),
                peer.lastSeen().getEpochSecond(), 0);
    }

    private static String randomName(java.util.Random r, int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Override
    public List<io.dtn7j.daemon.api.MetricSample> extraMetrics() {
        List<io.dtn7j.daemon.api.MetricSample> out = new ArrayList<>();
        AgentStatistics s = agent.statistics();
        String dev = "dtn7j_bundles_deviations_total";
        String devHelp = "Received bundles accepted despite an RFC 9171 deviation the validation policy waives, by kind.";
        if (s.deviations().isEmpty()) {
            out.add(io.dtn7j.daemon.api.MetricSample.labelled(dev, devHelp, "counter", "kind", "none", 0));
        }
        new java.util.TreeMap<>(s.deviations()).forEach((k, n) ->
                out.add(io.dtn7j.daemon.api.MetricSample.labelled(dev, devHelp, "counter", "kind", k, n)));
        out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_bundles_rejected_total",
                "Received bundles refused (malformed, too large, store full).", s.rejected()));
        out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_status_reports_sent_total",
                "Status reports generated.", s.statusReportsSent()));
        out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_status_reports_received_total",
                "Status reports received for this node.", s.statusReportsReceived()));
        out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_fragments_created_total",
                "Fragments created for forwarding.", s.fragmentsCreated()));
        out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_bundles_reassembled_total",
                "ADUs reassembled from fragments.", s.reassembled()));
        out.add(io.dtn7j.daemon.api.MetricSample.gauge("dtn7j_registrations", "Registrations of local endpoints.",
                s.registrations()));
        io.dtn7j.core.discovery.IpndService d = ipnd;
        if (d != null) {
            io.dtn7j.core.discovery.IpndStatistics i = d.statistics();
            out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_ipnd_beacons_sent_total", "IPND beacons sent.", i.beaconsSent()));
            out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_ipnd_beacons_received_total",
                    "IPND beacons from other nodes accepted.", i.beaconsAccepted()));
            String bad = "dtn7j_ipnd_bad_beacons_total";
            String badHelp = "Undecodable IPND datagrams dropped, by reason.";
            if (i.droppedByReason().isEmpty()) {
                out.add(io.dtn7j.daemon.api.MetricSample.labelled(bad, badHelp, "counter", "reason", "none", 0));
            }
            new java.util.TreeMap<>(i.droppedByReason()).forEach((k, n) -> out.add(io.dtn7j.daemon.api.MetricSample.labelled(
                    bad, badHelp, "counter", "reason", k.name().toLowerCase(java.util.Locale.ROOT), n)));
            out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_ipnd_peers_discovered_total",
                    "New contacts found by IPND.", i.peersDiscovered()));
            out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_ipnd_peers_expired_total",
                    "IPND peers expired for lack of beacons.", i.peersExpired()));
            out.add(io.dtn7j.daemon.api.MetricSample.counter("dtn7j_ipnd_peers_refused_total",
                    "Beacons of new node IDs ignored because the IPND peer table was full.", i.peersRefused()));
        }
        for (Supplier<List<io.dtn7j.daemon.api.MetricSample>> src : metricSources) {
            out.addAll(src.get());
        }
        return out;
    }
}
