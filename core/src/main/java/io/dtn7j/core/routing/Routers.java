package io.dtn7j.core.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates routers by name, as dtn7-rs's {@code -r <name>} with {@code -R <name>.<key>=<value>} settings:
 * {@code epidemic} (default), {@code flooding}, {@code sink}, {@code sprayandwait} ({@code num_copies}),
 * {@code static} ({@code routes} = routing file).
 */
public final class Routers {

    /** Names of the routers {@link #create} knows. */
    public static final List<String> NAMES = List.of("epidemic", "flooding", "sink", "sprayandwait", "static");

    private Routers() {
    }

    /**
     * Creates a router.
     *
     *
     * @param name     router name (case-insensitive)
     * @param settings settings, keyed either {@code key} or {@code <name>.key} (e.g. {@code sprayandwait.num_copies})
     * @throws IllegalArgumentException for an unknown name or a bad or missing setting
     * @return the router
     */
    public static Router create(String name, Map<String, String> settings) {
        String n = name.toLowerCase(Locale.ROOT).strip();
        return switch (n) {
            case "epidemic" -> new EpidemicRouter();
            case "flooding" -> new FloodingRouter();
            case "sink" -> new SinkRouter();
            case "sprayandwait" -> {
                String v = setting(settings, n, "num_copies");
                try {
                    yield v == null ? new SprayAndWaitRouter() : new SprayAndWaitRouter(Integer.parseInt(v.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("sprayandwait.num_copies must be a positive integer, got '" + v + "'", e);
                }
            }
            case "static" -> {
                String file = setting(settings, n, "routes");
                if (file == null) {
                    throw new IllegalArgumentException("static routing needs a routing file: set static.routes=<file>");
                }
                yield new StaticRouter(Path.of(file));
            }
            default -> throw new IllegalArgumentException("unknown router '" + name + "'; known: " + NAMES);
        };
    }

    /**
     * Creates a router without settings.
     *
     * @param name router name (case-insensitive)
     * @return the router
     */
    public static Router create(String name) {
        return create(name, Map.of());
    }

    private static String setting(Map<String, String> settings, String router, String key) {
        String v = settings.get(router + "." + key);
        return v != null ? v : settings.get(key);
    }
}
