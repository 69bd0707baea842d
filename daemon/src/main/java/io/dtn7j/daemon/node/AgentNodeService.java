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
        this.agent = agent;
        this.description = description;
        this.clas = clas;
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
                    p.period() == null ? null : p.period().toMillis(), clas, Map.of(), seen.getEpochSecond(), 0));
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
        ClaAddress address = new ClaAddress(u.cla(), u.host(), u.port());
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
}
