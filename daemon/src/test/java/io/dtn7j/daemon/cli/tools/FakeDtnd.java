package io.dtn7j.daemon.cli.tools;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small stand-in for dtnd in tests: a raw-socket HTTP/1.1 server with the routes and reply texts of
 * dtn7-compat.md §4 that the client tools use, and the {@code /ws} WebSocket of §6 (JSON/data/bundle modes,
 * /node, /subscribe, binary sends). Bundles sent to registered local endpoints are delivered locally, so a ping and
 * an echo service can talk through it. Every HTTP request is recorded for assertions.
 */
final class FakeDtnd implements AutoCloseable {

    /** A recorded HTTP request. */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        String rawQuery() {
            int q = target.indexOf('?');
            return q < 0 ? null : target.substring(q + 1);
        }
    }

    final String nodeId;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<String> wsCommands = new CopyOnWriteArrayList<>();
    final AtomicInteger pongs = new AtomicInteger();
    /** Bundles inserted or sent, in order. */
    final List<Bundle> received = new CopyOnWriteArrayList<>();
    volatile String requiredToken;

    private final ServerSocket server;
    private final Set<String> registered = new LinkedHashSet<>();
    private final Map<String, Deque<byte[]>> queues = new HashMap<>();
    private final Map<String, byte[]> store = new LinkedHashMap<>();
    private final Map<String, WsConn> subscribers = new HashMap<>();
    private long ctsTime = 800_000_000_000L;
    private long ctsSeq;

    FakeDtnd(String nodeId) throws IOException {
        this.nodeId = nodeId;
        this.registered.add(nodeId);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-dtnd-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Puts a bundle into the store (and into the queue of its destination if registered). */
    synchronized void addBundle(Bundle b) {
        byte[] enc = BundleCodec.encode(b);
        store.put(b.id().toString(), enc);
        route(b, enc);
    }

    synchronized Set<String> registered() {
        return Set.copyOf(registered);
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            for (WsConn c : subscribers.values()) {
                c.closeQuietly();
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private void handle(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new HashMap<>();
            for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
                int c = h.indexOf(':');
                headers.put(h.substring(0, c).strip().toLowerCase(Locale.ROOT), h.substring(c + 1).strip());
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(headers.get("authorization"))) {
                respond(out, 401, "text/plain", "missing or wrong bearer token".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if ("websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                requests.add(new Request(parts[0], parts[1], headers, new byte[0]));
                webSocket(in, out, headers);
                return;
            }
            byte[] body = readBody(in, headers);
            Request req = new Request(parts[0], parts[1], headers, body);
            requests.add(req);
            Reply r = route(req);
            respond(out, r.status, r.contentType, r.body);
        } catch (IOException e) {
            // client went away
        }
    }

    private record Reply(int status, String contentType, byte[] body) {
        static Reply text(int status, String text) {
            return new Reply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        static Reply bytes(byte[] b) {
            return new Reply(200, "application/octet-stream", b);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        if (headers.containsKey("content-length")) {
            return new DataInputStream(in).readNBytes(Integer.parseInt(headers.get("content-length")));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int n = Integer.parseInt(line(in).split(";")[0].strip(), 16);
                if (n == 0) {
                    line(in);
                    return out.toByteArray();
                }
                out.write(in.readNBytes(n));
                line(in);
            }
        }
        return new byte[0];
    }

    private static void respond(OutputStream out, int status, String type, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + status + " X\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static boolean validServiceName(String s) {
        return s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || "/_.~-".indexOf(c) >= 0);
    }

    /** Resolves a raw /register-style query: service name → node EID + name, else a full EID; null if invalid. */
    private String resolve(String q) {
        if (validServiceName(q)) {
            return nodeId.startsWith("ipn:") ? nodeId.substring(0, nodeId.indexOf('.')) + "." + q : nodeId + q;
        }
        try {
            return EndpointId.parse(q).uri();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private synchronized Reply route(Request r) {
        String q = r.rawQuery();
        switch (r.method() + " " + r.path()) {
            case "GET /status/nodeid":
                return Reply.text(200, nodeId);
            case "GET /status/eids":
                return Reply.text(200, jsonArray(registered));
            case "GET /status/bundles":
                return Reply.text(200, jsonArray(store.keySet()));
            case "GET /status/bundles/verbose":
                return Reply.text(200, jsonArray(store.keySet().stream().map(k -> k + " verbose").toList()));
            case "GET /status/bundles/digest":
                return Reply.text(200, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
            case "GET /status/bundles/filtered", "GET /status/bundles/filtered/digest": {
                String addr = q == null ? null : param(q, "addr");
                if (addr == null) {
                    return Reply.text(400, "missing filter criteria");
                }
                List<String> ids = store.keySet().stream().filter(k -> k.contains(addr)).toList();
                return Reply.text(200, r.path().endsWith("digest") ? "digest-of-" + ids.size() : jsonArray(ids));
            }
            case "GET /status/store":
                return Reply.text(200, jsonArray(store.keySet().stream().map(k -> k + " {ForwardPending}").toList()));
            case "GET /status/info":
                return Reply.text(200, "{\n  \"incoming\": 0,\n  \"dups\": 0\n}");
            case "GET /status/peers":
                return Reply.text(200, "{\n  \"node2\": {\n    \"eid\": [\n      1,\n      \"//node2/\"\n    ]\n  }\n}");
            case "GET /cts":
                return Reply.text(200, "[" + ctsTime + "," + (ctsSeq++) + "]");
            case "POST /insert": {
                Bundle b;
                try {
                    b = BundleCodec.decode(r.body(), DecodeOptions.PARSE_ONLY);
                } catch (RuntimeException e) {
                    return Reply.text(400, "Error decoding bundle!");
                }
                received.add(b);
                addBundle(b);
                return Reply.text(200, "Sent " + r.body().length + " bytes");
            }
            case "GET /register", "GET /unregister": {
                if (q == null) {
                    return Reply.text(400, "missing query parameter");
                }
                String eid = resolve(q);
                if (eid == null) {
                    return Reply.text(400, "Malformed endpoint path, only alphanumeric strings or endpoint URIs are allowed!");
                }
                boolean reg = r.path().equals("/register");
                if (reg) {
                    registered.add(eid);
                    queues.computeIfAbsent(eid, k -> new ArrayDeque<>());
                } else {
                    registered.remove(eid);
                }
                return Reply.text(200, (reg ? "Registered " : "Unregistered ") + (validServiceName(q) ? "" : "URI: ") + eid);
            }
            case "GET /endpoint": {
                if (q == null) {
                    return Reply.text(400, "missing query parameter");
                }
                String eid = resolve(q);
                if (eid == null || !registered.contains(eid)) {
                    return Reply.text(404, "No such endpoint registered!");
                }
                Deque<byte[]> queue = queues.computeIfAbsent(eid, k -> new ArrayDeque<>());
                byte[] next = queue.poll();
                return next == null ? new Reply(200, "application/octet-stream", "Nothing to receive".getBytes(StandardCharsets.UTF_8))
                        : Reply.bytes(next);
            }
            case "GET /download": {
                if (q == null || q.isEmpty()) {
                    return Reply.text(400, "Bundle ID not specified");
                }
                byte[] b = store.get(q);
                return b == null ? Reply.text(404, "Bundle not found") : Reply.bytes(b);
            }
            case "GET /delete", "DELETE /delete": {
                if (q == null || q.isEmpty()) {
                    return Reply.text(400, "Bundle ID not specified");
                }
                return store.remove(q) == null ? Reply.text(404, "Bundle not found")
                        : new Reply(200, "application/octet-stream", ("Deleted " + q).getBytes(StandardCharsets.UTF_8));
            }
            default:
                return new Reply(404, "text/plain", new byte[0]);
        }
    }

    private static String param(String query, String name) {
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String jsonArray(java.util.Collection<String> items) {
        if (items.isEmpty()) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder("[\n");
        int i = 0;
        for (String s : items) {
            sb.append("  \"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            sb.append(++i < items.size() ? ",\n" : "\n");
        }
        return sb.append(']').toString();
    }

    /** Queues a bundle for its destination if that is a registered endpoint, or hands it to a subscriber. */
    private void route(Bundle b, byte[] encoded) {
        String dst = b.destination().uri();
        if (!registered.contains(dst)) {
            return;
        }
        WsConn sub = subscribers.get(dst);
        if (sub != null && sub.deliver(b, encoded)) {
            store.remove(b.id().toString());
            return;
        }
        queues.computeIfAbsent(dst, k -> new ArrayDeque<>()).add(encoded);
    }

    // ------------------------------------------------------------------------------------------- WebSocket

    private void webSocket(InputStream in, OutputStream out, Map<String, String> headers) throws IOException {
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (headers.get("sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        WsConn conn = new WsConn(out);
        conn.frame(0x9, "dtn7".getBytes(StandardCharsets.US_ASCII)); // dtnd pings right after the upgrade
        DataInputStream din = new DataInputStream(in);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageOpcode = 0;
        try {
            while (true) {
                int b0 = din.readUnsignedByte();
                int b1 = din.readUnsignedByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0f;
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = din.readUnsignedShort();
                } else if (len == 127) {
                    len = din.readLong();
                }
                byte[] mask = (b1 & 0x80) != 0 ? din.readNBytes(4) : null;
                byte[] payload = din.readNBytes((int) len);
                if (mask != null) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i & 3];
                    }
                }
                switch (opcode) {
                    case 0x8 -> {
                        conn.frame(0x8, new byte[0]);
                        return;
                    }
                    case 0x9 -> conn.frame(0xA, payload);
                    case 0xA -> pongs.incrementAndGet();
                    default -> {
                        if (opcode != 0) {
                            messageOpcode = opcode;
                        }
                        message.write(payload);
                        if (fin) {
                            byte[] msg = message.toByteArray();
                            message.reset();
                            if (messageOpcode == 1) {
                                wsText(conn, new String(msg, StandardCharsets.UTF_8));
                            } else {
                                wsBinary(conn, msg);
                            }
                        }
                    }
                }
            }
        } catch (EOFException e) {
            // closed
        } finally {
            synchronized (this) {
                subscribers.values().removeIf(c -> c == conn);
            }
        }
    }

    private void wsText(WsConn conn, String text) throws IOException {
        String t = text.strip();
        wsCommands.add(t);
        if (!t.startsWith("/")) {
            return;
        }
        int sp = t.indexOf(' ');
        String cmd = sp < 0 ? t : t.substring(0, sp);
        String arg = sp < 0 ? null : t.substring(sp + 1).strip();
        switch (cmd) {
            case "/node" -> conn.text("200 node: " + nodeId);
            case "/bundle", "/data", "/json" -> {
                conn.mode = cmd.substring(1);
                conn.text("200 tx mode: " + (cmd.equals("/json") ? "JSON" : conn.mode));
            }
            case "/subscribe" -> {
                if (arg == null) {
                    conn.text("400 endpoint is missing");
                    return;
                }
                String eid = resolve(arg);
                List<byte[]> flush = new ArrayList<>();
                synchronized (this) {
                    if (eid == null || !registered.contains(eid)) {
                        conn.text("404 unknown endpoint");
                        return;
                    }
                    subscribers.put(eid, conn);
                    Deque<byte[]> q = queues.computeIfAbsent(eid, k -> new ArrayDeque<>());
                    flush.addAll(q);
                    q.clear();
                }
                conn.text("200 subscribed");
                for (byte[] enc : flush) {
                    conn.deliver(BundleCodec.decode(enc, DecodeOptions.PARSE_ONLY), enc);
                }
            }
            default -> conn.text("501 unknown command: \"" + t + "\"");
        }
    }

    private void wsBinary(WsConn conn, byte[] msg) throws IOException {
        Bundle b;
        if (conn.mode.equals("bundle")) {
            try {
                b = BundleCodec.decode(msg, DecodeOptions.PARSE_ONLY);
            } catch (RuntimeException e) {
                conn.text("400 Invalid binary bundle");
                return;
            }
            conn.text("200 Sent payload with " + msg.length + " bytes");
        } else {
            WsData.Send s;
            try {
                s = WsData.decodeSend(msg);
            } catch (ApiException e) {
                conn.text("400 Unexpected binary: Err(\"error parsing cbor\")");
                return;
            }
            long t;
            long seq;
            synchronized (this) {
                t = ctsTime;
                seq = ctsSeq++;
            }
            b = Bundle.builder().source(s.src()).destination(s.dst()).reportTo(s.src()).creation(t, seq)
                    .lifetimeMs(s.lifetimeMs()).flags(s.deliveryNotification() ? 0x20004 : 0x04).crcType(CrcType.NONE)
                    .payload(s.data()).build();
            conn.text("200 Sent bundle " + b.id() + " with " + s.data().length + " bytes");
        }
        received.add(b);
        synchronized (this) {
            addBundle(b);
        }
    }

    /** One WebSocket connection. */
    private static final class WsConn {
        private final OutputStream out;
        volatile String mode = "json";

        WsConn(OutputStream out) {
            this.out = out;
        }

        void text(String s) throws IOException {
            frame(0x1, s.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends a bundle in the session's mode; false if the connection is gone. */
        boolean deliver(Bundle b, byte[] encoded) {
            try {
                if (mode.equals("bundle")) {
                    frame(0x2, encoded);
                } else {
                    frame(0x2, new WsData.Recv(b.id().toString(), b.source().uri(), b.destination().uri(),
                            b.creation().dtnTimeMs(), b.creation().sequence(), b.primary().lifetimeMs(),
                            b.payload().toByteArray()).encode());
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        synchronized void frame(int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x80 | opcode);
            if (payload.length < 126) {
                f.write(payload.length);
            } else if (payload.length < 65536) {
                f.write(126);
                f.write(payload.length >> 8);
                f.write(payload.length);
            } else {
                f.write(127);
                for (int i = 7; i >= 0; i--) {
                    f.write((int) ((long) payload.length >>> (8 * i)));
                }
            }
            f.write(payload);
            out.write(f.toByteArray());
            out.flush();
        }

        void closeQuietly() {
            try {
                out.close();
            } catch (IOException e) {
                // gone
            }
        }
    }
}
