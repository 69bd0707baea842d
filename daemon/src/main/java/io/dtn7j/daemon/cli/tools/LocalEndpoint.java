package io.dtn7j.daemon.cli.tools;

import java.time.Duration;

/**
 * Registers a service name on the daemon and subscribes to it over the WebSocket, as dtn7-rs's dtnecho2,
 * dtnping and dtntrigger do.
 */
final class LocalEndpoint {

    private LocalEndpoint() {
    }

    /** The service name to use: {@code given}, else {@code dtnName} on a dtn node and {@code ipnNumber} on an ipn node. */
    static String serviceName(String nodeId, String given, String dtnName, String ipnNumber) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        return nodeId.startsWith("ipn:") ? ipnNumber : dtnName;
    }

    /** The full EID of a service name on the node ({@code dtn://n/echo}, {@code ipn:5.7}); a full EID stays as it is. */
    static String eid(String nodeId, String service) {
        if (service.startsWith("dtn:") || service.startsWith("ipn:")) {
            return service;
        }
        if (nodeId.startsWith("ipn:")) {
            int dot = nodeId.indexOf('.');
            return nodeId.substring(0, dot < 0 ? nodeId.length() : dot) + "." + service;
        }
        return (nodeId.endsWith("/") ? nodeId : nodeId + "/") + service;
    }

    /** {@code GET /register?<service>}; fails unless the daemon answers 200. */
    static String register(DtnApiClient client, String service) throws ApiException {
        return client.getText("/register?" + DtnApiClient.rawQuery(service)).strip();
    }

    /** Opens {@code /ws}, sets {@code mode} ("data" or "bundle") and subscribes to {@code service}. */
    static WsSession subscribe(DtnApiClient client, String mode, String service) throws ApiException {
        WsSession ws = client.openWebSocket();
        try {
            ws.command("/" + mode, "200 tx mode: " + mode, Duration.ofSeconds(10));
            ws.command("/subscribe " + service, "200 subscribed", Duration.ofSeconds(10));
            return ws;
        } catch (ApiException e) {
            ws.close();
            throw e;
        }
    }
}
