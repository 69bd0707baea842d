package io.dtn7j.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a TOML configuration file with dtn7-rs's {@code dtn7.toml} keys (dtn7-compat.md §11.3) plus
 * dtn7j's own ({@code crc}, {@code strict}, {@code validation}, {@code api_bind}, {@code token}, {@code discovery.interfaces}).
 * Unlike dtnd, an unparsable duration is an error (dtnd silently turns it into "disabled").
 */
public final class TomlConfig {
    private TomlConfig() {
    }

    /**
     * Applies the file's settings to {@code config}.
     *
     *
     * @param file the TOML file
     * @param config the configuration to change
     * @throws IllegalArgumentException naming the file and key for a malformed file or value
     * @throws IOException if the file cannot be read
     */
    public static void apply(Path file, DaemonConfig config) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("configuration file " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file + " is not valid TOML: " + e.getMessage(), e);
        }
        try {
            apply(root, config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    static void apply(JsonNode root, DaemonConfig c) {
        bool(root, "debug").ifPresent(v -> c.debug = v);
        bool(root, "generate_status_reports").ifPresent(v -> c.generateStatusReports = v);
        bool(root, "generate-status-reports").ifPresent(v -> c.generateStatusReports = v);
        bool(root, "unsafe_httpd").ifPresent(v -> c.unsafeHttpd = v);
        bool(root.path("ecla"), "enabled").ifPresent(v -> c.ecla = v);
        JsonNode tcp = root.path("ecla").path("tcp_port");
        if (!tcp.isMissingNode() && !tcp.isNull()) {
            if (!tcp.canConvertToInt() || tcp.asInt() < 0 || tcp.asInt() > 65535) {
                throw new IllegalArgumentException("ecla.tcp_port must be a port number 0-65535 (0 = off), got " + tcp);
            }
            c.eclaTcpPort = tcp.asInt() == 0 ? null : tcp.asInt();
        }
        bool(root, "ipv4").ifPresent(v -> c.ipv4 = v);
        bool(root, "ipv6").ifPresent(v -> c.ipv6 = v);
        bool(root, "beacon-period").ifPresent(v -> c.beaconPeriod = v);
        bool(root, "strict").ifPresent(v -> {
            if (v) {
                c.validation = "strict";
            }
        });
        str(root, "validation").ifPresent(v -> {
            if (root.path("strict").asBoolean(false) && !v.strip().equalsIgnoreCase("strict")) {
                throw new IllegalArgumentException("strict = true contradicts validation = \"" + v + "\": give only one");
            }
            c.validation = v;
        });
        str(root, "nodeid").ifPresent(v -> c.nodeId = DaemonConfig.nodeIdFrom(v));
        str(root, "workdir").ifPresent(v -> c.workdir = Path.of(v));
        str(root, "db").ifPresent(v -> c.db = DaemonConfig.storeKind(v));
        integer(root, "webport").ifPresent(v -> c.webPort = v);
        str(root, "api_bind").ifPresent(v -> c.apiBind = v);
        str(root, "token").ifPresent(v -> c.token = v);
        if (root.has("crc")) {
            c.crc = root.get("crc").asText();
        }
        JsonNode routing = root.path("routing");
        str(routing, "strategy").ifPresent(v -> c.routing = v);
        JsonNode settings = routing.path("settings");
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> algo = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> kv = algo.getValue().fields(); kv.hasNext(); ) {
                Map.Entry<String, JsonNode> e = kv.next();
                c.routingOptions.put(algo.getKey() + "." + e.getKey(), e.getValue().asText());
            }
        }
        JsonNode core = root.path("core");
        duration(core, "janitor", "core.janitor").ifPresent(v -> c.janitorMs = v);
        JsonNode discovery = root.path("discovery");
        duration(discovery, "interval", "discovery.interval").ifPresent(v -> c.discoveryIntervalMs = v);
        duration(discovery, "peer-timeout", "discovery.peer-timeout").ifPresent(v -> c.peerTimeoutMs = v);
        integer(discovery, "port").ifPresent(v -> c.discoveryPort = v);
        bool(discovery, "dtn7go").ifPresent(v -> c.dtn7goDiscovery = v);
        if (discovery.has("interfaces")) {
            c.discoveryInterfaces = strings(discovery.get("interfaces"));
        }
        for (JsonNode t : ordered(root.path("discovery_destinations").path("target"))) {
            str(t, "destination").ifPresent(c.discoveryDestinations::add);
        }
        JsonNode statics = root.path("statics").path("peers");
        if (!statics.isMissingNode()) {
            c.staticPeers.addAll(strings(statics));
        }
        for (JsonNode e : ordered(root.path("endpoints").path("local"))) {
            c.endpoints.add(e.asText());
        }
        JsonNode cl = root.path("convergencylayers");
        List<JsonNode> clas = ordered(cl.path("cla"));
        if (!clas.isEmpty()) {
            c.clas = new ArrayList<>();
            c.clasFromUser = true;
            for (JsonNode n : clas) {
                String id = n.path("id").asText("");
                if (id.isEmpty()) {
                    throw new IllegalArgumentException("convergencylayers.cla entry without id");
                }
                Map<String, String> opts = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> kv = n.fields(); kv.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = kv.next();
                    if (!e.getKey().equals("id")) {
                        opts.put(e.getKey(), e.getValue().asText());
                    }
                }
                c.clas.add(new DaemonConfig.ClaSpec(id.toLowerCase(java.util.Locale.ROOT), opts));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = cl.path("global").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> g = it.next();
            Map<String, String> opts = c.globalClaOptions.computeIfAbsent(g.getKey(), k -> new LinkedHashMap<>());
            g.getValue().fields().forEachRemaining(e -> opts.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode s : ordered(root.path("services").path("service"))) {
            int tag;
            try {
                tag = Integer.parseInt(s.path("tag").asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("services.service tag '" + s.path("tag").asText() + "' is not a number 0-255");
            }
            if (tag < 0 || tag > 255) {
                throw new IllegalArgumentException("services.service tag " + tag + " is outside 0-255");
            }
            c.services.put(tag, s.path("payload").asText());
        }
    }

    /** Entries of a table keyed 0, 1, 2... (or an array), in numeric key order. */
    private static List<JsonNode> ordered(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>((a, b) -> {
                try {
                    return Long.compare(Long.parseLong(a), Long.parseLong(b));
                } catch (NumberFormatException e) {
                    return a.compareTo(b);
                }
            });
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            out.addAll(sorted.values());
        }
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return out;
    }

    private static java.util.Optional<Boolean> bool(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null) {
            return java.util.Optional.empty();
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("'" + key + "' must be true or false, not " + v);
        }
        return java.util.Optional.of(v.booleanValue());
    }

    private static java.util.Optional<String> str(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? java.util.Optional.empty() : java.util.Optional.of(v.asText());
    }

    private static java.util.Optional<Integer> integer(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Integer.parseInt(v.asText()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, not " + v);
        }
    }

    private static java.util.Optional<Long> duration(JsonNode n, String key, String fullKey) {
        JsonNode v = n.get(key);
        if (v == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Humantime.parse(v.asText()).toMillis());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + fullKey + "': " + e.getMessage());
        }
    }
}
