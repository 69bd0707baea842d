package io.dtn7j.core.cla;

import io.dtn7j.core.cla.http.HttpPushConvergenceLayer;
import io.dtn7j.core.cla.mtcp.MtcpConvergenceLayer;
import io.dtn7j.core.cla.rest.Dtn7RsRestConvergenceLayer;
import io.dtn7j.core.cla.stcp.StcpConvergenceLayer;
import io.dtn7j.core.cla.tcpcl.TcpclConvergenceLayer;
import io.dtn7j.core.cla.udp.UdpConvergenceLayer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry of convergence layers by name, as dtn7-rs selects them ({@code -C mtcp}, {@code -C tcp}, ...).
 * Built-in: {@code mtcp}, {@code tcp}, {@code udp}, {@code stcp}, {@code http}, {@code dtn7rs-rest}; more come
 * from {@link ServiceLoader} ({@link ConvergenceLayerProvider}).
 */
public final class ConvergenceLayers {

    private static final Map<String, ConvergenceLayerProvider> PROVIDERS = load();

    private ConvergenceLayers() {
    }

    private static Map<String, ConvergenceLayerProvider> load() {
        Map<String, ConvergenceLayerProvider> m = new LinkedHashMap<>();
        put(m, "mtcp", MtcpConvergenceLayer.DEFAULT_PORT, MtcpConvergenceLayer::new);
        put(m, "tcp", TcpclConvergenceLayer.DEFAULT_PORT, TcpclConvergenceLayer::new);
        put(m, "udp", UdpConvergenceLayer.DEFAULT_PORT, UdpConvergenceLayer::new);
        put(m, "stcp", StcpConvergenceLayer.DEFAULT_PORT, StcpConvergenceLayer::new);
        put(m, "http", HttpPushConvergenceLayer.DEFAULT_PORT, HttpPushConvergenceLayer::new);
        put(m, "dtn7rs-rest", Dtn7RsRestConvergenceLayer.DEFAULT_PORT, Dtn7RsRestConvergenceLayer::new);
        for (ConvergenceLayerProvider p : ServiceLoader.load(ConvergenceLayerProvider.class)) {
            m.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        }
        return Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, ConvergenceLayerProvider> m, String name, int port,
                            Function<ClaOptions, ConvergenceLayer> factory) {
        m.put(name, new ConvergenceLayerProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int defaultPort() {
                return port;
            }

            @Override
            public ConvergenceLayer create(ClaOptions options) {
                return factory.apply(options);
            }
        });
    }

    /** {@return the registered names, built-ins first} */
    public static Set<String> names() {
        return PROVIDERS.keySet();
    }

    /**
     * The provider registered under {@code name} (case-insensitive).
     *
     * @param name the CLA's name, e.g. {@code mtcp}
     * @return the provider, or empty when no CLA has that name
     */
    public static Optional<ConvergenceLayerProvider> provider(String name) {
        return Optional.ofNullable(PROVIDERS.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * A new, not yet started CLA.
     *
     *
     * @param name the CLA's name, e.g. {@code mtcp}
     * @param options the CLA's settings
     * @throws IllegalArgumentException naming the known CLAs when {@code name} is unknown
     * @return the CLA
     */
    public static ConvergenceLayer create(String name, ClaOptions options) {
        return provider(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown convergence layer '" + name + "'; known: " + String.join(", ", names())))
                .create(options);
    }

    /**
     * The standard port of the named CLA (16162 for mtcp, 4556 for tcp, ...).
     *
     * @param name the CLA's name
     * @return the port, or 0 for an unknown CLA
     */
    public static int defaultPort(String name) {
        return provider(name).map(ConvergenceLayerProvider::defaultPort).orElseThrow(() ->
                new IllegalArgumentException("unknown convergence layer '" + name + "'"));
    }
}
