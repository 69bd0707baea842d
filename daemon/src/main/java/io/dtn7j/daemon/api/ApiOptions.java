package io.dtn7j.daemon.api;

/**
 * How the API server listens and whom it lets in.
 *
 * @param bindHost address to bind (127.0.0.1 unless given explicitly)
 * @param port TCP port, 0 for an ephemeral one
 * @param token bearer token every request (except peers' {@code /push}) must carry, or null for none
 * @param unsafeHttpd lift the loopback-only guard of the client routes (dtnd's {@code -U})
 * @param maxBodyBytes largest request body accepted ({@code /send}, {@code /push}, {@code /insert})
 */
public record ApiOptions(String bindHost, int port, String token, boolean unsafeHttpd, long maxBodyBytes) {
    /** Default body limit: 256 MiB. */
    public static final long DEFAULT_MAX_BODY = 256L << 20;

    /**
     * Fills in defaults: loopback for a blank host, no token for a blank one, {@link #DEFAULT_MAX_BODY} for a
     * non-positive limit.
     *
     * @throws IllegalArgumentException if the port is outside 0-65535
     */
    public ApiOptions {
        if (bindHost == null || bindHost.isBlank()) {
            bindHost = "127.0.0.1";
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("API port " + port + " is outside 0-65535");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (maxBodyBytes <= 0) {
            maxBodyBytes = DEFAULT_MAX_BODY;
        }
    }

    /**
     * Loopback on the given port, no token.
     *
     * @param port the TCP port, 0 for an ephemeral one
     * @return the options
     */
    public static ApiOptions loopback(int port) {
        return new ApiOptions("127.0.0.1", port, null, false, DEFAULT_MAX_BODY);
    }
}
