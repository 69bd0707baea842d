package io.dtn7j.core.cla.rest;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceiveBuffer;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.cla.http.HttpPushConvergenceLayer;
import io.dtn7j.core.http.BoundedHttp;
import io.dtn7j.core.http.ResponseTooLargeException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code dtn7rs-rest}: uses a remote dtn7-rs (or dtn7j) daemon's REST API as a link to the network, as
 * dtn7zero's {@code Dtn7RsRestCLA} does. Parameters: {@code url} (the remote daemon, e.g.
 * {@code http://10.0.0.1:3000}; without it the CLA only sends), {@code poll-interval-ms} (default 2000),
 * {@code register} ({@code true}: register this node's ID at the remote with {@code GET /register?<eid>}),
 * {@code fetch} ({@code own}, the default: only bundles addressed to this node; {@code all}: every bundle the
 * remote lists, for a node that relays epidemically through the remote, as dtn7zero's epidemic router does).
 *
 * <p>Calls: {@code GET /status/nodeid} (reachability, the remote's node ID); the list of candidate IDs, which is
 * {@code GET /status/bundles/filtered?addr=<this node>} with {@code fetch=own} (IDs whose source or destination
 * contains this node's ID, e.g. {@code dtn://me/} or {@code ipn:5.}; a remote without that route, answering 404,
 * gets {@code GET /status/bundles}) and {@code GET /status/bundles} with {@code fetch=all}; then
 * {@code GET /download?<id>} (raw CBOR; body {@code Bundle not found} = gone) for every candidate this node has
 * neither fetched nor holds. With {@code fetch=own}, candidates whose ID names this node as source are not
 * downloaded, and a downloaded bundle whose destination is not on this node is dropped instead of being handed
 * to the agent. Sending is {@code POST /push}, 200 = success.
 */
public final class Dtn7RsRestConvergenceLayer implements ConvergenceLayer {

    /** dtn7-rs's default web port. */
    public static final int DEFAULT_PORT = 3000;

    private static final System.Logger LOG = System.getLogger(Dtn7RsRestConvergenceLayer.class.getName());
    private static final int SEEN_LIMIT = 100_000;
    /** The longest list of bundle IDs read (about a million IDs); a longer one fails that poll with a clear error. */
    static final int MAX_LIST = 64 << 20;
    /** The longest answer read for the node ID or a registration. */
    static final int MAX_ANSWER = 64 * 1024;

    private final ClaOptions options;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final URI remote;
    private final Duration pollInterval;
    private final boolean register;
    private final boolean fetchAll;
    private volatile boolean filteredRouteMissing;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_LIMIT;
        }
    });
    private volatile ClaContext context;
    private volatile ClaPeer remotePeer;

    /**
     * A CLA pushing bundles to dtn7-rs REST peers; nothing runs until it is started.
     *
     * @param options the options; see the class description for its parameters
     */
    public Dtn7RsRestConvergenceLayer(ClaOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).executor(executor)
                .version(HttpClient.Version.HTTP_1_1).build();
        String url = options.parameter("url", "");
        this.remote = url.isEmpty() ? null : URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.pollInterval = Duration.ofMillis(Long.parseLong(options.parameter("poll-interval-ms", "2000")));
        this.register = Boolean.parseBoolean(options.parameter("register", "true"));
        String fetch = options.parameter("fetch", "own");
        if (!fetch.equals("own") && !fetch.equals("all")) {
            throw new IllegalArgumentException("dtn7rs-rest: fetch must be 'own' or 'all', got '" + fetch + "'");
        }
        this.fetchAll = fetch.equals("all");
    }

    @Override
    public String name() {
        return "dtn7rs-rest";
    }

    @Override
    public void start(ClaContext ctx) {
        context = ctx;
        if (remote != null) {
            Thread.ofVirtual().name("dtn7rs-rest-poll").start(this::pollLoop);
        }
    }

    @Override
    public int port() {
        return 0;
    }

    @Override
    public long maxBundleSize() {
        return options.maxBundleSize();
    }

    /** {@return the remote daemon as a peer, once it answered; null before} */
    public ClaPeer remotePeer() {
        return remotePeer;
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        String host = to.host().indexOf(':') >= 0 ? "[" + to.host() + "]" : to.host();
        HttpPushConvergenceLayer.post(client, URI.create("http://" + host + ":" + to.portOr(DEFAULT_PORT) + "/push"),
                bundle, options);
    }

    private void pollLoop() {
        try {
            while (stop.getCount() > 0) {
                try {
                    pollOnce();
                } catch (IOException e) {
                    if (remotePeer != null) {
                        LOG.log(Level.INFO, "dtn7rs-rest: remote {0} unreachable: {1}", remote, e.getMessage());
                        context.linkDown(remotePeer);
                        remotePeer = null;
                    } else {
                        LOG.log(Level.DEBUG, "dtn7rs-rest: remote {0} not reachable yet: {1}", remote, e.toString());
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "dtn7rs-rest: polling " + remote + " failed", e);
                }
                if (stop.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round: connect if needed, list the remote's bundles, fetch the new ones. */
    void pollOnce() throws IOException, InterruptedException {
        if (remotePeer == null) {
            String nodeId = get("/status/nodeid", MAX_ANSWER).trim();
            EndpointId eid = null;
            try {
                eid = EndpointId.parse(nodeId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dtn7rs-rest: remote {0} sent an invalid node ID ''{1}''", remote, nodeId);
            }
            remotePeer = new ClaPeer(new ClaAddress(name(), remote.getHost(), remote.getPort() < 0 ? 80 : remote.getPort()),
                    eid);
            if (register) {
                try {
                    get("/register?" + context.nodeId().uri(), MAX_ANSWER);
                } catch (IOException e) {
                    LOG.log(Level.INFO, "dtn7rs-rest: cannot register {0} at {1}: {2}", context.nodeId(), remote,
                            e.getMessage());
                }
            }
            context.linkUp(remotePeer);
        }
        for (String id : candidates()) {
            if (stop.getCount() == 0) {
                return;
            }
            synchronized (seen) {
                if (seen.contains(id)) {
                    continue;
                }
            }
            if (alreadyHeld(id) || (!fetchAll && sentByThisNode(id))) {
                markSeen(id);
                continue;
            }
            fetch(id);
        }
    }

    /** The IDs worth looking at: all the remote lists, or those its filter relates to this node. */
    private List<String> candidates() throws IOException, InterruptedException {
        if (fetchAll || filteredRouteMissing) {
            return parseIdList(get("/status/bundles", MAX_LIST));
        }
        String filter = nodeFilter(context.nodeId());
        HttpRequest request = HttpRequest.newBuilder(URI.create(remote + "/status/bundles/filtered?addr="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8))).timeout(options.frameTimeout()).GET().build();
        HttpResponse<byte[]> response = BoundedHttp.send(client, request, MAX_LIST, options.frameTimeout());
        if (response.statusCode() == 404) {
            LOG.log(Level.INFO, "dtn7rs-rest: {0} has no /status/bundles/filtered; listing all bundles and "
                    + "dropping those not for {1} after download", remote, context.nodeId());
            filteredRouteMissing = true;
            return parseIdList(get("/status/bundles", MAX_LIST));
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("GET /status/bundles/filtered answered " + response.statusCode());
        }
        return parseIdList(new String(response.body(), StandardCharsets.UTF_8));
    }

    /**
     * The text dtnd's {@code addr} filter (a substring of a bundle's source or destination EID) must contain to
     * select exactly this node's endpoints: {@code dtn://me/} (the slash keeps {@code dtn://me2/} out) or
     * {@code ipn:5.} ({@code ipn:15.1} does not contain it).
     */
    static String nodeFilter(EndpointId nodeId) {
        return nodeId.schemeCode() == EndpointId.SCHEME_IPN ? "ipn:" + nodeId.nodeName() + "."
                : "dtn://" + nodeId.nodeName() + "/";
    }

    private static boolean sameNode(EndpointId a, EndpointId b) {
        return a.schemeCode() == b.schemeCode() && a.nodeName().equals(b.nodeName());
    }

    private boolean sentByThisNode(String id) {
        try {
            return sameNode(BundleId.parse(id).source(), context.nodeId());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean forThisNode(ReceiveBuffer buffer, String id) {
        try {
            Bundle b = BundleCodec.decode(buffer.toByteSource(), DecodeOptions.PARSE_ONLY);
            return sameNode(b.destination(), context.nodeId());
        } catch (IOException | RuntimeException e) {
            return true; // undecodable: let the agent reject it with the real reason
        }
    }

    private boolean alreadyHeld(String id) {
        try {
            return context.hasBundle(BundleId.parse(id));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void markSeen(String id) {
        synchronized (seen) {
            seen.add(id);
        }
    }

    private void fetch(String id) throws IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(remote + "/download?" + id);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "dtn7rs-rest: {0} listed a bundle ID that cannot be asked for: {1}", remote,
                    e.getMessage());
            markSeen(id);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(options.frameTimeout()).GET().build();
        try (ReceiveBuffer buffer = new ReceiveBuffer(context.spoolDirectory(), options.spoolThreshold())) {
            HttpResponse<Void> response;
            try {
                response = BoundedHttp.stream(client, request, options.maxBundleSize(), options.frameTimeout(),
                        buffer::append);
            } catch (ResponseTooLargeException e) {
                LOG.log(Level.WARNING, "dtn7rs-rest: bundle {0} at {1} exceeds the maximum bundle size; skipped", id,
                        remote);
                markSeen(id);
                return;
            } catch (HttpTimeoutException e) {
                // not marked seen: the next poll asks again
                LOG.log(Level.INFO, "dtn7rs-rest: downloading {0} from {1} stalled: {2}", id, remote, e.getMessage());
                return;
            }
            int status = response.statusCode();
            if (status != 404 && status / 100 != 2) {
                // a transient error (503, 500, a proxy's 502...): not marked seen, the next poll asks again
                LOG.log(Level.INFO, "dtn7rs-rest: downloading {0} from {1} answered {2}; retrying at the next poll",
                        id, remote, status);
                return;
            }
            markSeen(id);
            byte[] head = buffer.head(32);
            String text = new String(head, StandardCharsets.UTF_8);
            if (buffer.size() == 0 || text.equals("Bundle not found") || status == 404) {
                return; // deleted at the remote between listing and download
            }
            if (!fetchAll && !forThisNode(buffer, id)) {
                LOG.log(Level.DEBUG, "dtn7rs-rest: bundle {0} at {1} is not for {2}; dropped", id, remote,
                        context.nodeId());
                return;
            }
            ReceptionResult result = context.bundleReceived(buffer.toByteSource(), remotePeer);
            if (result instanceof ReceptionResult.Rejected rej) {
                LOG.log(Level.INFO, "dtn7rs-rest: bundle {0} from {1} rejected: {2}", id, remote, rej.reason());
            }
        }
    }

    private String get(String pathAndQuery, int maxBody) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(remote + pathAndQuery))
                .timeout(options.frameTimeout()).GET().build();
        HttpResponse<byte[]> response = BoundedHttp.send(client, request, maxBody, options.frameTimeout());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("GET " + pathAndQuery + " answered " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** The strings of a JSON array of strings (the only shape {@code /status/bundles} returns). */
    static List<String> parseIdList(String json) throws IOException {
        String t = json.trim();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new IOException("/status/bundles did not return a JSON array");
        }
        // A hand-written scan: the former regex recursed once per character and threw StackOverflowError
        // (which killed the poll thread) on a string of a few thousand characters.
        List<String> ids = new ArrayList<>();
        int i = 0;
        int n = t.length();
        while (i < n) {
            int open = t.indexOf('"', i);
            if (open < 0) {
                break;
            }
            StringBuilder sb = new StringBuilder();
            int j = open + 1;
            boolean closedString = false;
            while (j < n) {
                char c = t.charAt(j);
                if (c == '"') {
                    closedString = true;
                    break;
                }
                if (c == '\\' && j + 1 < n) {
                    char e = t.charAt(j + 1);
                    if (e == '/' || e == '"' || e == '\\') {
                        sb.append(e);
                    } else {
                        sb.append(c).append(e);
                    }
                    j += 2;
                    continue;
                }
                sb.append(c);
                j++;
            }
            if (!closedString) {
                break;
            }
            ids.add(sb.toString());
            i = j + 1;
        }
        return ids;
    }

    @Override
    public void close() {
        stop.countDown();
        client.shutdownNow();
        executor.shutdownNow();
    }
}
