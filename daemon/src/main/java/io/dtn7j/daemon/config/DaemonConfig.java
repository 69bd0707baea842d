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
    /** Creates a configuration holding the defaults. */
    public DaemonConfig() {
    }

    /**
     * A convergence layer to start: its name and local options ({@code port=4223}).
     *
     * @param name the convergence layer's name as dtnd knows it ({@code mtcp}, {@code tcp}, {@code http}, ...)
     * @param options its local options, e.g. {@code port -> 4223}
     */
    public record ClaSpec(String name, Map<String, String> options) {
        /** Copies {@code options} into an unmodifiable map. */
        public ClaSpec {
            options = Map.copyOf(options);
        }

        /**
         * Parses dtnd's {@code -C} syntax {@code <name>[:k=v[:k=v...]]}. A value may be a URL with colons of its
         * own ({@code dtn7rs-rest:url=http://10.0.0.1:3000:poll-interval-ms=500}).
         *
         *
         * @param text the option text
         * @throws IllegalArgumentException for an empty name or an option without '='
         * @return the parsed spec
         */
        public static ClaSpec parse(String text) {
            String[] parts = text.strip().split(":");
            if (parts[0].isBlank()) {
                throw new IllegalArgumentException("convergence layer '" + text + "' has no name (e.g. mtcp, tcp:port=4556)");
            }
            Map<String, String> opts = new LinkedHashMap<>();
            String last = null;
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq <= 0 && last != null && (parts[i].startsWith("//") || opts.get(last).contains("//"))) {
                    // a URL value (dtn7rs-rest:url=http://host:3000) was split at its own colons: join it again
                    opts.put(last, opts.get(last) + ":" + parts[i].strip());
                    continue;
                }
                if (eq <= 0) {
                    throw new IllegalArgumentException("convergence layer option '" + parts[i] + "' in '" + text
                            + "' is not key=value (e.g. tcp:port=4556)");
                }
                last = parts[i].substring(0, eq).strip();
                opts.put(last, parts[i].substring(eq + 1).strip());
            }
            return new ClaSpec(parts[0].strip().toLowerCase(java.util.Locale.ROOT), opts);
        }

        /**
         * The configured port, or the given default.
         *
         * @param defaultPort the port to use when none is configured
         * @return the {@code port} option, or {@code defaultPort}
         */
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

    /** The node ID; null picks a random {@code dtn://<name>/} at start-up. */
    public String nodeId;                 // null → random dtn://<letter+9 alnum>/
    /** Directory holding the durable store. */
    public Path workdir = Path.of("dtn7j-data");
    /** Store kind: {@code sqlite} (durable, under {@link #workdir}) or {@code mem}. */
    public String db = "sqlite";           // sqlite | mem
    /** Endpoints to register at start-up, in addition to the node's own. */
    public List<String> endpoints = new ArrayList<>();
    /** Interval between beacons in milliseconds; 0 switches IPND off. */
    public long discoveryIntervalMs = 2_000;   // 0 = IPND off
    /** Whether IPND discovery is switched off. */
    public boolean discoveryDisabled;
    /** UDP port for IPND beacons. */
    public int discoveryPort = 3003;
    /**
     * Beacon destinations (multicast, broadcast or unicast, {@code IP[:PORT]}); empty for the defaults.
     */
    public List<String> discoveryDestinations = new ArrayList<>();
    /** Network interfaces beacons are sent on and accepted from; empty means all. */
    public List<String> discoveryInterfaces = new ArrayList<>();   // allow-list; empty = all
    /**
     * Whether dtn7-go's own discovery also runs (announcing MTCP to 224.23.23.23:35039 and learning dtn7-go nodes),
     * on {@link #discoveryInterfaces} (empty = every multicast interface).
     */
    public boolean dtn7goDiscovery;
    /** Whether beacons advertise their beacon period ({@code -b}). */
    public boolean beaconPeriod;
    /** How long a discovered peer is kept without hearing a beacon, in milliseconds. */
    public long peerTimeoutMs = 20_000;
    /** Interval of the janitor (expiry and retry of stored bundles) in milliseconds. */
    public long janitorMs = 10_000;
    /** TCP port of the HTTP/WebSocket API. */
    public int webPort = 3000;
    /** Address the HTTP/WebSocket API binds to (loopback by default). */
    public String apiBind = "127.0.0.1";
    /** Bearer token API clients must send, or null for none. */
    public String token;
    /** Whether the API's client routes accept non-loopback clients (dtnd's {@code -U}). */
    public boolean unsafeHttpd;
    /** Whether external convergence layer modules may register over {@code /ws/ecla} (dtnd's {@code --ecla}). */
    public boolean ecla;
    /**
     * TCP port on 127.0.0.1 of dtnd's length-framed ECLA connector ({@code --ecla-tcp}); null = off (dtnd's 0), 0 = an
     * ephemeral port. Setting it turns the ECLA on.
     */
    public Integer eclaTcpPort;
    /** Routing algorithm name, e.g. {@code epidemic}; {@code external} waits for a router on {@code /ws/erouting}. */
    public String routing = "epidemic";
    /** Options of the routing algorithm. */
    public Map<String, String> routingOptions = new LinkedHashMap<>();
    /** Convergence layers to start; mtcp and tcp unless the user names others. */
    public List<ClaSpec> clas = new ArrayList<>(List.of(new ClaSpec("mtcp", Map.of()), new ClaSpec("tcp", Map.of())));
    /** Whether {@link #clas} came from the user (command line or file), replacing the defaults. */
    public boolean clasFromUser;
    /** Options for every convergence layer of a name ({@code -O name:k=v}), keyed by that name. */
    public Map<String, Map<String, String>> globalClaOptions = new LinkedHashMap<>();
    /** Static peers, as dtn7-rs peer URLs ({@code mtcp://host:port/node}). */
    public List<String> staticPeers = new ArrayList<>();
    /** Whether the node generates bundle status reports. */
    public boolean generateStatusReports;
    /** CRC type of the bundles this node creates: {@code none}, {@code 16} or {@code 32}. */
    public String crc = "32";              // none | 16 | 32 (RFC 9171 wants a CRC; none for dtn7zero networks)
    /**
     * How received bundles are validated: {@code strict} (every RFC 9171 rule), {@code default} (waives a
     * primary block without CRC and a node ID without trailing slash) or {@code lenient} (also a payload block
     * numbered other than 1, as py-dtn7/dtn7zero send). See {@link #validationPolicy()}.
     */
    public String validation = "default";    // strict | default | lenient
    /** Whether debug logging is on. */
    public boolean debug;
    /** Whether IPv4 is used for discovery and the API. */
    public boolean ipv4 = true;
    /** Whether IPv6 is used for discovery and the API. */
    public boolean ipv6;
    /** IPND services to advertise: payload text by tag (0-255). */
    public Map<Integer, String> services = new LinkedHashMap<>();
    /** Largest HTTP request body the API accepts, in bytes. */
    public long maxRequestBytes = 256L << 20;
    /** Most connections the API holds at once ({@code --max-api-connections}). */
    public int maxApiConnections = io.dtn7j.daemon.api.ApiOptions.DEFAULT_MAX_CONNECTIONS;

    /** Checks combinations that individual setters cannot; throws with a message naming the option. */
    public void validate() {
        if (!db.equals("sqlite") && !db.equals("mem")) {
            throw new IllegalArgumentException("store kind '" + db + "' is unknown: use sqlite (durable, default) or mem");
        }
        if (!crc.equals("none") && !crc.equals("16") && !crc.equals("32")) {
            throw new IllegalArgumentException("--crc '" + crc + "' is unknown: use none, 16 or 32");
        }
        validationPolicy();
        if (webPort < 0 || webPort > 65535) {
            throw new IllegalArgumentException("web port " + webPort + " is outside 0-65535");
        }
        if (eclaTcpPort != null && (eclaTcpPort < 0 || eclaTcpPort > 65535)) {
            throw new IllegalArgumentException("ECLA TCP port " + eclaTcpPort + " is outside 0-65535");
        }
        if (discoveryPort < 0 || discoveryPort > 65535) {
            throw new IllegalArgumentException("discovery port " + discoveryPort + " is outside 0-65535");
        }
        for (String p : staticPeers) {
            PeerUrl.parse(p);
        }
    }

    /**
     * The validation policy {@link #validation} names.
     *
     * @return the policy for received bundles
     * @throws IllegalArgumentException if {@link #validation} is none of strict, default, lenient
     */
    public io.dtn7j.bundle.codec.ValidationPolicy validationPolicy() {
        return switch (validation.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "strict" -> io.dtn7j.bundle.codec.ValidationPolicy.STRICT;
            case "default" -> io.dtn7j.bundle.codec.ValidationPolicy.DEFAULT;
            case "lenient" -> io.dtn7j.bundle.codec.ValidationPolicy.LENIENT;
            default -> throw new IllegalArgumentException("--validation '" + validation
                    + "' is unknown: use strict, default or lenient (lenient accepts py-dtn7/dtn7zero bundles)");
        };
    }

    /**
     * Normalises a store name: dtn7-rs's durable {@code sled}/{@code sneakers} map to sqlite.
     *
     * @param name a store name from the command line or the TOML file
     * @return {@code sqlite} or {@code mem} for a known name or alias, otherwise {@code name} stripped and lower-cased
     */
    public static String storeKind(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "mem", "memory", "inmemory" -> "mem";
            case "sqlite", "sled", "sneakers", "durable" -> "sqlite";
            default -> n;
        };
    }

    /** {@return dtn7-rs's random node name: a letter followed by nine letters or digits} */
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
     *
     * @param text a node name, a node number or a node ID EID
     * @throws IllegalArgumentException saying what is accepted
     * @return the node ID EID text
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
