package io.dtn7j.core.cla.http;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.cla.TransmissionException.Reason;
import io.dtn7j.core.http.BoundedHttp;
import io.dtn7j.core.http.ResponseTooLargeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code http}: the dtn7-rs HTTP convergence layer. Sends each bundle as {@code POST http://host:port/push}
 * ({@code application/octet-stream}); a 2xx answer is success. The receiving side is the daemon's HTTP API
 * ({@code /push}), so this CLA listens on nothing itself; {@link #port()} is the configured port (the daemon's
 * web port) so discovery can advertise it. Standard port {@value #DEFAULT_PORT}.
 */
public final class HttpPushConvergenceLayer implements ConvergenceLayer {

    /** dtn7-rs's default web port. */
    public static final int DEFAULT_PORT = 3000;
    /** The longest answer to a push read (dtn7-rs answers a line such as {@code Received 123 bytes}). */
    static final int MAX_ANSWER = 64 * 1024;

    private final ClaOptions options;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    /**
     * A CLA pushing bundles to peers' {@code /push} endpoints; nothing runs until it is started.
     *
     * @param options the options; {@link ClaOptions#port()} is the advertised (daemon web) port
     */
    public HttpPushConvergenceLayer(ClaOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).executor(executor)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start(ClaContext context) {
        // nothing to listen on: the daemon serves /push
    }

    @Override
    public int port() {
        return Math.max(0, options.port());
    }

    @Override
    public long maxBundleSize() {
        return options.maxBundleSize();
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        String host = to.host().indexOf(':') >= 0 ? "[" + to.host() + "]" : to.host();
        URI uri = URI.create("http://" + host + ":" + to.portOr(DEFAULT_PORT) + "/push");
        post(client, uri, bundle, options);
    }

    /**
     * POSTs the bundle to {@code uri}; shared with the dtn7rs-rest CLA.
     *
     * @param client the HTTP client to send with
     * @param uri the peer's {@code /push} URL
     * @param bundle the bundle
     * @param options the settings (connect timeout, size limit)
     * @throws TransmissionException if the peer cannot be reached or answers with an error status
     */
    public static void post(HttpClient client, URI uri, OutgoingBundle bundle, ClaOptions options)
            throws TransmissionException {
        long size = bundle.encoded().size();
        Duration timeout = options.frameTimeout().plusSeconds(size / (1 << 20));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return bundle.encoded().openStream();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), size))
                .build();
        HttpResponse<byte[]> response;
        try {
            // the answer is a line of text: a peer sending more, or stalling in the middle, does not hold the sender
            response = BoundedHttp.send(client, request, MAX_ANSWER, options.frameTimeout());
        } catch (HttpTimeoutException e) {
            // no answer within the request's timeout, or an answer that stopped for frameTimeout: the cause says which
            throw new TransmissionException(Reason.TIMEOUT, "POST " + uri + " timed out (" + timeout.toMillis()
                    + " ms for the answer to start, " + options.frameTimeout().toMillis() + " ms without data inside it): "
                    + e.getMessage(), e);
        } catch (ConnectException e) {
            throw new TransmissionException(Reason.CONNECT_FAILED, "cannot connect to " + uri + ": " + e, e);
        } catch (ResponseTooLargeException e) {
            throw new TransmissionException(Reason.PROTOCOL_ERROR, e.getMessage(), e);
        } catch (IOException e) {
            throw new TransmissionException(Reason.PEER_CLOSED, "POST " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransmissionException(Reason.PEER_CLOSED, "interrupted while posting to " + uri, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new TransmissionException(status == 413 ? Reason.TOO_LARGE : Reason.PROTOCOL_ERROR,
                    "POST " + uri + " answered " + status + ": " + body.substring(0, Math.min(200, body.length())));
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
