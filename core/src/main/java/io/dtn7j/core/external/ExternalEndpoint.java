package io.dtn7j.core.external;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.InvalidEndpointIdException;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.core.api.Destinations;
import io.dtn7j.core.api.Endpoint;
import io.dtn7j.core.api.Message;
import io.dtn7j.core.api.MessageHandler;
import io.dtn7j.core.http.BoundedHttp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An endpoint registered at a remote dtn7-rs or dtn7j daemon through its HTTP/WebSocket API, used through the
 * same {@link Endpoint} interface as a local one. Needs nothing but the daemon's address:
 *
 * <pre>{@code
 * try (ExternalEndpoint ep = ExternalEndpoint.connect("http://127.0.0.1:3000", "my-endpoint")) {
 *     ep.send("hello", "dtn://node1/my-endpoint");
 *     System.out.println(ep.receive(Duration.ofSeconds(10)).text());
 * }
 * }</pre>
 *
 * <p>What it calls: {@code GET /status/nodeid} and {@code GET /register?<name>} when connecting,
 * {@code POST /insert} with a bundle it builds (source: this endpoint; must-not-fragment; no CRC; hop limit 32; lifetime 24 h) to
 * send, {@code GET /endpoint?<name>} to poll, and, with a callback, the WebSocket {@code /ws} in bundle mode
 * subscribed to this endpoint; {@code GET /unregister?<name>} when closed. A daemon on another host must allow
 * remote access to its local API ({@code dtnd -U}).
 *
 * <p>Callbacks run on the WebSocket client's thread, one at a time, in arrival order. Without a callback
 * {@link #receive()} polls the daemon every {@link #POLL_INTERVAL}.
 */
public final class ExternalEndpoint implements Endpoint {

    /** The daemon port used when the URL names none: 3000, dtn7-rs's web port. */
    public static final int DEFAULT_PORT = 3000;
    /** How often {@link #receive()} polls an endpoint that has no WebSocket. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long LIFETIME_MS = Duration.ofHours(24).toMillis();
    private static final String NOTHING = "Nothing to receive";
    private static final Object CLOCK_LOCK = new Object();
    private static long lastTime;
    private static long sequence;

    private final URI base;
    private final String name;
    private final HttpClient http;
    private final EndpointId nodeId;
    private final EndpointId eid;
    private final Consumer<Message> handler;
    private final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();
    private WebSocket webSocket; // null when polled
    private boolean closed;

    private ExternalEndpoint(URI base, String name, Consumer<Message> handler) {
        this.base = base;
        this.name = name;
        this.handler = handler;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String nodeText = text(get("/status/nodeid"), "/status/nodeid").trim();
        try {
            this.nodeId = EndpointId.parse(nodeText);
        } catch (InvalidEndpointIdException e) {
            throw new ExternalEndpointException(base + " does not look like a dtn7 daemon: GET /status/nodeid answered '"
                    + abbreviate(nodeText) + "', not a node ID", 200, e);
        }
        this.eid = register();
    }

    /**
     * Registers {@code endpointName} at the daemon and returns the endpoint, to be polled.
     *
     * @param daemonUrl    the daemon's HTTP address, e.g. {@code http://127.0.0.1:3000}, or just a host
     *                     ({@code 192.168.2.163}; port 3000 is assumed)
     * @param endpointName a service name such as {@code my-endpoint} (the daemon prefixes its node ID) or a full
     *                     endpoint ID such as {@code dtn://global/~news}
     * @return the connected endpoint
     * @throws IllegalArgumentException   when the URL or name is malformed
     * @throws ExternalEndpointException when the daemon cannot be reached or refuses the registration
     */
    public static ExternalEndpoint connect(String daemonUrl, String endpointName) {
        return new ExternalEndpoint(baseUri(daemonUrl), checkName(endpointName), null);
    }

    /**
     * Registers {@code endpointName} at the daemon and subscribes to it over the daemon's WebSocket: every
     * message that arrives is handed to {@code handler}.
     *
     * @param daemonUrl the daemon's HTTP address, e.g. {@code http://127.0.0.1:3000}
     * @param endpointName a service name such as {@code my-endpoint}, or a full endpoint ID
     * @param handler receives the messages
     * @return the connected endpoint
     * @see #connect(String, String)
     */
    public static ExternalEndpoint connect(String daemonUrl, String endpointName, MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return connect(daemonUrl, endpointName,
                (Consumer<Message>) m -> handler.onMessage(m.payload(), m.source(), m.destination(), m.primaryBlock()));
    }

    /**
     * As {@link #connect(String, String, MessageHandler)} with a callback that receives whole messages.
     *
     * @param daemonUrl the daemon's HTTP address, e.g. {@code http://127.0.0.1:3000}
     * @param endpointName a service name such as {@code my-endpoint}, or a full endpoint ID
     * @param handler receives the messages
     * @return the connected endpoint
     */
    public static ExternalEndpoint connect(String daemonUrl, String endpointName, Consumer<Message> handler) {
        Objects.requireNonNull(handler, "handler");
        ExternalEndpoint endpoint = new ExternalEndpoint(baseUri(daemonUrl), checkName(endpointName), handler);
        try {
            endpoint.openWebSocket();
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
        return endpoint;
    }

    /**
     * The daemon's node ID, e.g. {@code dtn://node1/}.
     *
     * @return the node ID
     */
    public EndpointId nodeId() {
        return nodeId;
    }

    /**
     * This endpoint's ID as the daemon registered it.
     *
     * @return the endpoint ID
     */
    public EndpointId eid() {
        return eid;
    }

    @Override
    public String uri() {
        return eid.uri();
    }

    /**
     * The daemon's base URL.
     *
     * @return the base URL
     */
    public URI daemon() {
        return base;
    }

    /**
     * Sends {@code payload} in a bundle built here, with this endpoint as source, inserted at the daemon.
     *
     * @return the bundle's ID
     * @throws ExternalEndpointException when the daemon does not accept the bundle
     */
    @Override
    public BundleId send(byte[] payload, String destination, boolean anonymous) {
        Objects.requireNonNull(payload, "payload");
        EndpointId dst = Destinations.parse(destination);
        requireOpen();
        Bundle bundle = Bundle.builder()
                .source(anonymous ? EndpointId.NONE : eid)
                .reportTo(anonymous ? EndpointId.NONE : nodeId)
                .destination(dst)
                .flags(BundleFlags.MUST_NOT_FRAGMENT) // as dtn7zero; RFC 9171 requires it of anonymous bundles
                .creation(nextTimestamp())
                .lifetimeMs(LIFETIME_MS)
                .crcType(CrcType.NONE)
                .hopLimit(32)
                .payload(payload.clone())
                .build();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/insert")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BundleCodec.encode(bundle))).build();
        HttpResponse<byte[]> response = exchange(request, "POST /insert");
        if (response.statusCode() != 200) {
            throw failure("POST /insert", response, "the daemon did not accept the bundle");
        }
        return bundle.id();
    }

    /**
     * Fetches the oldest message the daemon holds for this endpoint ({@code GET /endpoint}).
     *
     * @throws IllegalStateException     when the endpoint has a callback (its messages come over the WebSocket)
     * @throws ExternalEndpointException when the daemon no longer knows the endpoint or cannot be reached
     */
    @Override
    public Optional<Message> poll() {
        if (handler != null) {
            throw new IllegalStateException("endpoint " + uri() + " has a callback, which receives its messages over "
                    + "the WebSocket: connect without a callback to poll, or use receive()");
        }
        requireOpen();
        return fetch();
    }

    /**
     * The next message: over the WebSocket when the endpoint has a callback (the message then goes to the future
     * instead), otherwise by polling the daemon every {@link #POLL_INTERVAL} on a virtual thread.
     */
    @Override
    public CompletableFuture<Message> receive() {
        requireOpen();
        CompletableFuture<Message> future = new CompletableFuture<>();
        if (handler != null) {
            synchronized (this) {
                waiters.add(future);
            }
            return future;
        }
        Thread.ofVirtual().name("dtn7j-external-poll-" + name).start(() -> {
            while (!future.isDone()) {
                try {
                    Optional<Message> next = fetch();
                    if (next.isPresent()) {
                        if (!future.complete(next.get())) {
                            // cancelled meanwhile: this message has left the daemon; nobody can take it any more
                            System.getLogger(ExternalEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                                    "dropping " + next.get() + ": its receive() future was cancelled");
                        }
                        return;
                    }
                    Thread.sleep(POLL_INTERVAL);
                } catch (InterruptedException e) {
                    future.completeExceptionally(e);
                    return;
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                    return;
                }
                if (isClosed()) {
                    future.completeExceptionally(new IllegalStateException("endpoint " + uri() + " was closed"));
                }
            }
        });
        return future;
    }

    /** Unsubscribes, closes the WebSocket and unregisters the endpoint at the daemon. Idempotent. */
    @Override
    public void close() {
        WebSocket ws;
        ArrayDeque<CompletableFuture<Message>> pending;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ws = webSocket;
            pending = new ArrayDeque<>(waiters);
            waiters.clear();
        }
        pending.forEach(f -> f.completeExceptionally(new IllegalStateException("endpoint " + uri() + " was closed")));
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                ws.abort();
            }
        }
        try {
            get("/unregister?" + name);
        } catch (ExternalEndpointException e) {
            System.getLogger(ExternalEndpoint.class.getName()).log(System.Logger.Level.DEBUG,
                    "could not unregister " + name + " at " + base + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ExternalEndpoint[" + (eid != null ? eid.uri() : name) + " at " + base + "]";
    }

    // ---- internals

    private synchronized boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (isClosed()) {
            throw new IllegalStateException("endpoint " + uri() + " was closed: connect again to use it");
        }
    }

    private EndpointId register() {
        HttpResponse<byte[]> response = get("/register?" + name);
        String body = text(response, "/register");
        String lower = body.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("registered")) {
            throw failure("GET /register?" + name, response, "the daemon did not register the endpoint");
        }
        String eidText = body.substring(body.lastIndexOf(' ') + 1).trim();
        try {
            return EndpointId.parse(eidText);
        } catch (InvalidEndpointIdException e) {
            throw new ExternalEndpointException("GET /register?" + name + " answered '" + abbreviate(body)
                    + "', which names no endpoint ID", 200, e);
        }
    }

    private Optional<Message> fetch() {
        HttpResponse<byte[]> response = get("/endpoint?" + name);
        byte[] body = response.body();
        if (response.statusCode() == 200 && NOTHING.equals(new String(body, StandardCharsets.ISO_8859_1).trim())) {
            return Optional.empty();
        }
        if (response.statusCode() == 404) {
            throw failure("GET /endpoint?" + name, response, "the daemon does not know this endpoint (was it "
                    + "restarted?): connect again to register it");
        }
        if (response.statusCode() != 200) {
            throw failure("GET /endpoint?" + name, response, "polling failed");
        }
        return Optional.of(decode(body, "GET /endpoint?" + name));
    }

    private Message decode(byte[] encoded, String what) {
        Bundle bundle;
        try {
            bundle = BundleCodec.decode(encoded, DecodeOptions.DEFAULT.withMaxBundleSize(encoded.length));
        } catch (RuntimeException e) { // hostile or broken input must end in a typed error
            throw new ExternalEndpointException(what + " returned " + encoded.length + " bytes that are not a valid "
                    + "bundle: " + e.getMessage(), 200, e);
        }
        return new Message(bundle.payload().toByteArray(), bundle.source().uri(), bundle.destination().uri(),
                bundle.primary(), bundle.id());
    }

    private void openWebSocket() {
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        URI wsUri = URI.create(scheme + "://" + base.getRawAuthority() + "/ws");
        Subscriber subscriber = new Subscriber();
        WebSocket ws;
        try {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(wsUri, subscriber)
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExternalEndpointException("interrupted while opening " + wsUri, -1, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ExternalEndpointException("cannot open the WebSocket " + wsUri + ": " + cause
                    + " (does the daemon serve /ws, and allow this host? dtnd needs -U for remote clients)", -1, cause);
        }
        synchronized (this) {
            webSocket = ws;
        }
        ws.sendText("/bundle", true).join();
        ws.sendText("/subscribe " + eid.uri(), true).join();
        String reply;
        try {
            reply = subscriber.subscribed.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExternalEndpointException("interrupted while subscribing to " + eid.uri(), -1, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ExternalEndpointException("the daemon did not confirm the subscription to " + eid.uri()
                    + " over " + wsUri + " in time", -1, e);
        }
        if (!reply.startsWith("200")) {
            throw new ExternalEndpointException("the daemon refused the subscription to " + eid.uri() + ": '" + reply
                    + "'", -1, null);
        }
    }

    private void deliver(Message message) {
        while (true) {
            CompletableFuture<Message> waiter;
            synchronized (this) {
                if (closed) {
                    return;
                }
                waiter = waiters.poll();
            }
            if (waiter == null) {
                try {
                    handler.accept(message);
                } catch (RuntimeException e) {
                    System.getLogger(ExternalEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                            "the callback of " + uri() + " threw for " + message, e);
                }
                return;
            }
            if (waiter.complete(message)) {
                return;
            }
        }
    }

    /** Receives the WebSocket's frames: text replies to our commands and binary bundles. */
    private final class Subscriber implements WebSocket.Listener {
        final CompletableFuture<String> subscribed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String reply = text.toString().trim();
                text.setLength(0);
                if (reply.contains("subscribed") || reply.startsWith("4") || reply.startsWith("5")) {
                    subscribed.complete(reply);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                byte[] encoded = binary.toByteArray();
                binary.reset();
                try {
                    deliver(decode(encoded, "the WebSocket"));
                } catch (ExternalEndpointException e) {
                    System.getLogger(ExternalEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                            e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            subscribed.complete("closed " + statusCode + " " + reason);
            failWaiters("the daemon closed the WebSocket (" + statusCode + " " + reason + ")");
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            subscribed.completeExceptionally(error);
            failWaiters("the WebSocket failed: " + error);
        }
    }

    private void failWaiters(String why) {
        ArrayDeque<CompletableFuture<Message>> pending;
        synchronized (this) {
            pending = new ArrayDeque<>(waiters);
            waiters.clear();
        }
        pending.forEach(f -> f.completeExceptionally(new ExternalEndpointException(why, -1, null)));
    }

    private HttpResponse<byte[]> get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT).GET().build();
        return exchange(request, "GET " + pathAndQuery);
    }

    private HttpResponse<byte[]> exchange(HttpRequest request, String what) {
        HttpResponse<byte[]> response;
        try {
            // a daemon that stops in the middle of an answer fails the call after REQUEST_TIMEOUT, not never
            response = BoundedHttp.send(http, request, Integer.MAX_VALUE, REQUEST_TIMEOUT);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ExternalEndpointException("cannot connect to the daemon at " + base + " (" + what + "): is it "
                    + "running and listening there?", -1, e);
        } catch (HttpTimeoutException e) {
            throw new ExternalEndpointException("the daemon at " + base + " did not answer " + what + " within "
                    + REQUEST_TIMEOUT.toSeconds() + " s (" + e.getMessage() + ")", -1, e);
        } catch (IOException e) {
            throw new ExternalEndpointException(what + " to " + base + " failed: " + e, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExternalEndpointException("interrupted during " + what, -1, e);
        }
        if (response.statusCode() == 403) {
            throw failure(what, response, "the daemon serves its local API to localhost only: start dtnd with -U "
                    + "(--unsafe-httpd) to allow remote clients");
        }
        return response;
    }

    private String text(HttpResponse<byte[]> response, String what) {
        if (response.statusCode() != 200) {
            throw failure("GET " + what, response, "unexpected answer");
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private ExternalEndpointException failure(String what, HttpResponse<byte[]> response, String hint) {
        String body = new String(response.body(), StandardCharsets.UTF_8).trim();
        return new ExternalEndpointException(what + " at " + base + " answered " + response.statusCode()
                + (body.isEmpty() ? "" : " '" + abbreviate(body) + "'") + ": " + hint, response.statusCode(), null);
    }

    private static CreationTimestamp nextTimestamp() {
        synchronized (CLOCK_LOCK) {
            long now = DtnTime.now();
            if (now > lastTime) {
                lastTime = now;
                sequence = 0;
            } else {
                sequence++;
            }
            return new CreationTimestamp(lastTime, sequence);
        }
    }

    static URI baseUri(String daemonUrl) {
        if (daemonUrl == null || daemonUrl.isBlank()) {
            throw new IllegalArgumentException("no daemon address given: write e.g. http://127.0.0.1:3000");
        }
        String text = daemonUrl.contains("://") ? daemonUrl : "http://" + daemonUrl;
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + daemonUrl + "' is not a URL: write e.g. http://127.0.0.1:3000", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + daemonUrl + "' is not an http(s) URL with a host: write e.g. "
                    + "http://127.0.0.1:3000");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return URI.create(uri.getScheme() + "://" + (uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                ? "[" + uri.getHost() + "]" : uri.getHost()) + ":" + port + "/");
    }

    static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("no endpoint name given: write a service name such as \"my-endpoint\" "
                    + "or a full endpoint ID such as dtn://global/~news");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "/_.~-:".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("'" + name + "' contains '" + c + "': endpoint names may use letters,"
                        + " digits and / _ . ~ - (and ':' in a full endpoint ID)");
            }
        }
        return name;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
