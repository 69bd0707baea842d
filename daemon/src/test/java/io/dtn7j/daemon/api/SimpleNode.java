package io.dtn7j.daemon.api;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.daemon.config.PeerUrl;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-node {@link NodeService} for testing the HTTP/WS layer on its own: bundles live in a map,
 * those addressed to registered local endpoints are queued for them; nothing is forwarded.
 */
public final class SimpleNode implements NodeService {
    private final String nodeId;
    private final List<String> endpoints = new ArrayList<>();
    private final Map<String, ArrayDeque<String>> queues = new LinkedHashMap<>();
    private final Map<String, byte[]> store = new LinkedHashMap<>();
    private final Map<String, PeerSummary> peers = new LinkedHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private long lastMs;
    long incoming;
    long delivered;
    long created;

    public SimpleNode(String nodeId) {
        this.nodeId = nodeId;
        endpoints.add(nodeId);
        queues.put(nodeId, new ArrayDeque<>());
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public synchronized List<String> registeredEndpoints() {
        return List.copyOf(endpoints);
    }

    @Override
    public String parseEndpoint(String eid) throws ApiException {
        try {
            return EndpointId.parse(eid).uri();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @Override
    public synchronized void register(String eid) throws ApiException {
        String e = parseEndpoint(eid);
        if (!endpoints.contains(e)) {
            endpoints.add(e);
            queues.put(e, new ArrayDeque<>());
        }
    }

    @Override
    public synchronized void unregister(String eid) {
        endpoints.remove(eid);
        queues.remove(eid);
    }

    @Override
    public synchronized boolean isRegistered(String eid) {
        return endpoints.contains(eid);
    }

    @Override
    public synchronized Optional<ReceivedBundle> poll(String eid) {
        ArrayDeque<String> q = queues.get(eid);
        if (q == null || q.isEmpty()) {
            return Optional.empty();
        }
        String id = q.poll();
        byte[] enc = store.remove(id);
        Bundle b = BundleCodec.decode(enc, DecodeOptions.DEFAULT);
        return Optional.of(new ReceivedBundle(id, b.source().uri(), b.destination().uri(), b.creation().dtnTimeMs(),
                b.creation().sequence(), b.primary().lifetimeMs(), b.isAdministrativeRecord(),
                b.payload().toByteArray(), enc));
    }

    @Override
    public synchronized String send(SendSpec spec) throws ApiException {
        long[] cts = creationTimestamp();
        var builder = Bundle.builder().source(spec.source()).destination(spec.destination()).reportTo(spec.source())
                .creation(cts[0], cts[1]).lifetimeMs(spec.lifetimeMs()).flags(spec.flags()).payload(spec.payload());
        if (spec.hopLimit() > 0) {
            builder.hopLimit(spec.hopLimit());
        }
        Bundle b = builder.build();
        created++;
        accept(BundleCodec.encode(b), b);
        return b.id().toString();
    }

    @Override
    public synchronized void receive(byte[] encoded, boolean fromPeer) throws ApiException {
        Bundle b;
        try {
            b = BundleCodec.decode(encoded, DecodeOptions.DEFAULT);
        } catch (BundleException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        incoming++;
        accept(encoded, b);
    }

    private void accept(byte[] encoded, Bundle b) {
        String id = b.id().toString();
        store.put(id, encoded);
        ArrayDeque<String> q = queues.get(b.destination().uri());
        if (q != null) {
            q.add(id);
            delivered++;
        }
    }

    @Override
    public synchronized List<BundleSummary> bundles() {
        List<BundleSummary> out = new ArrayList<>();
        store.forEach((id, enc) -> {
            Bundle b = BundleCodec.decode(enc, DecodeOptions.DEFAULT);
            out.add(new BundleSummary(id, b.source().uri(), b.destination().uri(), b.creation().dtnTimeMs(),
                    enc.length, List.of("ForwardPending")));
        });
        return out;
    }

    @Override
    public synchronized Optional<BundleData> download(String bundleId) {
        byte[] enc = store.get(bundleId);
        if (enc == null) {
            return Optional.empty();
        }
        return Optional.of(new BundleData() {
            @Override
            public long size() {
                return enc.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(enc);
            }
        });
    }

    @Override
    public synchronized boolean delete(String bundleId) {
        return store.remove(bundleId) != null;
    }

    @Override
    public synchronized List<PeerSummary> peers() {
        return List.copyOf(peers.values());
    }

    @Override
    public synchronized boolean addPeer(String peerUrl, boolean isStatic) throws ApiException {
        PeerUrl u;
        try {
            u = PeerUrl.parse(peerUrl);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed peer URL");
        }
        return peers.put(u.nodeId(), new PeerSummary(u.nodeId(), u.host(), isStatic, null,
                List.of(new PeerSummary.Cla(u.cla(), u.port() == 0 ? null : u.port())), Map.of(),
                System.currentTimeMillis() / 1000, 0)) == null;
    }

    @Override
    public synchronized boolean removePeer(String peerUrl) throws ApiException {
        try {
            return peers.remove(PeerUrl.parse(peerUrl).nodeId()) != null;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed peer URL");
        }
    }

    @Override
    public synchronized long[] creationTimestamp() {
        long now = DtnTime.now();
        if (now != lastMs) {
            lastMs = now;
            seq.set(0);
        }
        return new long[] {now, seq.getAndIncrement()};
    }

    @Override
    public synchronized NodeStats stats() {
        return new NodeStats(incoming, 0, 0, delivered, 0, 0, created, Map.of(), store.size(),
                store.values().stream().mapToLong(b -> b.length).sum(), peers.size(), List.of(new ClaCounters("mtcp", 0, 0, 0, 0, 0)), 0, 0,
                0, 0, 0);
    }

    @Override
    public NodeDescription description() {
        return new NodeDescription("epidemic", List.of("mtcp:16162"), 10_000, 2_000, 20_000, "memory");
    }

    static CreationTimestamp ignored() {
        return null;
    }
}
