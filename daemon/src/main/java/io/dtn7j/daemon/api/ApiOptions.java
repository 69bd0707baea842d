package io.dtn7j.daemon.api;

/**
 * How the API server listens and whom it lets in.
 *
 * @param bindHost address to bind (127.0.0.1 unless given explicitly)
 * @param port TCP port, 0 for an ephemeral one
 * @param token bearer token every request (except peers' {@code /push}) must carry, or null for none
 * @param unsafeHttpd lift the loopback-only guard of the client routes (dtnd's {@code -U})
 * @param maxBodyBytes largest request body accepted ({@code /send}, {@code /push}, {@code /insert})
 * @param bodyGrace how long a request body may take on top of its size at the convergence layers' minimum rate
 *     ({@link io.dtn7j.core.cla.TimedInput#MIN_RATE}); a client sending slower gets 408 (30 s unless given)
 * @param requestHeadLimit how long a request's head (request line and headers) may take from its first byte before
 *     the connection is closed (30 s unless given)
 * @param maxConnections most connections the API holds at once; further ones wait in the listen backlog until one
 *     closes (1,024 unless given)
 * @param bodyBudget bytes of request bodies the API holds in heap at once, over all requests; a body that does not
 *     fit what is left gets 503 (unless given: a quarter of the heap, and at least {@code maxBodyBytes})
 */
public record ApiOptions(String bindHost, int port, String token, boolean unsafeHttpd, long maxBodyBytes,
                         java.time.Duration bodyGrace, java.time.Duration requestHeadLimit, int maxConnections,
                         long bodyBudget) {
    /** Default body limit: 256 MiB. */
    public static final long DEFAULT_MAX_BODY = 256L << 20;
    /** Default {@link #bodyGrace()}: 30 s, the convergence layers' default frame timeout. */
    public static final java.time.Duration DEFAULT_BODY_GRACE = java.time.Duration.ofSeconds(30);
    /** Default {@link #requestHeadLimit()}: 30 s. */
    public static final java.time.Duration DEFAULT_REQUEST_HEAD_LIMIT = java.time.Duration.ofSeconds(30);
    /** Default {@link #maxConnections()}: 1,024. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    /**
     * Options with the default {@link #bodyGrace()}, {@link #requestHeadLimit()} and {@link #maxConnections()}.
     *
     * @param bindHost address to bind (127.0.0.1 unless given explicitly)
     * @param port TCP port, 0 for an ephemeral one
     * @param token bearer token, or null for none
     * @param unsafeHttpd lift the loopback-only guard of the client routes
     * @param maxBodyBytes largest request body accepted
     */
    public ApiOptions(String bindHost, int port, String token, boolean unsafeHttpd, long maxBodyBytes) {
        this(bindHost, port, token, unsafeHttpd, maxBodyBytes, null, null, 0, 0);
    }

    /**
     * Fills in defaults: loopback for a blank host, no token for a blank one, {@link #DEFAULT_MAX_BODY} for a
     * non-positive limit, {@link #DEFAULT_BODY_GRACE} and {@link #DEFAULT_REQUEST_HEAD_LIMIT} for a missing or
     * non-positive duration, {@link #DEFAULT_MAX_CONNECTIONS} for a non-positive count, a quarter of the heap (at
     * least the body limit) for a non-positive body budget.
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
        if (bodyGrace == null || bodyGrace.isNegative() || bodyGrace.isZero()) {
            bodyGrace = DEFAULT_BODY_GRACE;
        }
        if (requestHeadLimit == null || requestHeadLimit.isNegative() || requestHeadLimit.isZero()) {
            requestHeadLimit = DEFAULT_REQUEST_HEAD_LIMIT;
        }
        if (maxConnections <= 0) {
            maxConnections = DEFAULT_MAX_CONNECTIONS;
        }
        if (bodyBudget <= 0) {
            bodyBudget = Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / 4);
        }
    }

    /**
     * These options with another {@link #bodyGrace()}.
     *
     * @param grace the new grace
     * @return the options
     */
    public ApiOptions withBodyGrace(java.time.Duration grace) {
        return new ApiOptions(bindHost, port, token, unsafeHttpd, maxBodyBytes, grace, requestHeadLimit,
                maxConnections, bodyBudget);
    }

    /**
     * These options with another {@link #requestHeadLimit()}.
     *
     * @param limit the new limit
     * @return the options
     */
    public ApiOptions withRequestHeadLimit(java.time.Duration limit) {
        return new ApiOptions(bindHost, port, token, unsafeHttpd, maxBodyBytes, bodyGrace, limit, maxConnections,
                bodyBudget);
    }

    /**
     * These options with another {@link #maxConnections()}.
     *
     * @param max the new count
     * @return the options
     */
    public ApiOptions withMaxConnections(int max) {
        return new ApiOptions(bindHost, port, token, unsafeHttpd, maxBodyBytes, bodyGrace, requestHeadLimit, max,
                bodyBudget);
    }

    /**
     * These options with another {@link #bodyBudget()}.
     *
     * @param bytes the new budget
     * @return the options
     */
    public ApiOptions withBodyBudget(long bytes) {
        return new ApiOptions(bindHost, port, token, unsafeHttpd, maxBodyBytes, bodyGrace, requestHeadLimit,
                maxConnections, bytes);
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
