package io.dtn7j.core.external;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small stand-in for a dtn7-rs daemon's REST and WebSocket API (the routes {@link ExternalEndpoint} uses),
 * on a real socket: HTTP/1.1 with one request per connection, and RFC 6455 framing for {@code /ws}.
 * It delivers inserted bundles whose destination is registered here, like dtnd does.
 */
public final class FakeDaemon implements AutoCloseable {

    /** The node ID it answers on {@code /status/nodeid}. */
    public final String nodeId;
    /** Every request as {@code "<method> <target>"}, in arrival order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Every bundle posted to {@code /insert}. */
    public final List<Bundle> inserted = new CopyOnWriteArrayList<>();
    /** Every text command received on {@code /ws}. */
    public final List<String> wsCommands = new CopyOnWriteArrayList<>();
    /** Answer 403 to everything, as dtnd does to remote clients without -U. */
    public volatile boolean localhostOnly;
    /** Answer {@code GET /endpoint} with these bytes instead. */
    public volatile byte[] endpointOverride;

    private final ServerSocket server;
    private final Map<String, Deque<byte[]>> queues = new ConcurrentHashMap<>();
    private final Map<String, WsSession> subscribers = new ConcurrentHashMap<>();
    private final Thread acceptor;

    /** Starts listening on an ephemeral loopback port. */
    public FakeDaemon(String nodeId) throws IOException {
        this.nodeId = nodeId;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The listening port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Whether an endpoint is registered. */
    public boolean isRegistered(String eid) {
        return queues.containsKey(eid);
    }

    /** Hands a bundle to the registered destination: over its WebSocket if subscribed, else into its queue. */
    public synchronized void deliver(Bundle bundle) throws IOException {
        String dst = bundle.destination().uri();
        byte[] encoded = BundleCodec.encode(bundle);
        WsSession ws = subscribers.get(dst);
        if (ws != null) {
            ws.send(0x2, encoded);
        } else {
            Deque<byte[]> q = queues.get(dst);
            if (q == null) {
                throw new IllegalStateException("nothing registered at " + dst);
            }
            q.add(encoded);
        }
    }

    /** Forgets every registration, as a restarted daemon would. */
    public void forgetRegistrations() {
        queues.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (WsSession s : subscribers.values()) {
            s.socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private String resolve(String query) {
        if (query.contains(":")) {
            return EndpointId.parse(query).uri();
        }
        return nodeId + query;
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String requestLine = readLine(in);
            if (requestLine == null) {
                return;
            }
            Map<String, String> headers = new HashMap<>();
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            String[] parts = requestLine.split(" ");
            String method = parts[0];
            String target = parts[1];
            byte[] body = new byte[Integer.parseInt(headers.getOrDefault("content-length", "0"))];
            new DataInputStream(in).readFully(body);
            requests.add(method + " " + target);
            if (localhostOnly) {
                respond(out, 403, new byte[0]);
                return;
            }
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String query = q < 0 ? "" : target.substring(q + 1);
            switch (path) {
                case "/status/nodeid" -> respond(out, 200, nodeId);
                case "/register" -> {
                    String eid = resolve(query);
                    queues.putIfAbsent(eid, new ArrayDeque<>());
                    respond(out, 200, (query.contains(":") ? "Registered URI: " : "Registered ") + eid);
                }
                case "/unregister" -> {
                    String eid = resolve(query);
                    queues.remove(eid);
                    respond(out, 200, "Unregistered " + eid);
                }
                case "/endpoint" -> {
                    if (endpointOverride != null) {
                        respond(out, 200, endpointOverride);
                        return;
                    }
                    Deque<byte[]> queue = queues.get(resolve(query));
                    if (queue == null) {
                        respond(out, 404, "No such endpoint registered!");
                        return;
                    }
                    byte[] next;
                    synchronized (this) {
                        next = queue.poll();
                    }
                    respond(out, 200, next == null ? "Nothing to receive".getBytes(StandardCharsets.UTF_8) : next);
                }
                case "/insert" -> {
                    Bundle bundle;
                    try {
                        bundle = BundleCodec.decode(body, DecodeOptions.DEFAULT);
                    } catch (RuntimeException e) {
                        respond(out, 400, "Error decoding bundle!");
                        return;
                    }
                    inserted.add(bundle);
                    if (queues.containsKey(bundle.destination().uri())) {
                        deliver(bundle);
                    }
                    respond(out, 200, "Sent " + body.length + " bytes");
                }
                case "/ws" -> webSocket(socket, in, out, headers);
                default -> respond(out, 404, new byte[0]);
            }
        } catch (Exception e) {
            // connection ends
        }
    }

    private static void respond(OutputStream out, int status, String text) throws IOException {
        respond(out, status, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(OutputStream out, int status, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length
                + "\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    // ---- WebSocket (RFC 6455), enough for text commands and binary bundles

    private void webSocket(Socket socket, InputStream in, OutputStream out, Map<String, String> headers)
            throws Exception {
        String key = headers.get("sec-websocket-key");
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        WsSession session = new WsSession(socket, out);
        DataInputStream data = new DataInputStream(in);
        try {
            while (true) {
                int b0 = data.readUnsignedByte();
                int b1 = data.readUnsignedByte();
                int opcode = b0 & 0x0F;
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = data.readUnsignedShort();
                } else if (len == 127) {
                    len = data.readLong();
                }
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) {
                    data.readFully(mask);
                }
                byte[] payload = new byte[(int) len];
                data.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                switch (opcode) {
                    case 0x1 -> command(session, new String(payload, StandardCharsets.UTF_8).trim());
                    case 0x8 -> {
                        session.send(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                        return;
                    }
                    case 0x9 -> session.send(0xA, payload);
                    default -> { }
                }
            }
        } finally {
            subscribers.values().removeIf(s -> s == session);
        }
    }

    private void command(WsSession session, String text) throws IOException {
        wsCommands.add(text);
        String[] parts = text.split(" ", 2);
        switch (parts[0]) {
            case "/bundle" -> session.sendText("200 tx mode: bundle");
            case "/subscribe" -> {
                String eid = parts.length > 1 ? resolve(parts[1]) : "";
                Deque<byte[]> queue = queues.get(eid);
                if (queue == null) {
                    session.sendText("404 unknown endpoint");
                    return;
                }
                session.sendText("200 subscribed");
                synchronized (this) {
                    subscribers.put(eid, session);
                    for (byte[] b = queue.poll(); b != null; b = queue.poll()) {
                        session.send(0x2, b);
                    }
                }
            }
            default -> session.sendText("501 unknown command: \"" + text + "\"");
        }
    }

    private static final class WsSession {
        final Socket socket;
        final OutputStream out;

        WsSession(Socket socket, OutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        void sendText(String text) throws IOException {
            send(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        synchronized void send(int opcode, byte[] payload) throws IOException {
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else if (payload.length < 65536) {
                out.write(126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xFF);
            } else {
                out.write(127);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) ((long) payload.length >>> (8 * i)) & 0xFF);
                }
            }
            out.write(payload);
            out.flush();
        }
    }
}
