package io.dtn7j.daemon.node;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.routing.GlobPattern;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.routing.SprayAndWaitRouter;
import io.dtn7j.core.routing.StaticRoute;
import io.dtn7j.core.routing.StaticRouter;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.daemon.api.ApiException;
import io.dtn7j.daemon.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code /routing/cmd} and {@code /routing/getdata} for the agent's router (dtn7-compat.md §4.2, §4.3, §11.4).
 *
 * <p>Commands: the static router takes {@code reload} (re-read the routing file, as dtnd), {@code add <idx> <src glob>
 * <dst glob> <via EID>} and {@code del <idx>}; the other built-in routers take none, so any command is a 400 (dtnd
 * accepts and ignores them). Data: the static router lists its routes one per line in dtnd's format
 * ({@code #<idx>: route from <src> to <dst> via <via>}); epidemic, flooding and sink give, per bundle waiting to be
 * forwarded, the node names known to hold it (dtnd's epidemic "history", as JSON instead of a Rust debug dump);
 * spray-and-wait adds the copies left. {@code p=<bundle ID>} narrows the data to one bundle.
 */
public final class RoutingControl {
    static final String STATIC_USAGE = "use 'reload', 'add <idx> <src glob> <dst glob> <via EID>' or 'del <idx>'";

    private RoutingControl() {
    }

    /**
     * Runs a routing command on the agent's router.
     *
     * @param agent the agent
     * @param command the command text
     * @return the reply text
     * @throws ApiException 400 for an unknown or malformed command, 404 for an unknown route, 500 when a reload fails
     */
    public static String command(BundleProtocolAgent agent, String command) throws ApiException {
        Router router = agent.router();
        if (router instanceof RouterControl rc) {
            return rc.command(command);
        }
        String c = command.strip();
        if (c.isEmpty()) {
            throw ApiException.badRequest("empty routing command");
        }
        if (!(router instanceof StaticRouter sr)) {
            throw ApiException.badRequest("the " + router.name() + " router takes no commands (got '" + c + "')");
        }
        String[] f = c.split("\\s+");
        switch (f[0]) {
            case "reload" -> {
                if (f.length != 1) {
                    throw ApiException.badRequest("'reload' takes no arguments");
                }
                if (sr.file() == null) {
                    throw ApiException.badRequest("this static router has no routing file to reload");
                }
                try {
                    sr.reload();
                } catch (RuntimeException e) {
                    throw new ApiException(500, "reload failed, the old routes stay: " + e.getMessage());
                }
                return "Reloaded " + sr.routes().size() + " static routes from " + sr.file();
            }
            case "add" -> {
                if (f.length != 5) {
                    throw ApiException.badRequest("'add' needs 4 arguments: add <idx> <src glob> <dst glob> <via EID>");
                }
                StaticRoute route;
                try {
                    route = new StaticRoute(f[1], GlobPattern.compile(f[2]), GlobPattern.compile(f[3]),
                            EndpointId.parse(f[4]));
                } catch (RuntimeException e) {
                    throw ApiException.badRequest("bad route: " + e.getMessage());
                }
                sr.addRoute(route);
                return "Added " + describe(route);
            }
            case "del", "remove" -> {
                if (f.length != 2) {
                    throw ApiException.badRequest("'" + f[0] + "' needs the route index: del <idx>");
                }
                int n = sr.removeRoute(f[1]);
                if (n == 0) {
                    throw new ApiException(404, "no static route with index " + f[1]);
                }
                return "Removed " + n + " route" + (n == 1 ? "" : "s") + " with index " + f[1];
            }
            default -> throw ApiException.badRequest("unknown command '" + f[0] + "' for the static router: " + STATIC_USAGE);
        }
    }

    /**
     * Describes the agent's router's state.
     *
     * @param agent the agent
     * @param param {@code p=}, or empty
     * @return the reply text
     * @throws ApiException 400 for a malformed bundle ID, 404 for a bundle the node does not hold
     */
    public static String data(BundleProtocolAgent agent, String param) throws ApiException {
        Router router = agent.router();
        if (router instanceof RouterControl rc) {
            return rc.data(param);
        }
        if (router instanceof StaticRouter sr) {
            StringBuilder sb = new StringBuilder();
            for (StaticRoute r : sr.routes()) {
                sb.append(describe(r)).append('\n');
            }
            return sb.toString();
        }
        List<BundleId> ids;
        if (param != null && !param.isBlank()) {
            BundleId id;
            try {
                id = BundleId.parse(param.strip());
            } catch (RuntimeException e) {
                throw ApiException.badRequest("p is not a bundle ID: " + e.getMessage());
            }
            if (agent.metadata(id).isEmpty()) {
                throw new ApiException(404, "Bundle not found");
            }
            ids = List.of(id);
        } else {
            ids = agent.bundleIds();
        }
        boolean spray = router instanceof SprayAndWaitRouter;
        Map<String, Object> out = new TreeMap<>();
        for (BundleId id : ids) {
            Optional<BundleMetadata> md = agent.metadata(id);
            if (md.isEmpty() || (ids.size() > 1 && !md.get().has(Constraint.FORWARD_PENDING))) {
                continue;
            }
            List<String> holders = new ArrayList<>();
            for (String key : md.get().forwardedTo()) {
                holders.add(key.substring(key.indexOf(':') + 1));
            }
            holders.sort(null);
            if (spray) {
                Map<String, Object> m = new TreeMap<>();
                m.put("copies", md.get().copies());
                m.put("sent_to", holders);
                out.put(id.toString(), m);
            } else {
                out.put(id.toString(), holders);
            }
        }
        return Json.pretty(out);
    }

    private static String describe(StaticRoute r) {
        return "#" + r.index() + ": route from " + r.source() + " to " + r.destination() + " via " + r.via().uri();
    }
}
