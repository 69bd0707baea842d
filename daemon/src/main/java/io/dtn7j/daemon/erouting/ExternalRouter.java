package io.dtn7j.daemon.erouting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.peer.PeerOrigin;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.routing.RoutingDecision;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.daemon.api.ApiException;
import io.dtn7j.daemon.api.Json;
import io.dtn7j.daemon.api.MetricSample;
import io.dtn7j.daemon.api.NodeService;
import io.dtn7j.daemon.api.PeerSummary;
import io.dtn7j.daemon.api.StatusJson;
import io.dtn7j.daemon.node.RouterControl;
import io.dtn7j.daemon.node.TransferListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dtn7-rs's external routing ({@code -r external}, dtn7-compat.md §10.6): a router process connected to
 * {@code /ws/erouting} decides where bundles go. For each routing decision the agent asks for, this router sends
 * {@code RequestSenderForBundle {clas, bp}} and waits up to 250 ms for {@code ResponseSenderForBundle {bp, clas:
 * [{remote, port, agent, next_hop}], delete_afterwards}}; each sender becomes a next hop reached over the named CLA at
 * {@code remote:port}. Without an answer in time it sends {@code Timeout {bp}} and the bundle waits. It also tells
 * the router {@code PeerState} and {@code ServiceState} on connect, {@code EncounteredPeer}/{@code DroppedPeer},
 * {@code IncomingBundle} for received bundles and {@code SendingSucceeded}/{@code SendingFailed} after each
 * transmission, and takes {@code ServiceAdd}. One router at a time; a second connection gets {@code Error} and is
 * closed.
 *
 * <p>While no router is connected, bundles wait in the store (as in dtnd), or, with {@code external.fallback=<name>},
 * a built-in router decides meanwhile. When a router connects, every bundle waiting to be forwarded is offered to it.
 */
