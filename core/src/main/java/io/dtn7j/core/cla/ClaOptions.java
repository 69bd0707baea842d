package io.dtn7j.core.cla;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Settings shared by the convergence layers. Build with {@link #builder()}; every field has a sensible
 * default. CLA-specific knobs (e.g. the {@code dtn7rs-rest} remote URL) go in {@link #parameters()}.
 *
 * @param bindHost          address listeners bind to
 * @param port              listening port; 0 = ephemeral, {@link #DEFAULT_PORT} = the CLA's standard port
 * @param maxBundleSize     largest bundle accepted from or sent to a peer (bytes)
 * @param maxSessions       most concurrent inbound connections/sessions; more are turned away
 * @param idleTimeout       an inbound connection without traffic for this long is closed
 * @param keepalive         TCPCLv4 keepalive interval proposed in SESS_INIT (whole seconds, 1..65535)
 * @param frameTimeout      longest stall inside one frame/message before the peer is dropped (slowloris)
 * @param connectTimeout    TCP connect (and handshake) timeout for outgoing connections
 * @param segmentMru        TCPCLv4: largest segment this node receives, and largest it sends
 * @param spoolThreshold    incoming bundles above this size are spooled to a file instead of heap
 * @param socketBufferSize  TCP send and receive buffer size asked of the OS for every connection (bytes), or 0 to
 *                          leave both to the OS and its autotuning; see {@link #DEFAULT_SOCKET_BUFFER}
 * @param minRate           bytes per second a frame or segment must keep up, in either direction, on top of the
 *                          frame timeout (and the rate a transfer's final acknowledgement is waited for): the bound on
 *                          how long a peer dripping data can hold a session; see {@link #DEFAULT_MIN_RATE}
 * @param sslContext        TLS context for TCPCLv4 (key and trust material), or {@code null} for no TLS
 * @param requireTls        TCPCLv4: refuse sessions that do not negotiate TLS
 * @param parameters        CLA-specific settings
 */
public record ClaOptions(String bindHost, int port, long maxBundleSize, int maxSessions, Duration idleTimeout,
                         Duration keepalive, Duration frameTimeout, Duration connectTimeout, long segmentMru,
                         long spoolThreshold, int socketBufferSize, long minRate, SSLContext sslContext,
                         boolean requireTls, Map<String, String> parameters) {

    /** Port value meaning "the CLA's standard port" (16162 for mtcp, 4556 for tcp, ...). */
    public static final int DEFAULT_PORT = -1;

    /**
     * The default {@link #socketBufferSize()}: 0, the OS sizes the buffers and grows them with its autotuning (on
     * Linux up to {@code net.ipv4.tcp_rmem} / {@code tcp_wmem}'s maxima). A fixed size helps where those maxima are too
     * small for the bytes a link keeps in flight (bandwidth × round trip, e.g. a long-delay link), or to bound the
     * memory of many sessions; Linux doubles the value it is given. On loopback, 4 MiB gave mixed results in A/B runs
     * (docs/BENCHMARKS.md), so it is not the default.
     */
    public static final int DEFAULT_SOCKET_BUFFER = 0;

    /**
     * The default {@link #minRate()}: 256 KiB/s. A 4 MiB TCPCLv4 segment then has 30 s plus 16 s, and a 100 MiB MTCP
     * frame 30 s plus 400 s, so a link slower than about 90 KiB/s (0.75 Mbit/s) cannot carry full-size segments, nor
     * one slower than about 240 KiB/s (2 Mbit/s) 100 MiB MTCP frames: for such links, lower it (daemon: {@code -C
     * tcp:min-rate=BYTES}), at the price of a dripping peer holding a session for longer.
     */
    public static final long DEFAULT_MIN_RATE = TimedInput.MIN_RATE;

    /** Validates ranges. */
    public ClaOptions {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < DEFAULT_PORT || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (or DEFAULT_PORT), got " + port);
        }
        if (maxBundleSize <= 0 || maxSessions <= 0 || segmentMru <= 0 || spoolThreshold < 0) {
            throw new IllegalArgumentException("maxBundleSize, maxSessions and segmentMru must be positive");
        }
        if (socketBufferSize < 0) {
            throw new IllegalArgumentException("socketBufferSize must be 0 (the OS decides) or positive, got "
                    + socketBufferSize);
        }
        if (minRate <= 0) {
            throw new IllegalArgumentException("minRate must be a positive number of bytes per second, got " + minRate);
        }
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(keepalive, "keepalive");
        requirePositive(frameTimeout, "frameTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        if (keepalive.toSeconds() < 1 || keepalive.toSeconds() > 0xffff) {
            throw new IllegalArgumentException("keepalive must be 1..65535 s, got " + keepalive);
        }
        parameters = Map.copyOf(parameters);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** {@return the defaults} */
    public static ClaOptions defaults() {
        return builder().build();
    }

    /** {@return a builder with the defaults filled in} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder starting from these values} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindHost = bindHost;
        b.port = port;
        b.maxBundleSize = maxBundleSize;
        b.maxSessions = maxSessions;
        b.idleTimeout = idleTimeout;
        b.keepalive = keepalive;
        b.frameTimeout = frameTimeout;
        b.connectTimeout = connectTimeout;
        b.segmentMru = segmentMru;
        b.spoolThreshold = spoolThreshold;
        b.socketBufferSize = socketBufferSize;
        b.minRate = minRate;
        b.sslContext = sslContext;
        b.requireTls = requireTls;
        b.parameters = parameters;
        return b;
    }

    /**
     * The listening port to bind: {@code standardPort} when {@link #port()} is {@link #DEFAULT_PORT}.
     *
     * @param standardPort the CLA's standard port
     * @return the port to bind
     */
    public int portOr(int standardPort) {
        return port == DEFAULT_PORT ? standardPort : port;
    }

    /**
     * A CLA-specific parameter, or {@code fallback}.
     *
     * @param key the parameter's name
     * @param fallback the value when the parameter is not set
     * @return the parameter's value, or {@code fallback}
     */
    public String parameter(String key, String fallback) {
        return parameters.getOrDefault(key, fallback);
    }

    /** Builder for {@link ClaOptions}. */
    public static final class Builder {
        private String bindHost = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private long maxBundleSize = 8L << 30;
        private int maxSessions = 512;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration keepalive = Duration.ofSeconds(30);
        private Duration frameTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private long segmentMru = 4L << 20;
        private long spoolThreshold = 1L << 20;
        private int socketBufferSize = DEFAULT_SOCKET_BUFFER;
        private long minRate = DEFAULT_MIN_RATE;
        private SSLContext sslContext;
        private boolean requireTls;
        private Map<String, String> parameters = Map.of();

        private Builder() {
        }

        /**
         * Sets {@link ClaOptions#bindHost()}.
         *
         * @param v address listeners bind to
         * @return this builder
         */
        public Builder bindHost(String v) { bindHost = v; return this; }
        /**
         * Sets {@link ClaOptions#port()}.
         *
         * @param v listening port; 0 = ephemeral, {@link ClaOptions#DEFAULT_PORT} = the CLA's standard port
         * @return this builder
         */
        public Builder port(int v) { port = v; return this; }
        /**
         * Sets {@link ClaOptions#maxBundleSize()}.
         *
         * @param v largest bundle accepted from or sent to a peer (bytes)
         * @return this builder
         */
        public Builder maxBundleSize(long v) { maxBundleSize = v; return this; }
        /**
         * Sets {@link ClaOptions#maxSessions()}.
         *
         * @param v most concurrent inbound connections/sessions; more are turned away
         * @return this builder
         */
        public Builder maxSessions(int v) { maxSessions = v; return this; }
        /**
         * Sets {@link ClaOptions#idleTimeout()}.
         *
         * @param v an inbound connection without traffic for this long is closed
         * @return this builder
         */
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        /**
         * Sets {@link ClaOptions#keepalive()}.
         *
         * @param v TCPCLv4 keepalive interval proposed in SESS_INIT (whole seconds, 1..65535)
         * @return this builder
         */
        public Builder keepalive(Duration v) { keepalive = v; return this; }
        /**
         * Sets {@link ClaOptions#frameTimeout()}.
         *
         * @param v longest stall inside one frame/message before the peer is dropped (slowloris)
         * @return this builder
         */
        public Builder frameTimeout(Duration v) { frameTimeout = v; return this; }
        /**
         * Sets {@link ClaOptions#connectTimeout()}.
         *
         * @param v TCP connect (and handshake) timeout for outgoing connections
         * @return this builder
         */
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        /**
         * Sets {@link ClaOptions#segmentMru()}.
         *
         * @param v TCPCLv4: largest segment this node receives, and largest it sends
         * @return this builder
         */
        public Builder segmentMru(long v) { segmentMru = v; return this; }
        /**
         * Sets {@link ClaOptions#spoolThreshold()}.
         *
         * @param v incoming bundles above this size are spooled to a file instead of heap
         * @return this builder
         */
        public Builder spoolThreshold(long v) { spoolThreshold = v; return this; }

        /**
         * Sets {@link ClaOptions#socketBufferSize()}.
         * @param v the value
         * @return this builder
         */
        public Builder socketBufferSize(int v) { socketBufferSize = v; return this; }
        /**
         * Sets {@link ClaOptions#minRate()}.
         * @param bytesPerSecond the value
         * @return this builder
         */
        public Builder minRate(long bytesPerSecond) { minRate = bytesPerSecond; return this; }
        /**
         * Sets {@link ClaOptions#sslContext()}.
         *
         * @param v TLS context for TCPCLv4 (key and trust material), or {@code null} for no TLS
         * @return this builder
         */
        public Builder sslContext(SSLContext v) { sslContext = v; return this; }
        /**
         * Sets {@link ClaOptions#requireTls()}.
         *
         * @param v TCPCLv4: refuse sessions that do not negotiate TLS
         * @return this builder
         */
        public Builder requireTls(boolean v) { requireTls = v; return this; }
        /**
         * Sets {@link ClaOptions#parameters()}.
         *
         * @param v CLA-specific settings
         * @return this builder
         */
        public Builder parameters(Map<String, String> v) { parameters = v; return this; }
        /**
         * Adds one CLA-specific parameter.
         *
         * @param key the parameter's name
         * @param value its value
         * @return this builder
         */
        public Builder parameter(String key, String value) {
            java.util.Map<String, String> m = new java.util.HashMap<>(parameters);
            m.put(key, value);
            parameters = m;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public ClaOptions build() {
            return new ClaOptions(bindHost, port, maxBundleSize, maxSessions, idleTimeout, keepalive, frameTimeout,
                    connectTimeout, segmentMru, spoolThreshold, socketBufferSize, minRate, sslContext, requireTls,
                    parameters);
        }
    }
}
