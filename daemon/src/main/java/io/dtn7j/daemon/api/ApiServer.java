package io.dtn7j.daemon.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The daemon's HTTP server: dtn7-rs's REST routes, {@code /ws}, the web pages and {@code /metrics} on
 * one listener (Jetty 12, handlers on virtual threads). Binds to 127.0.0.1 unless told otherwise.
 */
public final class ApiServer implements AutoCloseable {
    /** Largest WebSocket message, as dtnd: 128 MiB. */
    static final long MAX_WS_MESSAGE = 128L << 20;

    private final Server server;
    private final ServerConnector connector;
    private final WsHub hub = new WsHub();
    private final ApiOptions options;
    private final RequestHeadDeadline heads;

    /**
     * A server for the API of {@code node}; {@link #start()} binds it.
     *
     * @param node the node the requests act on
     * @param options where to listen and whom to let in
     */
    public ApiServer(NodeService node, ApiOptions options) {
        this(node, options, java.util.Map.of());
    }

    /**
     * A server for the API of {@code node} with extra WebSocket routes ({@code /ws/ecla}, {@code /ws/erouting}), each
     * subject to the same token and loopback rules as {@code /ws}; {@link #start()} binds it.
     *
     * @param node the node the requests act on
     * @param options where to listen and whom to let in
     * @param webSockets path → a factory of a listener for each new connection
     */
    public ApiServer(NodeService node, ApiOptions options,
                     java.util.Map<String, java.util.function.Supplier<org.eclipse.jetty.websocket.api.Session.Listener>> webSockets) {
        this.options = options;
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("api");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        connector = new ServerConnector(server);
        connector.setHost(options.bindHost());
        connector.setPort(options.port());
        connector.setReuseAddress(true);
        server.addConnector(connector);
        // Jetty's idle timeout restarts with every byte: a request head must arrive whole within a limit of its own,
        // and the connections the API holds are bounded, so that clients holding many cannot take the file
        // descriptors the convergence layers need
        heads = new RequestHeadDeadline(options.requestHeadLimit(), server.getScheduler());
        connector.addEventListener(heads);
        server.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));
        ApiHandler api = new ApiHandler(node, options, hub, webSockets.keySet());
        api.metrics().addApiSource(heads::metrics);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(MAX_WS_MESSAGE);
            container.setMaxTextMessageSize(1 << 20);
            container.setMaxFrameSize(MAX_WS_MESSAGE);
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping("/ws", (rq, rs, cb) -> new WsSession(node, hub));
            webSockets.forEach((path, factory) -> container.addMapping(path, (rq, rs, cb) -> factory.get()));
        });
        // The upgrade is subject to the same token and loopback rules as the other client routes. Every request is
        // reported to the request-head deadline when it starts and when it ends, whichever way it ends.
        Handler.Wrapper guard = new Handler.Wrapper(ws) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                org.eclipse.jetty.io.Connection connection = request.getConnectionMetaData().getConnection();
                heads.requestStarted(connection);
                Callback ended = new Callback() {
                    @Override
                    public void succeeded() {
                        heads.requestEnded(connection);
                        callback.succeeded();
                    }

                    @Override
                    public void failed(Throwable cause) {
                        heads.requestEnded(connection);
                        callback.failed(cause);
                    }

                    @Override
                    public InvocationType getInvocationType() {
                        return callback.getInvocationType();
                    }
                };
                boolean handled = false;
                try {
                    String path = Request.getPathInContext(request);
                    if (path.equals("/ws") || webSockets.containsKey(path)) {
                        int access = ApiHandler.accessStatus(request, options, path);
                        if (access != 200) {
                            handled = ApiHandler.reply(response, ended, access, ApiHandler.TEXT,
                                    access == 401 ? "missing or wrong bearer token" : "");
                            return handled;
                        }
                    }
                    handled = super.handle(request, response, ended);
                    return handled;
                } finally {
                    if (!handled) { // Jetty answers it (404, 500) with a callback of its own
                        heads.requestEnded(connection);
                    }
                }
            }
        };
        ws.setHandler(api);
        server.setHandler(guard);
        server.setStopTimeout(0);
    }

    /**
     * Binds and starts serving.
     *
     * @return this server
     * @throws Exception if the port cannot be bound or the server fails to start
     */
    public ApiServer start() throws Exception {
        server.start();
        heads.start();
        return this;
    }

    /** {@return the bound port} */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@return the bound address} */
    public String host() {
        return options.bindHost();
    }

    /** {@return open WebSocket sessions} */
    public int webSocketSessions() {
        return hub.sessionCount();
    }

    @Override
    public void close() {
        hub.closeAll();
        heads.stop();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the API server", e);
        }
    }
}
