package io.dtn7j.daemon.cli.tools;

import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Where the daemon's HTTP/WebSocket API is: options shared by every client tool, named as in dtn7-rs's tools.
 */
public final class ApiOptions {

    /** dtn7-rs's default web port. */
    public static final int DEFAULT_PORT = 3000;
    /** Environment variable that overrides {@code -p}, as in dtn7-rs's tools. */
    public static final String PORT_ENV = "DTN_WEB_PORT";
    /** Environment variable with a bearer token for daemons that require one. */
    public static final String TOKEN_ENV = "DTN7J_API_TOKEN";

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Local web port of the daemon (default: ${DEFAULT-VALUE}). The environment variable "
                    + "DTN_WEB_PORT, when set, takes precedence, as in dtn7-rs's tools.", defaultValue = "3000")
    int port = DEFAULT_PORT;

    @Option(names = {"-6", "--ipv6"}, description = "Connect to [::1] instead of 127.0.0.1.")
    boolean ipv6;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Connect to this host instead of the local one (a name or an IP address; the daemon must "
                    + "allow non-local clients).")
    String host;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token for a daemon started with an API token (default: $DTN7J_API_TOKEN).")
    String token;

    /** Creates the options with their defaults; picocli sets those given on the command line. */
    public ApiOptions() {
    }

    /** The effective port: DTN_WEB_PORT if set, else {@code -p}. */
    int effectivePort(ToolIo io) throws ApiException {
        String env = io.env().get(PORT_ENV);
        if (env == null || env.isBlank()) {
            return port;
        }
        try {
            int p = Integer.parseInt(env.strip());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw ApiException.failure(PORT_ENV + "=\"" + env + "\" is not a port number (1..65535)", null);
        }
    }

    /** {@code http://127.0.0.1:3000} or the like, without trailing slash. */
    URI baseUri(ToolIo io) throws ApiException {
        String h = host != null ? host : (ipv6 ? "::1" : "127.0.0.1");
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        try {
            return URI.create("http://" + h + ":" + effectivePort(io));
        } catch (IllegalArgumentException e) {
            throw ApiException.failure("invalid host \"" + host + "\": " + e.getMessage(), e);
        }
    }

    /** The bearer token from {@code --token} or the environment, or null. */
    String effectiveToken(ToolIo io) {
        if (token != null && !token.isBlank()) {
            return token;
        }
        String env = io.env().get(TOKEN_ENV);
        return env == null || env.isBlank() ? null : env;
    }

    /** A client for the configured daemon. */
    DtnApiClient client(ToolIo io) throws ApiException {
        return new DtnApiClient(baseUri(io), effectiveToken(io));
    }
}
