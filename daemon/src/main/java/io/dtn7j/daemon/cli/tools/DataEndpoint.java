package io.dtn7j.daemon.cli.tools;

import java.time.Duration;

/**
 * A service endpoint on the daemon that a tool sends from and receives on over the {@code /ws} WebSocket in data
 * mode, as dtn7-rs's dtnping and dtnecho2 do: {@code ping} and {@code echo} share it. Opening it registers the
 * service, switches the session to data mode and subscribes; {@link #receive(Duration)} hands over the delivered
 * bundles and deals with everything else the daemon sends on the way.
 */
final class DataEndpoint implements AutoCloseable {

    private final WsSession ws;
    private final String eid;
    private final ToolIo io;
    private final boolean verbose;

    private DataEndpoint(WsSession ws, String eid, ToolIo io, boolean verbose) {
        this.ws = ws;
        this.eid = eid;
        this.io = io;
        this.verbose = verbose;
    }

    /**
     * Registers the service and subscribes to it in data mode.
     *
     * @param client the daemon's API
     * @param given the service name or EID the user gave, or null for the default
     * @param dtnName the default service name on a {@code dtn} node
     * @param ipnNumber the default service number on an {@code ipn} node
     * @param io where to report the daemon's replies
     * @param verbose whether to print the daemon's acknowledgements too
     * @return the subscribed endpoint
     * @throws ApiException if the daemon cannot be reached or refuses the registration or the subscription
     */
    static DataEndpoint open(DtnApiClient client, String given, String dtnName, String ipnNumber, ToolIo io,
                             boolean verbose) throws ApiException {
        String nodeId = client.nodeId();
        String service = LocalEndpoint.serviceName(nodeId, given, dtnName, ipnNumber);
        LocalEndpoint.register(client, service);
        return new DataEndpoint(LocalEndpoint.subscribe(client, "data", service), LocalEndpoint.eid(nodeId, service),
                io, verbose);
    }

    /** {@return the endpoint's full EID, e.g. {@code dtn://node1/ping} or {@code ipn:5.7007}} */
    String eid() {
        return eid;
    }

    /**
     * Sends a bundle (no delivery notification).
     *
     * @param src the source EID, normally {@link #eid()}
     * @param dst the destination EID
     * @param lifetime the bundle's lifetime
     * @param data the payload
     * @throws ApiException if the WebSocket fails
     */
    void send(String src, String dst, Duration lifetime, byte[] data) throws ApiException {
        ws.sendBinary(new WsData.Send(src, dst, false, lifetime.toMillis(), data).encode());
    }

    /**
     * The next bundle delivered to the endpoint. The daemon's text replies on the way are reported on standard
     * error (a refusal always, an acknowledgement with verbose output); a binary frame that is no {@code WsRecvData}
     * is reported and skipped.
     *
     * @param timeout how long to wait at most
     * @return the bundle, or null if none arrived in time
     * @throws ApiException if the daemon closed the WebSocket
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    WsData.Recv receive(Duration timeout) throws ApiException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            WsSession.Message m = left <= 0 ? null : ws.next(Duration.ofNanos(left));
            switch (m) {
                case null -> {
                    return null;
                }
                case WsSession.Text t -> {
                    if (!t.text().startsWith("200")) {
                        io.err().println("[!] " + t.text());
                    } else if (verbose) {
                        io.err().println("[<] " + t.text());
                    }
                }
                case WsSession.Binary b -> {
                    try {
                        return WsData.decodeRecv(b.data());
                    } catch (ApiException e) {
                        io.err().println("[!] " + e.getMessage());
                    }
                }
                case WsSession.Closed c -> throw ApiException.failure(
                        "the daemon closed the WebSocket (" + c.code() + " " + c.reason() + ")", null);
            }
        }
    }

    /** Closes the WebSocket (the registration stays, as with dtn7-rs's tools). */
    @Override
    public void close() {
        ws.close();
    }
}
