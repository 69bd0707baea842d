package io.dtn7j.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /ws} application-agent session (dtn7-compat.md §6): text commands ({@code /node},
 * {@code /bundle}, {@code /data}, {@code /json}, {@code /subscribe}, {@code /unsubscribe}), binary
 * messages in the session's mode, and delivery of bundles for the endpoints it subscribed to.
 * Initial mode is JSON, as in dtnd.
 */
public final class WsSession implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(WsSession.class);
    static final long FLUSH_INTERVAL_MS = 100;
    static final long PING_INTERVAL_MS = 5_000;
    static final long SILENCE_LIMIT_MS = 30_000;
    /** How long a session closed for silence gets to complete the close handshake before it is disconnected. */
    static final long CLOSE_WAIT_MS = 3_000;

    /** Transmission mode of a session. */
    enum Mode { BUNDLE, DATA, JSON }

    private final NodeService node;
    private final WsHub hub;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    /** The running delivery loop of each subscribed endpoint, by a token only that loop holds. */
    private final Map<String, Object> loops = new ConcurrentHashMap<>();
    private volatile Mode mode = Mode.JSON;
    private volatile Session session;
    /** Whether Jetty reported the session closed (or failed). */
    private volatile boolean closeSeen;
    private volatile boolean everSubscribed;
    private volatile long lastHeard = System.currentTimeMillis();
    private volatile Thread pump;
    private final Object deliveryLock = new Object();

    WsSession(NodeService node, WsHub hub) {
        this.node = node;
        this.hub = hub;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        hub.opened(this);
        pump = Thread.ofVirtual().name("ws-pump-" + s.getRemoteSocketAddress()).start(this::pumpLoop);
    }

    @Override
    public void onWebSocketText(String message) {
        lastHeard = System.currentTimeMillis();
        String text = message.strip();
        if (!text.startsWith("/")) {
            return;
        }
        int space = text.indexOf(' ');
        String cmd = space < 0 ? text : text.substring(0, space);
        String arg = space < 0 ? null : text.substring(space + 1).strip();
        switch (cmd) {
            case "/node" -> sendText("200 node: " + node.nodeId());
            case "/bundle" -> {
                mode = Mode.BUNDLE;
                sendText("200 tx mode: bundle");
            }
            case "/data" -> {
                mode = Mode.DATA;
                sendText("200 tx mode: data");
            }
            case "/json" -> {
                mode = Mode.JSON;
                sendText("200 tx mode: JSON");
            }
            case "/subscribe" -> subscribe(arg);
            case "/unsubscribe" -> unsubscribe(arg);
            default -> sendText("501 unknown command: " + debugQuote(text));
        }
    }

    private void subscribe(String arg) {
        if (arg == null || arg.isEmpty()) {
            sendText("400 endpoint is missing");
            return;
        }
        String eid;
        if (arg.contains(":")) {
            try {
                eid = node.parseEndpoint(arg);
            } catch (ApiException e) {
                sendText("400 invalid endpoint: " + e.getMessage());
                return;
            }
        } else {
            try {
                eid = ApiHandler.serviceEndpoint(node.nodeId(), arg);
            } catch (ApiException e) {
                sendText("400 invalid endpoint combination");
                return;
            }
        }
        if (!node.isRegistered(eid)) {
            sendText("404 unknown endpoint");
            return;
        }
        subscribed.add(eid);
        everSubscribed = true;
        hub.subscribe(eid, this);
        sendText("200 subscribed");
        flush();
        Object token = new Object();
        Object before = loops.put(eid, token); // a loop still running for an earlier subscription ends
        LOG.trace("delivery loop for {} replaces {}", eid, before);
        Thread.ofVirtual().name("ws-deliver-" + eid).start(() -> deliverLoop(eid, token));
    }

    /**
     * Hands each bundle for {@code eid} on as soon as it is delivered: blocks in the node until one arrives (the
     * 100 ms pump alone made every WebSocket delivery wait up to 100 ms). Ends when the session closes or the
     * endpoint is unsubscribed.
     */
    private void deliverLoop(String eid, Object token) {
        try {
            while (session != null && session.isOpen() && subscribed.contains(eid) && loops.get(eid) == token) {
                if (!hub.isSubscriber(eid, this)) {
                    Thread.sleep(FLUSH_INTERVAL_MS);
                    continue;
                }
                Optional<ReceivedBundle> next = node.poll(eid, java.time.Duration.ofMillis(FLUSH_INTERVAL_MS));
                if (next.isEmpty()) {
                    if (!node.isRegistered(eid)) { // unregistered meanwhile: the poll returned at once
                        Thread.sleep(FLUSH_INTERVAL_MS);
                    }
                    continue;
                }
                synchronized (deliveryLock) {
                    if (!deliver(next.get())) {
                        return;
                    }
                    flush(); // anything queued behind it, in order
                }
            }
        } catch (ApiException e) {
            LOG.debug("websocket delivery for {} ended: {}", eid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void unsubscribe(String arg) {
        if (arg == null || arg.isEmpty()) {
            return; // dtnd sends no reply here either
        }
        String eid;
        try {
            eid = node.parseEndpoint(arg);
        } catch (ApiException e) {
            sendText("400 invalid endpoint");
            return;
        }
        if (!everSubscribed) {
            sendText("404 endpoint not found");
            return;
        }
        subscribed.remove(eid);
        loops.remove(eid);
        hub.unsubscribe(eid, this);
        sendText("200 unsubscribed");
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        lastHeard = System.currentTimeMillis();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        // Under the delivery lock, so the reply goes out before a bundle this send delivers back to the session.
        synchronized (deliveryLock) {
            handleBinary(bytes, mode);
        }
    }

    private void handleBinary(byte[] bytes, Mode m) {
        if (m == Mode.BUNDLE) {
            try {
                node.receive(bytes, false);
                sendText("200 Sent payload with " + bytes.length + " bytes");
            } catch (ApiException e) {
                sendText("400 Invalid binary bundle");
            } catch (RuntimeException e) {
                LOG.warn("websocket bundle insert failed", e);
                sendText("500 " + e);
            }
            return;
        }
        sendData(bytes, m);
    }

    private void sendData(byte[] bytes, Mode m) {
        String format = m == Mode.DATA ? "cbor" : "json";
        String src;
        String dst;
        boolean notify;
        long lifetime;
        byte[] data;
        try {
            JsonNode tree = (m == Mode.DATA ? Json.CBOR : Json.MAPPER).readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw new IOException("not a map");
            }
            src = text(tree, "src");
            dst = text(tree, "dst");
            JsonNode dn = tree.get("delivery_notification");
            JsonNode lt = tree.get("lifetime");
            if (dn == null || !dn.isBoolean() || lt == null || !lt.canConvertToExactIntegral()) {
                throw new IOException("missing delivery_notification or lifetime");
            }
            notify = dn.booleanValue();
            java.math.BigInteger big = lt.bigIntegerValue();
            if (big.signum() < 0 || big.bitLength() > 64) {
                throw new IOException("lifetime is not a u64");
            }
            lifetime = big.bitLength() > 63 ? Long.MAX_VALUE : big.longValue();
            data = payloadBytes(tree.get("data"), m);
        } catch (IOException | IllegalArgumentException e) {
            sendText("400 Unexpected binary: Err(\"error parsing " + format + "\")");
            return;
        }
        String source;
        String destination;
        try {
            source = node.parseEndpoint(src);
            destination = node.parseEndpoint(dst);
        } catch (ApiException e) {
            sendText("400 invalid endpoint in src or dst: " + e.getMessage());
            return;
        }
        if (!node.isRegistered(source)) {
            sendText("400 source " + source + " is not a registered endpoint of this node: /register it first");
            return;
        }
        long flags = notify ? 0x20004 : 0x04;
        try {
            String bid = node.send(new SendSpec(source, destination, lifetime, flags, 0, data));
            sendText("200 Sent bundle " + bid + " with " + data.length + " bytes");
        } catch (ApiException e) {
            sendText(e.status() + " " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("websocket send failed", e);
            sendText("500 " + e);
        }
    }

    private static String text(JsonNode tree, String field) throws IOException {
        JsonNode n = tree.get(field);
        if (n == null || !n.isTextual()) {
            throw new IOException("missing " + field);
        }
        return n.textValue();
    }

    private static byte[] payloadBytes(JsonNode n, Mode m) throws IOException {
        if (n == null) {
            throw new IOException("missing data");
        }
        if (m == Mode.JSON) {
            if (!n.isTextual()) {
                throw new IOException("data must be base64 text");
            }
            return Base64.getDecoder().decode(n.textValue());
        }
        if (n.isBinary()) {
            return n.binaryValue();
        }
        if (n.isTextual()) {
            return n.textValue().getBytes(StandardCharsets.UTF_8);
        }
        if (n.isArray()) {
            byte[] out = new byte[n.size()];
            for (int i = 0; i < n.size(); i++) {
                JsonNode b = n.get(i);
                if (!b.canConvertToInt() || b.intValue() < 0 || b.intValue() > 255) {
                    throw new IOException("data array holds a non-byte value");
                }
                out[i] = (byte) b.intValue();
            }
            return out;
        }
        throw new IOException("data has the wrong type");
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        lastHeard = System.currentTimeMillis();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        lastHeard = System.currentTimeMillis();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        ended();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("websocket error", cause);
        ended();
    }

    private void ended() {
        closeSeen = true;
        hub.closed(this);
        Thread t = pump;
        if (t != null) {
            t.interrupt();
        }
    }

    void shutdown() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1001, "node shutting down", Callback.NOOP);
        }
        ended();
    }

    /** Pings every 5 s, closes a session silent for 30 s. */
    private void pumpLoop() {
        long nextPing = 0;
        try {
            while (session != null && session.isOpen()) {
                long now = System.currentTimeMillis();
                if (now >= nextPing) {
                    session.sendPing(ByteBuffer.wrap("dtn7".getBytes(StandardCharsets.US_ASCII)), Callback.NOOP);
                    nextPing = now + PING_INTERVAL_MS;
                }
                if (now - lastHeard > SILENCE_LIMIT_MS) {
                    LOG.info("closing websocket {}: no ping or pong for {} s", session.getRemoteSocketAddress(), SILENCE_LIMIT_MS / 1000);
                    Session s = session;
                    s.close(1000, "no ping/pong received", Callback.NOOP);
                    // a client that reads nothing never gets the close frame, queued behind what it did not read:
                    // the connection would stay (and a delivery wait on it) until the idle timeout, 10 minutes
                    long deadline = System.currentTimeMillis() + CLOSE_WAIT_MS;
                    while (!closeSeen && System.currentTimeMillis() < deadline) {
                        Thread.sleep(FLUSH_INTERVAL_MS);
                    }
                    if (!closeSeen) {
                        s.disconnect();
                    }
                    break;
                }
                Thread.sleep(FLUSH_INTERVAL_MS); // deliveries are handed on by deliverLoop, one per endpoint
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends every queued bundle of the endpoints this session currently receives. */
    private void flush() {
        synchronized (deliveryLock) {
            for (String eid : subscribed) {
                if (!hub.isSubscriber(eid, this)) {
                    continue;
                }
                while (session != null && session.isOpen()) {
                    Optional<ReceivedBundle> next;
                    try {
                        next = node.poll(eid);
                    } catch (ApiException e) {
                        break;
                    }
                    if (next.isEmpty()) {
                        break;
                    }
                    if (!deliver(next.get())) {
                        return;
                    }
                }
            }
        }
    }

    private boolean deliver(ReceivedBundle b) {
        byte[] frame = switch (mode) {
            case BUNDLE -> b.encoded();
            case DATA -> encode(b, true);
            case JSON -> encode(b, false);
        };
        Callback.Completable done = new Callback.Completable();
        Session s = session;
        s.sendBinary(ByteBuffer.wrap(frame), done);
        try {
            // a slow or paused client gets the frame when it reads again; a dead one is closed by the heartbeat
            while (true) {
                try {
                    done.get(PING_INTERVAL_MS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillWriting) {
                    if (!s.isOpen()) {
                        throw stillWriting;
                    }
                }
            }
            lastHeard = System.currentTimeMillis(); // the client is reading what we send: it is alive
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("websocket delivery of {} to {} interrupted", b.bundleId(), b.destination());
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("websocket delivery of {} to {} failed: {}", b.bundleId(), b.destination(), e.toString());
            return false;
        }
    }

    /**
     * {@code WsRecvData}: bid, src, dst, cts, lifetime, data (bytes in CBOR, base64 in JSON). The CBOR form is a
     * definite-length map of 6, as dtnd's serde_cbor writes it (Jackson's databind would write an indefinite map,
     * which small CBOR decoders such as MicroPython's may not read).
     */
    static byte[] encode(ReceivedBundle b, boolean cbor) {
        if (cbor) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(b.payload().length + 128);
            try (CBORGenerator g = (CBORGenerator) Json.CBOR.getFactory().createGenerator(out)) {
                g.writeStartObject(null, 6);
                g.writeStringField("bid", b.bundleId());
                g.writeStringField("src", b.source());
                g.writeStringField("dst", b.destination());
                g.writeFieldName("cts");
                g.writeStartArray(null, 2);
                g.writeNumber(b.creationTimeMs());
                g.writeNumber(b.sequence());
                g.writeEndArray();
                g.writeNumberField("lifetime", b.lifetimeMs());
                g.writeBinaryField("data", b.payload());
                g.writeEndObject();
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode WsRecvData", e);
            }
            return out.toByteArray();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bid", b.bundleId());
        m.put("src", b.source());
        m.put("dst", b.destination());
        m.put("cts", List.of(b.creationTimeMs(), b.sequence()));
        m.put("lifetime", b.lifetimeMs());
        m.put("data", b.payload());
        try {
            return Json.MAPPER.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode WsRecvData", e);
        }
    }

    private void sendText(String text) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        Callback.Completable done = new Callback.Completable();
        s.sendText(text, done);
        try {
            done.get(SILENCE_LIMIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("websocket reply failed: {}", e.toString());
        } catch (TimeoutException e) {
            LOG.info("closing websocket {}: it reads none of our replies", s.getRemoteSocketAddress());
            s.disconnect(); // a close frame would queue behind what it does not read
        }
    }

    /** Rust's {@code {:?}} quoting of a string. */
    static String debugQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
