package io.dtn7j.daemon.cli.tools;

import io.dtn7j.core.http.BoundedHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A small client for the dtn7-rs-compatible HTTP API of a daemon ({@code dtn7-compat.md} §4): GET routes with raw
 * or named query parameters, POST of bundle bytes, streamed downloads, and the {@code /ws} WebSocket.
 */
public final class DtnApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest a daemon may stop sending in the middle of an answer before the command gives up. */
    private static final Duration DEFAULT_STALL = Duration.ofSeconds(60);

    /** An HTTP exchange. */
    @FunctionalInterface
    private interface Exchange<T> {
        HttpResponse<T> run() throws IOException, InterruptedException;
    }

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration stall;

    /**
     * A client for the daemon at {@code base} ({@code http://host:port}); {@code token} may be null.
     *
     * @param base the daemon's address
     * @param token the bearer token sent with every request, or null
     */
    public DtnApiClient(URI base, String token) {
        this(base, token, DEFAULT_STALL);
    }

    /** As above, giving up on an answer that brings no byte for {@code stall} (for tests). */
    DtnApiClient(URI base, String token, Duration stall) {
        this.base = base;
        this.token = token;
        this.stall = stall;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** {@return the daemon's base URI} */
    public URI base() {
        return base;
    }

    /**
     * A response: status and body.
     *
     * @param status the HTTP status
     * @param body the response body
     */
    public record Response(int status, byte[] body) {
        /** {@return the body as UTF-8 text} */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Appends a raw query (dtn7-rs reads the undecoded text after {@code ?}): characters that are legal in a URI
     * query stay as they are, anything else is percent-encoded.
     */
    static String rawQuery(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:/?@!$&'()*+,;=".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Form-encodes one named query parameter value. */
    static String param(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofMinutes(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Sends {@code req} and reads the whole answer, failing if the daemon stops sending for {@code stall}. */
    private HttpResponse<byte[]> send(HttpRequest req) throws ApiException {
        return call(req, () -> BoundedHttp.send(http, req, Integer.MAX_VALUE, stall));
    }

    /** One exchange whose failures become {@link ApiException}s that say what to do. */
    private <T> HttpResponse<T> call(HttpRequest req, Exchange<T> exchange) throws ApiException {
        try {
            return exchange.run();
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw ApiException.unreachable(base.toString(), e);
        } catch (HttpTimeoutException e) {
            throw ApiException.failure("the daemon did not answer " + req.method() + " " + req.uri().getRawPath()
                    + " in time (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException ce) {
                throw ApiException.unreachable(base.toString(), ce);
            }
            throw ApiException.failure("talking to the daemon at " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.failure("interrupted", e);
        }
    }

    /**
     * GET {@code pathAndQuery}; any status is returned.
     *
     * @param pathAndQuery the request path with its query, e.g. {@code /status/nodeid}
     * @return the response
     * @throws ApiException if the daemon cannot be reached or the request fails
     */
    public Response get(String pathAndQuery) throws ApiException {
        HttpResponse<byte[]> r = send(request(pathAndQuery).GET().build());
        return new Response(r.statusCode(), r.body());
    }

    /**
     * GET that must answer 200; returns the body text.
     *
     * @param pathAndQuery the request path with its query
     * @return the response body as text
     * @throws ApiException if the daemon cannot be reached or answers another status
     */
    public String getText(String pathAndQuery) throws ApiException {
        Response r = get(pathAndQuery);
        if (r.status() != 200) {
            throw ApiException.rejected("GET " + pathAndQuery, r.status(), r.text());
        }
        return r.text();
    }

    /**
     * {@code GET /status/nodeid}: the daemon's node ID.
     *
     * @return the node ID
     * @throws ApiException if the daemon cannot be reached or rejects the request
     */
    public String nodeId() throws ApiException {
        String id = getText("/status/nodeid").strip();
        if (id.isEmpty()) {
            throw ApiException.failure("the daemon returned an empty node ID", null);
        }
        return id;
    }

    /**
     * {@code GET /cts}: a fresh creation timestamp {@code [dtn time ms, sequence]} from the daemon.
     *
     * @return the timestamp as {@code [dtn time ms, sequence]}
     * @throws ApiException if the daemon cannot be reached or the reply is malformed
     */
    public long[] creationTimestamp() throws ApiException {
        String body = getText("/cts").strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]$").matcher(body);
        if (!m.matches()) {
            throw ApiException.failure("GET /cts returned \"" + body + "\", expected [dtntime, seq]", null);
        }
        try {
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        } catch (NumberFormatException e) {
            throw ApiException.failure("GET /cts returned out-of-range numbers: " + body, e);
        }
    }

    /**
     * POST a body of known length, streamed from {@code body}; returns status and reply.
     *
     *
     * @param body supplies the body stream (may be called more than once on redirects/retries)
     * @param pathAndQuery the request path with its query
     * @param length the body's length in bytes
     * @return the response
     * @throws ApiException if the daemon cannot be reached or the body cannot be sent
     */
    public Response post(String pathAndQuery, long length, Supplier<InputStream> body) throws ApiException {
        HttpRequest.BodyPublisher pub = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
        HttpRequest req = request(pathAndQuery).header("Content-Type", "application/octet-stream").POST(pub).build();
        HttpResponse<byte[]> r = send(req);
        return new Response(r.statusCode(), r.body());
    }

    /**
     * GET streamed into {@code out}; returns the status (the body is copied only on 200, else returned as text
     * in
     * the exception-free result). {@code progress} is told the content length (or -1) and each chunk.
     *
     * @param pathAndQuery the request path with its query
     * @param out receives the body on status 200
     * @param progress told about the transfer
     * @return the response; its body is empty on 200 (copied to {@code out}), else the error text
     * @throws ApiException if the daemon cannot be reached or writing {@code out} fails
     */
    public Response download(String pathAndQuery, OutputStream out, Progress progress) throws ApiException {
        HttpRequest req = request(pathAndQuery).GET().build();
        ByteArrayOutputStream error = new ByteArrayOutputStream();
        HttpResponse<Void> r;
        try {
            r = call(req, () -> BoundedHttp.streamBy(http, req, Long.MAX_VALUE, stall,
                    info -> info.statusCode() == 200 ? toFile(info, out, progress) : firstBytes(error, 64 * 1024)));
        } catch (UncheckedIOException e) {
            throw ApiException.failure("downloading " + pathAndQuery + " failed: " + e.getCause().getMessage(), e);
        }
        if (r.statusCode() != 200) {
            return new Response(r.statusCode(), error.toByteArray());
        }
        progress.finish();
        return new Response(200, new byte[0]);
    }

    /** The body of a 200 to {@code out}; a failure to write there is this side's, so it is told apart (unchecked). */
    private static BoundedHttp.BodySink toFile(HttpResponse.ResponseInfo info, OutputStream out, Progress progress) {
        progress.start(info.headers().firstValueAsLong("Content-Length").orElse(-1));
        return (b, off, n) -> {
            try {
                out.write(b, off, n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress.advance(n);
        };
    }

    /** Keeps the first {@code max} bytes of an error answer, drops the rest. */
    private static BoundedHttp.BodySink firstBytes(ByteArrayOutputStream kept, int max) {
        return (b, off, n) -> kept.write(b, off, Math.max(0, Math.min(n, max - kept.size())));
    }

    /**
     * Opens the application-agent WebSocket {@code /ws}.
     *
     * @return the open session
     * @throws ApiException if the WebSocket cannot be opened
     */
    public WsSession openWebSocket() throws ApiException {
        URI ws = URI.create("ws://" + base.getRawAuthority() + "/ws");
        return WsSession.open(ws, token, base.toString());
    }
}