public final class ExternalRouter implements Router, RouterControl, TransferListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalRouter.class);
    /** dtnd's answer deadline. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    private final Router fallback;
    private final Duration timeout;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<ClaAddress, String> nextHopNames = new ConcurrentHashMap<>();
    private final Map<Integer, String> services = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder answers = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder badPackets = new LongAdder();
    private volatile EroutingSession connection;
    private volatile BundleProtocolAgent agent;
    private volatile NodeService node;

    /**
     * An external router.
     *
     * @param fallback decides while no router is connected; null = bundles wait
     * @param timeout how long to wait for each answer
     */
    public ExternalRouter(Router fallback, Duration timeout) {
        this.fallback = fallback;
        this.timeout = timeout;
    }

    /**
     * Connects the router to the running node (for peer state, CLA names and re-forwarding on connect).
     *
     * @param agent the agent this router serves
     * @param nodeService the API view of the node (peer JSON)
     */
    public void bind(BundleProtocolAgent agent, NodeService nodeService) {
        this.agent = agent;
        this.node = nodeService;
    }

    /**
     * Adds the router's own services ({@code ServiceState}); the daemon's IPND services are added once at start.
     *
     * @param initial tag → text
     */
    public void services(Map<Integer, String> initial) {
        services.putAll(initial);
    }

    /** {@return services the router knows: configured ones and those a router added} */
    public Map<Integer, String> services() {
        return Map.copyOf(services);
    }

    /**
     * A handler for one new {@code /ws/erouting} connection.
     *
     * @return the WebSocket listener
     */
    public Session.Listener newSession() {
        return new EroutingSession(this);
    }

    /** {@return whether a router is connected} */
    public boolean connected() {
        return connection != null;
    }

    @Override
    public String name() {
        return "external";
    }

    @Override
    public Set<Long> blockTypes() {
        return fallback == null ? Set.of() : fallback.blockTypes();
    }

    @Override
    public BundleMetadata accepted(BundleMetadata metadata, Bundle bundle, boolean createdHere) {
        BundleMetadata md = fallback == null ? metadata : fallback.accepted(metadata, bundle, createdHere);
        EroutingSession c = connection;
        if (c != null && !createdHere) {
            ObjectNode p = packet("IncomingBundle");
            p.set("bndl", bundleJson(bundle));
            c.trySend(p.toString());
        }
        return md;
    }

    @Override
    public Bundle prepare(Bundle outgoing, BundleMetadata metadata, Peer nextHop) {
        return fallback == null ? outgoing : fallback.prepare(outgoing, metadata, nextHop);
    }

    @Override
    public BundleMetadata forwarded(BundleMetadata metadata, Peer peer) {
        return fallback == null ? metadata : fallback.forwarded(metadata, peer);
    }

    @Override
    public RoutingDecision route(BundleMetadata bundle, List<Peer> peers) {
        EroutingSession c = connection;
        if (c == null) {
            return fallback == null ? RoutingDecision.waitForContact() : fallback.route(bundle, peers);
        }
        String bid = bundle.id().toString();
        ObjectNode bp = bundlePack(bundle);
        boolean[] first = new boolean[1];
        CompletableFuture<JsonNode> answer = pending.computeIfAbsent(bid, k -> {
            first[0] = true;
            return new CompletableFuture<>();
        });
        if (first[0]) {
            ObjectNode request = packet("RequestSenderForBundle");
            ArrayNode clas = request.putArray("clas");
            BundleProtocolAgent a = agent;
            if (a != null) {
                a.convergenceLayers().keySet().stream().sorted().forEach(clas::add);
            }
            request.set("bp", bp);
            requests.increment();
            c.trySend(request.toString());
        }
        JsonNode response;
        try {
            response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (pending.remove(bid, answer)) {
                timeouts.increment();
                ObjectNode t = packet("Timeout");
                t.set("bp", bp);
                c.trySend(t.toString());
                LOG.debug("external router did not answer for {} within {} ms", bid, timeout.toMillis());
            }
            return RoutingDecision.waitForContact();
        } catch (ExecutionException e) {
            return RoutingDecision.waitForContact();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RoutingDecision.waitForContact();
        }
        return decision(response, peers);
    }

    /** Turns a ResponseSenderForBundle into next hops; senders naming no CLA of this node are skipped (as dtnd). */
    private RoutingDecision decision(JsonNode response, List<Peer> peers) {
        BundleProtocolAgent a = agent;
        Set<String> claNames = a == null ? Set.of() : a.convergenceLayers().keySet();
        List<Peer> hops = new ArrayList<>();
        for (JsonNode s : response.path("clas")) {
            String cla = s.path("agent").asText("");
            if (!claNames.contains(cla)) {
                LOG.debug("external router named CLA '{}', which this node does not run", cla);
                continue;
            }
            String host = remote(s.get("remote"));
            EndpointId nextHop;
            try {
                nextHop = EndpointId.parse(StatusJson.eidFromJson(s.get("next_hop"))).nodeId();
            } catch (IllegalArgumentException e) {
                LOG.debug("external router gave a bad next_hop: {}", e.getMessage());
                continue;
            }
            if (host == null || nextHop.isNone()) {
                continue;
            }
            int port = s.path("port").isInt() ? s.get("port").asInt() : 0;
            if (port < 0 || port > 65535) {
                continue;
            }
            ClaAddress address = new ClaAddress(cla, host, port);
            nextHopNames.put(address, StatusJson.nodeName(nextHop.uri()));
            PeerOrigin origin = PeerOrigin.LINK;
            for (Peer p : peers) {
                if (p.hosts(nextHop)) {
                    origin = p.origin();
                }
            }
            hops.add(new Peer(nextHop, List.of(address), origin, Instant.now(), null));
        }
        return hops.isEmpty() ? RoutingDecision.waitForContact()
                : new RoutingDecision(hops, response.path("delete_afterwards").asBoolean(false));
    }

    /** dtnd's PeerAddress in JSON: {@code {"Ip": "10.0.0.2"}}, {@code {"Generic": "host"}}, or a plain string. */
    private static String remote(JsonNode r) {
        if (r == null) {
            return null;
        }
        if (r.isTextual() && !r.asText().isEmpty()) {
            return r.asText();
        }
        for (String k : List.of("Ip", "Generic")) {
            if (r.path(k).isTextual() && !r.path(k).asText().isEmpty()) {
                return r.path(k).asText();
            }
        }
        JsonNode b = r.path("BroadcastGeneric");
        if (b.isArray() && b.size() > 0 && b.get(0).isTextual()) {
            return b.get(0).asText();
        }
        return null;
    }

    @Override
    public void peerUp(Peer peer) {
        if (fallback != null) {
            fallback.peerUp(peer);
        }
        EroutingSession c = connection;
        if (c != null) {
            ObjectNode p = packet("EncounteredPeer");
            p.put("name", StatusJson.nodeName(peer.nodeId().uri()));
            p.set("eid", Json.MAPPER.valueToTree(StatusJson.eidArray(peer.nodeId().uri())));
            p.set("peer", Json.MAPPER.valueToTree(StatusJson.peer(summary(peer))));
            c.trySend(p.toString());
        }
    }

    @Override
    public void peerDown(Peer peer) {
        if (fallback != null) {
            fallback.peerDown(peer);
        }
        EroutingSession c = connection;
        if (c != null) {
            ObjectNode p = packet("DroppedPeer");
            p.put("name", StatusJson.nodeName(peer.nodeId().uri()));
            p.set("eid", Json.MAPPER.valueToTree(StatusJson.eidArray(peer.nodeId().uri())));
            c.trySend(p.toString());
        }
    }

    private PeerSummary summary(Peer peer) {
        NodeService n = node;
        if (n != null) {
            for (PeerSummary s : n.peers()) {
                if (s.nodeId().equals(peer.nodeId().uri())) {
                    return s;
                }
            }
        }
        List<PeerSummary.Cla> clas = new ArrayList<>();
        String host = "";
        for (ClaAddress a : peer.addresses()) {
            host = host.isEmpty() ? a.host() : host;
            clas.add(new PeerSummary.Cla(a.cla(), a.port() > 0 ? a.port() : null));
        }
        return new PeerSummary(peer.nodeId().uri(), host, peer.origin() == PeerOrigin.STATIC,
                peer.period() == null ? null : peer.period().toMillis(), clas, Map.of(),
                peer.lastSeen().getEpochSecond(), 0);
    }

    @Override
    public void sent(String cla, ClaAddress to, OutgoingBundle bundle) {
        notifyTransfer("SendingSucceeded", to, bundle);
    }

    @Override
    public void failed(String cla, ClaAddress to, OutgoingBundle bundle, TransmissionException error) {
        notifyTransfer("SendingFailed", to, bundle);
    }

    private void notifyTransfer(String type, ClaAddress to, OutgoingBundle bundle) {
        EroutingSession c = connection;
        if (c == null) {
            return;
        }
        String name = nextHopNames.get(to);
        BundleProtocolAgent a = agent;
        if (name == null && a != null) {
            for (Peer p : a.peers()) {
                if (p.addresses().contains(to)) {
                    name = StatusJson.nodeName(p.nodeId().uri());
                }
            }
        }
        ObjectNode p = packet(type);
        p.put("bid", bundle.id().toString());
        p.put("cla_sender", name != null ? name : to.host());
        c.trySend(p.toString());
    }

    // ------------------------------------------------------------------------------------------ connection

    /** A router connected; false (and the caller closes it) when one is connected already. */
    boolean connect(EroutingSession s) {
        synchronized (this) {
            if (connection != null) {
                return false;
            }
            connection = s;
        }
        ObjectNode peerState = packet("PeerState");
        NodeService n = node;
        peerState.set("peers", Json.MAPPER.valueToTree(StatusJson.peers(n == null ? List.of() : n.peers())));
        s.trySend(peerState.toString());
        ObjectNode serviceState = packet("ServiceState");
        ObjectNode list = serviceState.putObject("service_list");
        new TreeMap<>(services).forEach((tag, text) -> list.put(Integer.toString(tag), text));
        s.trySend(serviceState.toString());
        LOG.info("external router connected");
        BundleProtocolAgent a = agent;
        if (a != null) {
            a.reforwardAll();
        }
        return true;
    }

    void disconnected(EroutingSession s) {
        synchronized (this) {
            if (connection != s) {
                return;
            }
            connection = null;
        }
        for (Iterator<CompletableFuture<JsonNode>> it = pending.values().iterator(); it.hasNext(); ) {
            it.next().cancel(false);
            it.remove();
        }
        LOG.info("external router disconnected; bundles {}", fallback == null ? "wait for the next router"
                : "are routed by " + fallback.name() + " meanwhile");
    }

    /** A packet from the router. */
    void received(EroutingSession s, String text) {
        JsonNode p;
        try {
            p = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            badPacket(s, "packet is not JSON: " + e.getMessage());
            return;
        }
        String type = p == null ? "" : p.path("type").asText("");
        switch (type) {
            case "ResponseSenderForBundle" -> {
                String bid = p.path("bp").path("id").asText("");
                if (!p.path("clas").isArray() || bid.isEmpty()) {
                    badPacket(s, "ResponseSenderForBundle needs bp.id and a clas array");
                    return;
                }
                CompletableFuture<JsonNode> f = pending.remove(bid);
                if (f == null) {
                    LOG.debug("late or unsolicited answer for {}", bid);
                    return;
                }
                answers.increment();
                f.complete(p);
            }
            case "ServiceAdd" -> {
                JsonNode tag = p.get("tag");
                JsonNode service = p.get("service");
                if (tag == null || !tag.canConvertToInt() || tag.asInt() < 0 || tag.asInt() > 255 || service == null
                        || !service.isTextual()) {
                    badPacket(s, "ServiceAdd needs a tag 0..255 and a service string");
                    return;
                }
                services.put(tag.asInt(), service.asText());
                LOG.info("external router added service {}: {}", tag.asInt(), service.asText());
            }
            default -> badPacket(s, "unexpected packet type \"" + type
                    + "\": a router sends ResponseSenderForBundle or ServiceAdd");
        }
    }

    private void badPacket(EroutingSession s, String reason) {
        badPackets.increment();
        ObjectNode e = packet("Error");
        e.put("reason", reason);
        s.trySend(e.toString());
    }

    // ------------------------------------------------------------------------------------------ JSON

    private static ObjectNode packet(String type) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", type);
        return o;
    }

    /** dtnd's BundlePack JSON for a stored bundle. */
    static ObjectNode bundlePack(BundleMetadata md) {
        BundleId id = md.id();
        ObjectNode bp = JsonNodeFactory.instance.objectNode();
        bp.set("source", Json.MAPPER.valueToTree(StatusJson.eidArray(id.source().uri())));
        bp.set("destination", Json.MAPPER.valueToTree(StatusJson.eidArray(md.destination().uri())));
        bp.put("received_time", io.dtn7j.bundle.DtnTime.toUnixMillis(md.receivedAtDtnMs()));
        bp.put("creation_time", id.creation().dtnTimeMs());
        bp.put("lifetime", md.lifetimeMs());
        bp.put("id", id.toString());
        bp.put("administrative", (md.bundleFlags() & 0x02) != 0);
        bp.put("size", md.size());
        ArrayNode constraints = bp.putArray("constraints");
        for (Constraint c : md.constraints()) {
            constraints.add(c.dtn7rsName());
        }
        return bp;
    }

    /** A bundle as serde_json renders bp7's Bundle: its CBOR structure, byte strings as arrays of numbers. */
    static JsonNode bundleJson(Bundle bundle) {
        try {
            return bytesAsArrays(Json.CBOR.readTree(BundleCodec.encode(bundle)));
        } catch (IOException e) {
            return JsonNodeFactory.instance.nullNode();
        }
    }

    private static JsonNode bytesAsArrays(JsonNode n) throws IOException {
        if (n.isBinary()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (byte b : n.binaryValue()) {
                a.add(b & 0xff);
            }
            return a;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (JsonNode x : n) {
                a.add(bytesAsArrays(x));
            }
            return a;
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                o.set(e.getKey(), bytesAsArrays(e.getValue()));
            }
            return o;
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------ control, metrics

    @Override
    public String command(String command) throws ApiException {
        throw ApiException.badRequest("the external router takes no commands here (got '" + command.strip()
                + "'): talk to the router connected to /ws/erouting");
    }

    @Override
    public String data(String param) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("connected", connected());
        m.put("fallback", fallback == null ? null : fallback.name());
        m.put("timeout_ms", timeout.toMillis());
        m.put("requests", requests.sum());
        m.put("answers", answers.sum());
        m.put("timeouts", timeouts.sum());
        m.put("services", new TreeMap<>(services));
        return Json.pretty(m);
    }

    /** {@return samples for /metrics} */
    public List<MetricSample> metrics() {
        return List.of(
                MetricSample.gauge("dtn7j_erouting_connected", "1 while an external router is connected to /ws/erouting.",
                        connected() ? 1 : 0),
                MetricSample.counter("dtn7j_erouting_requests_total", "RequestSenderForBundle packets sent.", requests.sum()),
                MetricSample.counter("dtn7j_erouting_timeouts_total", "Requests the router did not answer in time.",
                        timeouts.sum()),
                MetricSample.counter("dtn7j_erouting_bad_packets_total", "Malformed or unexpected packets from the router.",
                        badPackets.sum()));
    }

    /** Closes the router connection. */
    public void close() {
        EroutingSession c = connection;
        if (c != null) {
            c.close();
        }
    }
}
