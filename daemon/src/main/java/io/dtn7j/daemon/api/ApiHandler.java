package io.dtn7j.daemon.api;

import io.dtn7j.core.cla.Deadline;
import io.dtn7j.core.cla.TimedInput;
import io.dtn7j.daemon.config.Humantime;
import io.dtn7j.daemon.web.WebPages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dtn7-rs-compatible REST routes (dtn7-compat.md §4), the web pages and {@code /metrics}.
 * Replies, status codes and raw-query semantics follow dtnd; where dtnd panics or silently ignores
 * input, this handler answers 400 with a message instead (see docs/API.md).
 */
public final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final String TEXT = "text/plain; charset=utf-8";
    static final String OCTETS = "application/octet-stream";
    static final String HTML = "text/html; charset=utf-8";
    /** Every bundle processing control flag bp7 knows, plus its 0xE218 "reserved" mask it accepts too. */
    static final long KNOWN_BUNDLE_FLAGS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40 | 0x4000 | 0x10000 | 0x20000 | 0x40000 | 0xE218;
    static final long DEFAULT_SEND_FLAGS = 0x04;
    static final long DEFAULT_LIFETIME_MS = 3_600_000L;
    static final int SEND_HOP_LIMIT = 32;
    /** Routes reachable from any address; all others are loopback-only unless the guard is lifted. */
    private static final Set<String> PUBLIC = Set.of("/", "/peers", "/bundles", "/status/nodeid", "/status/eids",
            "/status/bundles", "/status/bundles/filtered", "/status/bundles/filtered/digest", "/status/bundles/verbose",
            "/status/bundles/digest", "/status/store", "/status/peers", "/status/info", "/download", "/download.hex",
            "/push", "/metrics", "/web/live.js");

    private final NodeService node;
    private final ApiOptions options;
    private final BodyBudget budget;
    private final WebPages pages;
    private final Metrics metrics;
    private final WsHub hub;
    private final Set<String> webSockets;

    /**
     * A handler serving the API of {@code node}.
     *
     * @param node the node the requests act on
     * @param options the token and body limit to enforce
     * @param hub the WebSocket sessions
     */
    public ApiHandler(NodeService node, ApiOptions options, WsHub hub) {
        this(node, options, hub, Set.of());
    }

    /**
     * A handler serving the API of {@code node}.
     *
     * @param node the node the requests act on
     * @param options the token and body limit to enforce
     * @param hub the WebSocket sessions
     * @param webSockets the extra WebSocket routes that are on ({@code /ws/ecla}, {@code /ws/erouting})
     */
    public ApiHandler(NodeService node, ApiOptions options, WsHub hub, Set<String> webSockets) {
        this.webSockets = Set.copyOf(webSockets);
        this.node = node;
        this.hub = hub;
        this.options = options;
        this.budget = new BodyBudget(options.bodyBudget());
        this.pages = new WebPages(node);
        this.metrics = new Metrics(node, hub);
        metrics.addApiSource(budget::metrics);
    }

    /** Whether a request may use a loopback-only route, and carries the token when one is configured. */
    static int accessStatus(Request request, ApiOptions options, String path) {
        if (options.token() != null && !path.equals("/push")) {
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (auth == null || !constantTimeEquals(auth, "Bearer " + options.token())) {
                return 401;
            }
        }
        if (!options.unsafeHttpd() && !PUBLIC.contains(path) && !isLoopback(request.getConnectionMetaData().getRemoteSocketAddress())) {
            return 403;
        }
        return 200;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isLoopback(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            if (a == null) {
                return false;
            }
            if (a.isLoopbackAddress()) {
                return true;
            }
            byte[] b = a.getAddress();
            // IPv4-mapped IPv6 loopback ::ffff:127.x.x.x
            return b.length == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff && b[12] == 127;
        }
        return false;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        response.getHeaders().put("Access-Control-Allow-Origin", "*");
        try {
            if (method.equals("OPTIONS")) {
                response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, DELETE");
                response.getHeaders().put("Access-Control-Allow-Headers", "*");
                return reply(response, callback, 200, TEXT, "");
            }
            int access = accessStatus(request, options, path);
            if (access == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                return reply(response, callback, 401, TEXT, "missing or wrong bearer token (send 'Authorization: Bearer <token>')");
            }
            if (access == 403) {
                return reply(response, callback, 403, TEXT, "");
            }
            return route(request, response, callback, path, method);
        } catch (ApiException e) {
            drainUnreadBody(request, e.status());
            return reply(response, callback, e.status(), TEXT, e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.warn("{} {} failed", method, path, e);
            drainUnreadBody(request, 500);
            return reply(response, callback, 500, TEXT, "internal error: " + e);
        }
    }

    /**
     * Reads and discards what is left of a request body before an error reply, so the connection stays usable for
     * the client's next request: a reply sent with the body still unread makes the server close the connection,
     * and a client that already reuses it (java.net.http, Python's requests) then reads nothing. Bodies over the
     * size limit (413) are not read; the connection closes as it must.
     */
    private void drainUnreadBody(Request request, int status) {
        if (status == 413) {
            return;
        }
        long declared = request.getLength();
        Duration limit = options.bodyGrace().plusSeconds(Math.max(0, declared) / TimedInput.MIN_RATE);
        Deadline deadline = Deadline.after(limit,
                () -> request.fail(new TimeoutException("request body not received within " + limit.toMillis() + " ms")));
        try (InputStream in = Content.Source.asInputStream(request)) {
            long left = options.maxBodyBytes();
            byte[] sink = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not drain the request body: {}", e.toString());
        } finally {
            deadline.finish();
        }
    }

    private boolean route(Request rq, Response rs, Callback cb, String path, String method) throws ApiException, IOException {
        String raw = rq.getHttpURI().getQuery();
        if (raw == null && rq.getHttpURI().asString().endsWith("?")) {
            raw = ""; // "/register?" has an empty query, which dtnd resolves to the node ID
        }
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        switch (path) {
            case "/" -> {
                requireMethod(get);
                return reply(rs, cb, 200, HTML, pages.index());
            }
            case "/peers" -> {
                requireMethod(get);
                return reply(rs, cb, 200, HTML, pages.peers());
            }
            case "/bundles" -> {
                requireMethod(get);
                return reply(rs, cb, 200, HTML, pages.bundles());
            }
            case "/web/live.js" -> {
                requireMethod(get);
                rs.getHeaders().put("Cache-Control", "no-cache");
                return reply(rs, cb, 200, "text/javascript; charset=utf-8", WebPages.liveScript());
            }
            case "/metrics" -> {
                requireMethod(get);
                return reply(rs, cb, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
            }
            case "/status/nodeid" -> {
                requireMethod(get);
                return reply(rs, cb, 200, TEXT, node.nodeId());
            }
            case "/status/eids" -> {
                requireMethod(get);
                return reply(rs, cb, 200, TEXT, Json.pretty(node.registeredEndpoints()));
            }
            case "/status/bundles" -> {
                requireMethod(get);
                return reply(rs, cb, 200, TEXT, Json.pretty(bundleIds(node.bundles())));
            }
            case "/status/bundles/filtered", "/status/bundles/filtered/digest" -> {
                requireMethod(get);
                String addr = param(rq, "addr");
                if (addr == null) {
                    throw ApiException.badRequest("missing filter criteria");
                }
                List<String> ids = new ArrayList<>();
                for (BundleSummary b : node.bundles()) {
                    if (b.source().contains(addr) || b.destination().contains(addr)) {
                        ids.add(b.bundleId());
                    }
                }
                if (path.endsWith("/digest")) {
                    return reply(rs, cb, 200, TEXT, digest(ids));
                }
                return reply(rs, cb, 200, TEXT, Json.pretty(ids));
            }
            case "/status/bundles/verbose" -> {
                requireMethod(get);
                List<String> lines = new ArrayList<>();
                for (BundleSummary b : node.bundles()) {
                    lines.add(b.source() + " " + b.destination() + " " + b.creationTimeMs() + " " + b.size());
                }
                return reply(rs, cb, 200, TEXT, Json.pretty(lines));
            }
            case "/status/bundles/digest" -> {
                requireMethod(get);
                return reply(rs, cb, 200, TEXT, digest(bundleIds(node.bundles())));
            }
            case "/status/store" -> {
                requireMethod(get);
                List<String> lines = new ArrayList<>();
                for (BundleSummary b : node.bundles()) {
                    lines.add(b.bundleId() + " {" + String.join(", ", b.constraints()) + "}");
                }
                return reply(rs, cb, 200, TEXT, Json.pretty(lines));
            }
            case "/status/peers" -> {
                requireMethod(get);
                return reply(rs, cb, 200, TEXT, Json.pretty(StatusJson.peers(node.peers())));
            }
            case "/status/info" -> {
                requireMethod(get);
                return reply(rs, cb, 200, TEXT, Json.pretty(StatusJson.info(node, hub::isActive)));
            }
            case "/cts" -> {
                requireMethod(get);
                long[] cts = node.creationTimestamp();
                return reply(rs, cb, 200, TEXT, "[" + cts[0] + "," + cts[1] + "]");
            }
            case "/download", "/download.hex" -> {
                requireMethod(get);
                String bid = rawArgument(raw, "Bundle ID not specified");
                Optional<NodeService.BundleData> data = findBundle(bid);
                if (data.isEmpty()) {
                    // dtnd answers 404 on /download but 400 on /download.hex
                    return reply(rs, cb, path.equals("/download") ? 404 : 400, TEXT, "Bundle not found");
                }
                if (path.equals("/download")) {
                    return stream(rs, cb, data.get());
                }
                byte[] bytes;
                try (InputStream in = data.get().open()) {
                    bytes = in.readAllBytes();
                }
                return reply(rs, cb, 200, TEXT, Hex.encode(bytes));
            }
            case "/delete" -> {
                requireMethod(get || method.equals("DELETE"));
                String bid = rawArgument(raw, "Bundle ID not specified");
                String id = findBundleId(bid);
                if (id == null || !node.delete(id)) {
                    return reply(rs, cb, 404, TEXT, "Bundle not found");
                }
                return reply(rs, cb, 200, OCTETS, "Deleted " + id);
            }
            case "/push" -> {
                requireMethod(post);
                try (HeldBody body = body(rq)) {
                    try {
                        node.receive(body.data(), true);
                    } catch (ApiException e) {
                        LOG.debug("/push rejected: {}", e.getMessage());
                        // dtnd's text first (clients match on it), then why, so the pushing node's operator can act
                        return reply(rs, cb, 400, TEXT, "Error decoding bundle! " + e.getMessage());
                    }
                    return reply(rs, cb, 200, TEXT, "Received " + body.data().length + " bytes");
                }
            }
            case "/insert" -> {
                HeldBody held;
                if (get) {
                    if (raw == null || raw.isEmpty()) {
                        throw ApiException.badRequest("missing hex-encoded bundle after '?'");
                    }
                    held = new HeldBody(); // as long as Jetty lets a request line be, nothing taken from the budget
                    try {
                        held.data = Hex.decode(raw);
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badRequest("query is not a hex-encoded bundle: " + e.getMessage());
                    }
                } else if (post) {
                    held = body(rq);
                } else {
                    throw new ApiException(405, "");
                }
                try (held) {
                    byte[] bundle = held.data();
                    try {
                        node.receive(bundle, false);
                    } catch (ApiException e) {
                        return reply(rs, cb, 400, TEXT, "Error decoding bundle! " + e.getMessage());
                    }
                    return reply(rs, cb, 200, TEXT, "Sent " + bundle.length + " bytes");
                }
            }
            case "/send" -> {
                requireMethod(post);
                return send(rq, rs, cb);
            }
            case "/register", "/unregister" -> {
                requireMethod(get);
                boolean register = path.equals("/register");
                Resolved r = resolveEndpoint(raw,
                        "Malformed endpoint path, only alphanumeric strings or endpoint URIs are allowed!");
                if (register) {
                    node.register(r.eid());
                } else {
                    node.unregister(r.eid());
                }
                String verb = register ? "Registered " : "Unregistered ";
                return reply(rs, cb, 200, TEXT, verb + (r.byName() ? "" : "URI: ") + r.eid());
            }
            case "/endpoint", "/endpoint.hex" -> {
                requireMethod(get);
                Resolved r = resolveEndpoint(raw, "Malformed endpoint path, only alphanumeric strings allowed!");
                if (!node.isRegistered(r.eid())) {
                    return reply(rs, cb, 404, TEXT, "No such endpoint registered!");
                }
                Optional<ReceivedBundle> next = node.poll(r.eid());
                boolean hex = path.endsWith(".hex");
                if (next.isEmpty()) {
                    return reply(rs, cb, 200, hex ? TEXT : OCTETS, "Nothing to receive");
                }
                if (hex) {
                    return reply(rs, cb, 200, TEXT, Hex.encode(next.get().encoded()));
                }
                return reply(rs, cb, 200, OCTETS, next.get().encoded());
            }
            case "/peers/add", "/peers/del" -> {
                requireMethod(get);
                String p = param(rq, "p");
                if (p == null) {
                    throw ApiException.badRequest("missing peer parameter p");
                }
                if (path.equals("/peers/del")) {
                    node.removePeer(p);
                    return reply(rs, cb, 200, TEXT, "Removed peer");
                }
                String type = param(rq, "p_t");
                boolean isStatic;
                if (type == null || type.equalsIgnoreCase("DYNAMIC")) {
                    isStatic = false;
                } else if (type.equalsIgnoreCase("STATIC")) {
                    isStatic = true;
                } else {
                    throw ApiException.badRequest("Invalid peer type '" + type + "': use STATIC or DYNAMIC");
                }
                boolean added = node.addPeer(p, isStatic);
                return reply(rs, cb, 200, TEXT, added ? "Added new peer" : "Updated existing peer");
            }
            case "/routing/cmd" -> {
                requireMethod(get || post);
                String c = param(rq, "c");
                if (c == null) {
                    throw ApiException.badRequest("missing routing command parameter cmd");
                }
                return reply(rs, cb, 200, TEXT, node.routingCommand(c));
            }
            case "/routing/getdata" -> {
                requireMethod(get);
                String p = param(rq, "p");
                return reply(rs, cb, 200, TEXT, node.routingData(p == null ? "" : p));
            }
            case "/debug/rnd_bundle" -> {
                requireMethod(get);
                return reply(rs, cb, 200, TEXT, node.debugRandomBundle());
            }
            case "/debug/rnd_peer" -> {
                requireMethod(get);
                PeerSummary peer = node.debugRandomPeer();
                return reply(rs, cb, 200, TEXT, Json.pretty(StatusJson.peer(peer)));
            }
            case "/ws", "/ws/ecla", "/ws/erouting" -> {
                if (path.equals("/ws") || webSockets.contains(path)) {
                    return reply(rs, cb, 400, TEXT, path + " is a WebSocket: send an upgrade request");
                }
                return reply(rs, cb, 404, TEXT, path.equals("/ws/ecla")
                        ? "the external convergence layer interface is off: start the daemon with --ecla"
                        : "external routing is off: start the daemon with -r external");
            }
            default -> {
                return reply(rs, cb, 404, TEXT, "");
            }
        }
    }

    private boolean send(Request rq, Response rs, Callback cb) throws ApiException, IOException {
        String dst = param(rq, "dst");
        if (dst == null || dst.isEmpty() || dst.equals("dtn:none")) {
            throw ApiException.badRequest("Missing destination endpoint id!");
        }
        String destination;
        try {
            destination = node.parseEndpoint(dst);
        } catch (ApiException e) {
            throw ApiException.badRequest("Invalid destination endpoint id '" + dst + "': " + e.getMessage());
        }
        long lifetime = parseLifetime(param(rq, "lifetime"));
        long flags = DEFAULT_SEND_FLAGS;
        String f = param(rq, "flags");
        if (f != null) {
            try {
                flags = Long.parseUnsignedLong(f.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Invalid Bundle Processing Control Flags! '" + f + "' is not a decimal integer");
            }
            if ((flags & ~KNOWN_BUNDLE_FLAGS) != 0) {
                throw ApiException.badRequest("Invalid Bundle Processing Control Flags!");
            }
        }
        try (HeldBody body = body(rq)) {
            byte[] payload = body.data();
            String bid = node.send(new SendSpec(node.nodeId(), destination, lifetime, flags, SEND_HOP_LIMIT, payload));
            return reply(rs, cb, 200, TEXT, "Sent ADU in bundle " + bid + " with " + payload.length + " bytes");
        }
    }

    /**
     * {@code lifetime}: a humantime duration as dtnd takes it, or a bare integer (what py-dtn7 and dtn7zero
     * send) taken as milliseconds; absent → 1 h.
     */
    static long parseLifetime(String value) throws ApiException {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIFETIME_MS;
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("lifetime '" + v + "' is too large");
            }
        }
        try {
            return Humantime.parse(v).toMillis();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid lifetime: " + e.getMessage());
        }
    }

    /** The resolved endpoint and whether it came from a service name (reply without "URI: "). */
    record Resolved(String eid, boolean byName) {
    }

    /** dtnd's rule: a valid service name is appended to the node ID, anything else must be a full EID. */
    private Resolved resolveEndpoint(String raw, String malformed) throws ApiException {
        if (raw == null) {
            throw ApiException.badRequest("missing query parameter");
        }
        String q = raw;
        if (q.contains("%")) {
            q = decodeOrRaw(q);
        }
        if (isValidServiceName(q)) {
            return new Resolved(serviceEndpoint(node.nodeId(), q), true);
        }
        try {
            return new Resolved(node.parseEndpoint(q), false);
        } catch (ApiException e) {
            throw ApiException.badRequest(malformed);
        }
    }

    /** Builds {@code dtn://node/<name>} or {@code ipn:N.<name>} for a service name on this node. */
    static String serviceEndpoint(String nodeId, String name) throws ApiException {
        if (nodeId.startsWith("ipn:")) {
            String nodeNumber = nodeId.substring(4, nodeId.indexOf('.'));
            if (name.isEmpty()) {
                return nodeId;
            }
            if (!name.chars().allMatch(Character::isDigit) || name.length() > 19) {
                throw ApiException.badRequest("invalid endpoint combination: an ipn node's service must be a number, not '" + name + "'");
            }
            return "ipn:" + nodeNumber + "." + Long.parseUnsignedLong(name);
        }
        return nodeId + name;
    }

    /** dtn7-rs {@code is_valid_service_name}: only [A-Za-z0-9/_.~-] (the empty string passes). */
    static boolean isValidServiceName(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '_' || c == '.' || c == '~' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private Optional<NodeService.BundleData> findBundle(String bid) {
        Optional<NodeService.BundleData> data = node.download(bid);
        if (data.isEmpty() && bid.contains("%")) {
            data = node.download(decodeOrRaw(bid));
        }
        return data;
    }

    private String findBundleId(String bid) {
        if (node.download(bid).isPresent()) {
            return bid;
        }
        if (bid.contains("%")) {
            String decoded = decodeOrRaw(bid);
            if (node.download(decoded).isPresent()) {
                return decoded;
            }
        }
        return null;
    }

    /** The percent-decoded text, or the text itself when it is not valid percent-encoding (a stray '%'). */
    static String decodeOrRaw(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static String rawArgument(String raw, String missing) throws ApiException {
        if (raw == null || raw.isEmpty()) {
            throw ApiException.badRequest(missing);
        }
        return raw;
    }

    private static void requireMethod(boolean ok) throws ApiException {
        if (!ok) {
            throw new ApiException(405, "");
        }
    }

    private static String param(Request rq, String name) throws ApiException {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(rq, StandardCharsets.UTF_8);
        } catch (RuntimeException e) { // Jetty's HttpException.IllegalArgumentException("Bad query") on "%zz"
            throw ApiException.badRequest("malformed query string (bad percent-encoding): " + rq.getHttpURI().getQuery());
        }
        Fields.Field f = fields.get(name);
        return f == null ? null : f.getValue();
    }

    /** {@return the {@code /metrics} renderer, for the server to add samples of its own} */
    Metrics metrics() {
        return metrics;
    }

    /** Bytes read at a time from a body of unknown length (chunked), each taken from the budget before it is read. */
    private static final int BODY_PIECE = 64 * 1024;

    /**
     * A request body in heap, with the bytes of the {@link BodyBudget} it holds; closing it gives them back.
     */
    private final class HeldBody implements AutoCloseable {
        private byte[] data;
        private long taken;

        byte[] data() {
            return data;
        }

        /** Takes {@code n} more bytes from the budget, or fails the request with 503 when they do not fit. */
        void take(long n) throws ApiException {
            if (!budget.tryTake(n)) {
                throw new ApiException(503, "the node holds " + (budget.inUse() >> 20) + " MiB of request bodies"
                        + " already, its limit is " + (budget.capacity() >> 20) + " MiB; try again later");
            }
            taken += n;
        }

        void give(long n) {
            budget.give(n);
            taken -= n;
        }

        @Override
        public void close() {
            budget.give(taken);
            taken = 0;
        }
    }

    private HeldBody body(Request rq) throws ApiException, IOException {
        long declared = rq.getLength();
        if (declared > options.maxBodyBytes()) {
            throw new ApiException(413, "request body of " + declared + " bytes exceeds the limit of "
                    + options.maxBodyBytes() + " bytes (--max-request-bytes)");
        }
        // a client dripping its body (Jetty's idle timeout restarts with every byte) is cut off at a deadline: the
        // grace plus the body's size at the rate the convergence layers ask of a frame (TimedInput.MIN_RATE)
        // (a chunked body of unknown size: the deadline moves on with each piece, so that the body as a whole keeps
        // to the same rule, instead of being allowed the time of a --max-request-bytes body)
        HeldBody held = new HeldBody();
        if (declared >= 0) {
            // before the body is opened: a refusal (503) leaves it unread, so the error path drains it and the
            // connection stays usable (closing the opened stream fails the request's content, and the 503 then raced
            // the connection's reset while the client was still sending)
            held.take(declared);
        }
        long expected = declared >= 0 ? declared : BODY_PIECE;
        long started = System.nanoTime();
        Duration limit = options.bodyGrace().plusMillis(expected * 1000 / TimedInput.MIN_RATE);
        Runnable cutOff = () -> rq.fail(new TimeoutException("request body not received in time"));
        Deadline deadline = Deadline.after(limit, cutOff);
        try (InputStream in = Content.Source.asInputStream(rq)) {
            // the heap a body takes comes out of the budget before it is allocated: a declared length whole, a
            // chunked body a piece at a time, and the array it is joined into
            if (declared >= 0) {
                byte[] data = new byte[(int) declared];
                int n = in.readNBytes(data, 0, data.length);
                if (n < data.length) {
                    throw ApiException.badRequest("request body ended after " + n + " of " + declared + " bytes");
                }
                held.data = data;
            } else {
                List<byte[]> pieces = new ArrayList<>();
                long total = 0;
                while (true) {
                    held.take(BODY_PIECE);
                    byte[] piece = new byte[BODY_PIECE];
                    int n = in.readNBytes(piece, 0, BODY_PIECE);
                    pieces.add(piece);
                    total += n;
                    if (total > options.maxBodyBytes()) {
                        throw new ApiException(413, "request body exceeds the limit of " + options.maxBodyBytes()
                                + " bytes (--max-request-bytes)");
                    }
                    if (n < BODY_PIECE) {
                        break;
                    }
                    if (!deadline.finish()) {
                        throw tooSlow(limit, declared);
                    }
                    Duration allowed = options.bodyGrace().plusMillis((total + BODY_PIECE) * 1000 / TimedInput.MIN_RATE)
                            .minusNanos(System.nanoTime() - started);
                    deadline = Deadline.after(allowed.isNegative() ? Duration.ZERO : allowed, cutOff);
                }
                held.take(total);
                byte[] data = new byte[(int) total];
                int at = 0;
                for (byte[] piece : pieces) {
                    int n = (int) Math.min(piece.length, total - at);
                    System.arraycopy(piece, 0, data, at, n);
                    at += n;
                }
                held.give((long) BODY_PIECE * pieces.size());
                held.data = data;
            }
            if (!deadline.finish()) {
                throw tooSlow(limit, declared);
            }
            return held;
        } catch (IOException e) {
            held.close();
            if (!deadline.finish()) {
                throw tooSlow(limit, declared);
            }
            throw e;
        } catch (ApiException | RuntimeException e) {
            held.close();
            deadline.finish();
            throw e;
        }
    }

    private static ApiException tooSlow(Duration limit, long declared) {
        return new ApiException(408, "request body " + (declared >= 0 ? "of " + declared + " bytes " : "")
                + "not received within " + limit.toMillis() + " ms; send it faster or in smaller bundles");
    }

    static List<String> bundleIds(List<BundleSummary> bundles) {
        List<String> ids = new ArrayList<>(bundles.size());
        for (BundleSummary b : bundles) {
            ids.add(b.bundleId());
        }
        return ids;
    }

    /**
     * SHA-1 hex of the sorted, concatenated bundle IDs (dtnd's store digest).
     *
     * @param ids the bundle IDs held
     * @return the digest as lowercase hex
     */
    public static String digest(List<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String id : sorted) {
                sha1.update(id.getBytes(StandardCharsets.UTF_8));
            }
            return Hex.encode(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean stream(Response rs, Callback cb, NodeService.BundleData data) throws IOException {
        rs.setStatus(200);
        rs.getHeaders().put(HttpHeader.CONTENT_TYPE, OCTETS);
        rs.getHeaders().put(HttpHeader.CONTENT_LENGTH, data.size());
        try (InputStream in = data.open(); OutputStream out = Content.Sink.asOutputStream(rs)) {
            in.transferTo(out);
        } catch (IOException e) {
            cb.failed(e);
            return true;
        }
        cb.succeeded();
        return true;
    }

    static boolean reply(Response rs, Callback cb, int status, String contentType, String body) {
        return reply(rs, cb, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static boolean reply(Response rs, Callback cb, int status, String contentType, byte[] body) {
        rs.setStatus(status);
        if (body.length > 0 || status == 200) {
            rs.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        rs.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        rs.write(true, java.nio.ByteBuffer.wrap(body), cb);
        return true;
    }

    /** Map helper for JSON objects with a fixed key order. */
    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
