package io.dtn7j.daemon.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code dtn7j daemon} is configured with: defaults, then a TOML file (dtn7-rs's
 * {@code dtn7.toml} keys), then command-line options, each overriding the one before. Mutable while it is
 * assembled; the daemon reads it once at start-up.
 */
public final class DaemonConfig {
    /** A convergence layer to start: its name and local options ({@code port=4223}). */
    public record ClaSpec(String name, Map<String, String> options) {
        public ClaSpec {
            options = Map.copyOf(options);
        }

        /**
         * Parses dtnd's {@code -C} syntax {@code <name>[:k=v[:k=v...]]}.
         *
         * @throws IllegalArgumentException for an empty name or an option without '='
         */
        public static ClaSpec parse(String text) {
            String[] parts = text.strip().split(":");
            if (parts[0].isBlank()) {
                throw new IllegalArgumentException("convergence layer '" + text + "' has no name (e.g. mtcp, tcp:port=4556)");
            }
            Map<String, String> opts = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("convergence layer option '" + parts[i] + "' in '" + text
                            + "' is not key=value (e.g. tcp:port=4556)");
                }
                opts.put(parts[i].substring(0, eq).strip(), parts[i].substring(eq + 1).strip());
            }
            return new ClaSpec(parts[0].strip().toLowerCase(java.util.Locale.ROOT), opts);
        }

        /** The configured port, or the given default. */
        public int port(int defaultPort) {
            String p = options.get("port");
            if (p == null) {
                return defaultPort;
            }
            try {
                int v = Integer.parseInt(p);
                if (v < 0 || v > 65535) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("convergence layer " + name + ": port '" + p + "' is not 0-65535");
            }
        }
    }

    public String nodeId;                 // null → random dtn://<letter+9 alnum>/
    public Path workdir = Path.of("dtn7j-data");
    public String db = "sqlite";           // sqlite | mem
    public List<String> endpoints = new ArrayList<>();
    public long discoveryIntervalMs = 2_000;   // 0 = IPND off
    public boolean discoveryDisabled;
    public int discoveryPort = 3003;
    public List<String> discoveryDestinations = new ArrayList<>();
    public List<String> discoveryInterfaces = new ArrayList<>();   // allow-list; empty = all
    public boolean beaconPeriod;
    public long peerTimeoutMs = 20_000;
    public long janitorMs = 10_000;
    public int webPort = 3000;
    public String apiBind = "127.0.0.1";
    public String token;
    public boolean unsafeHttpd;
    public String routing = "epidemic";
    public Map<String, String> routingOptions = new LinkedHashMap<>();
    public List<ClaSpec> clas = new ArrayList<>(List.of(new ClaSpec("mtcp", Map.of()), new ClaSpec("tcp", Map.of())));
    public boolean clasFromUser;
    public Map<String, Map<String, String>> globalClaOptions = new LinkedHashMap<>();
    public List<String> staticPeers = new ArrayList<>();
    public boolean generateStatusReports;
    public String crc = "none";            // none | 16 | 32
    public boolean strict;
    public boolean debug;
    public boolean ipv4 = true;
    public boolean ipv6;
    public Map<Integer, String> services = new LinkedHashMap<>();
    public long maxRequestBytes = 256L << 20;

    /** Checks combinations that individual setters cannot; throws with a message naming the option. */
    public void validate() {
        if (!db.equals("sqlite") && !db.equals("mem")) {
            throw new IllegalArgumentException("store kind '" + db + "' is unknown: use sqlite (durable, default) or mem");
        }
        if (!crc.equals("none") && !crc.equals("16") && !crc.equals("32")) {
            throw new IllegalArgumentException("--crc '" + crc + "' is unknown: use none, 16 or 32");
        }
        if (webPort < 0 || webPort > 65535) {
            throw new IllegalArgumentException("web port " + webPort + " is outside 0-65535");
        }
        if (discoveryPort < 0 || discoveryPort > 65535) {
            throw new IllegalArgumentException("discovery port " + discoveryPort + " is outside 0-65535");
        }
        for (String p : staticPeers) {
            PeerUrl.parse(p);
        }
    }

    /** Normalises a store name: dtn7-rs's durable {@code sled}/{@code sneakers} map to sqlite. */
    public static String storeKind(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "mem", "memory", "inmemory" -> "mem";
            case "sqlite", "sled", "sneakers", "durable" -> "sqlite";
            default -> n;
        };
    }

    /** dtn7-rs's random node name: a letter followed by nine letters or digits. */
    public static String randomNodeId() {
        java.util.Random r = new java.security.SecureRandom();
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        String alnum = letters + "0123456789";
        StringBuilder sb = new StringBuilder("dtn://").append(letters.charAt(r.nextInt(letters.length())));
        for (int i = 0; i < 9; i++) {
            sb.append(alnum.charAt(r.nextInt(alnum.length())));
        }
        return sb.append('/').toString();
    }

    /**
     * dtnd's node ID rule: a node name gives {@code dtn://<name>/}, a number {@code ipn:<n>.0}, anything
     * else must be a node ID EID ({@code dtn://x/} or {@code ipn:N.0}).
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    public static String nodeIdFrom(String text) {
        String t = text.strip();
        if (PeerUrl.isValidNodeName(t)) {
            return t.chars().allMatch(Character::isDigit) ? "ipn:" + Long.parseUnsignedLong(t) + ".0" : "dtn://" + t + "/";
        }
        if (t.matches("dtn://[^/]+/?")) {
            return t.endsWith("/") ? t : t + "/";
        }
        if (t.matches("ipn:\\d+\\.0")) {
            return t;
        }
        throw new IllegalArgumentException("node ID '" + text + "' is neither a node name (node1), a number (23) "
                + "nor a node ID (dtn://node1/, ipn:23.0)");
    }
}
