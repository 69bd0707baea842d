package io.dtn7j.core.routing;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.BundleMetadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Static routing with dtn7-rs's routing file format ({@code -R static.routes=<file>}): one route per line,
 * {@code <index> <source glob> <destination glob> <via EID>} separated by whitespace; blank lines and lines starting
 * with {@code #} are skipped. Globs match whole EID strings ({@link GlobPattern}). For a bundle, the first route (in
 * file order) that matches its source and destination and whose via node is a reachable peer wins; the bundle leaves
 * the store after being forwarded when its destination is a singleton. Example: {@code 1 * ipn:[2-3].* ipn:2.0}.
 */
public final class StaticRouter implements Router {

    private final Path file;
    private volatile List<StaticRoute> routes;

    /**
     * A router over the given routes (no file; {@link #reload()} keeps them).
     *
     * @param routes the routes, in order of precedence
     */
    public StaticRouter(List<StaticRoute> routes) {
        this.file = null;
        this.routes = List.copyOf(routes);
    }

    /**
     * A router reading {@code file}.
     *
     *
     * @param file the routing file
     * @throws StaticRoutingFileException if the file cannot be read or has a malformed line
     */
    public StaticRouter(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        this.routes = readFile(file);
    }

    /** {@return the routes in use} */
    public List<StaticRoute> routes() {
        return routes;
    }

    /**
     * Adds a route at run time (dtn7j's {@code /routing/cmd?c=add ...}); it is tried after the existing ones. A
     * later {@link #reload()} replaces it with the file's routes.
     *
     * @param route the route
     */
    public synchronized void addRoute(StaticRoute route) {
        List<StaticRoute> next = new ArrayList<>(routes);
        next.add(Objects.requireNonNull(route, "route"));
        routes = List.copyOf(next);
    }

    /**
     * Removes every route with this index.
     *
     * @param index the route index (first field of a routing file line)
     * @return how many routes were removed
     */
    public synchronized int removeRoute(String index) {
        List<StaticRoute> next = new ArrayList<>(routes);
        int before = next.size();
        next.removeIf(r -> r.index().equals(index));
        routes = List.copyOf(next);
        return before - next.size();
    }

    /** {@return the routing file, or null when the routes were given in code} */
    public Path file() {
        return file;
    }

    /** Re-reads the routing file (dtn7-rs's {@code /routing/cmd?c=reload}); on error the old routes stay. */
    public synchronized void reload() {
        if (file != null) {
            routes = readFile(file);
        }
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public RoutingDecision route(BundleMetadata bundle, List<Peer> peers) {
        for (StaticRoute r : routes) {
            if (!r.matches(bundle.id().source(), bundle.destination())) {
                continue;
            }
            for (Peer p : peers) {
                if (p.hosts(r.via())) {
                    if (bundle.forwardedTo().contains(p.key())) {
                        return RoutingDecision.waitForContact();
                    }
                    return new RoutingDecision(List.of(p), bundle.destination().isSingleton());
                }
            }
        }
        return RoutingDecision.waitForContact();
    }

    /**
     * Reads a routing file.
     *
     * @param file the routing file
     * @return the routes, in file order
     */
    public static List<StaticRoute> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StaticRoutingFileException("cannot read static routing file " + file + ": " + e.getMessage(), e);
        }
        return parse(lines, file.toString());
    }

    /**
     * Parses routing file lines.
     *
     *
     * @param origin name of the file, for error messages
     * @param lines the file's lines
     * @throws StaticRoutingFileException naming the first malformed line
     * @return the routes, in file order
     */
    public static List<StaticRoute> parse(List<String> lines, String origin) {
        List<StaticRoute> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 4) {
                throw new StaticRoutingFileException(origin + " line " + (n + 1) + ": expected 4 fields "
                        + "'<index> <source glob> <destination glob> <via EID>', got " + f.length + ": " + line, null);
            }
            try {
                out.add(new StaticRoute(f[0], GlobPattern.compile(f[1]), GlobPattern.compile(f[2]),
                        EndpointId.parse(f[3])));
            } catch (RuntimeException e) {
                throw new StaticRoutingFileException(origin + " line " + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
