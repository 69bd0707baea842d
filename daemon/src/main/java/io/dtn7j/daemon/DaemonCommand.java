package io.dtn7j.daemon;

import io.dtn7j.daemon.config.DaemonConfig;
import io.dtn7j.daemon.config.Humantime;
import io.dtn7j.daemon.config.TomlConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtn7j daemon}: runs a node, like dtn7-rs's {@code dtnd}. Options carry dtnd's names where they
 * mean the same; a TOML file ({@code -c}) takes dtn7-rs's {@code dtn7.toml} keys. Settings apply in the
 * order defaults, file, command line (every flag given overrides the file, unlike dtnd).
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a DTN node: bundle store, routing, convergence layers, IPND discovery and the "
                + "dtn7-rs-compatible HTTP/WebSocket API with web pages and /metrics.",
                "Defaults: durable SQLite store in ./dtn7j-data, epidemic routing, MTCP (16162) + TCPCLv4 (4556), "
                        + "IPND every 2s, API on 127.0.0.1:3000."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped normally (SIGTERM/SIGINT)", "1:could not start (bad configuration, port in use, ...)",
                "2:invalid command-line options"})
public final class DaemonCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "TOML configuration file (dtn7.toml keys).")
    Path config;

    @Option(names = {"-n", "--nodeid"}, paramLabel = "ID",
            description = "Node ID: a name (node1 → dtn://node1/), a number (23 → ipn:23.0) or a node ID EID. Default: random.")
    String nodeId;

    @Option(names = {"-W", "--workdir"}, paramLabel = "DIR",
            description = "Data directory holding the store. Default: ./dtn7j-data.")
    Path workdir;

    @Option(names = {"-D", "--db"}, paramLabel = "KIND",
            description = "Store kind: sqlite (durable, default) or mem. dtnd's sled/sneakers mean sqlite.")
    String db;

    @Option(names = {"-e", "--endpoint"}, paramLabel = "EID",
            description = "Endpoint to register at start (service name or EID); repeatable.")
    List<String> endpoints;

    @Option(names = {"-C", "--cla"}, paramLabel = "CLA",
            description = "Convergence layer <name>[:k=v...], e.g. mtcp, tcp:port=4223, udp, http; repeatable. "
                    + "Default: mtcp and tcp.")
    List<String> clas;

    @Option(names = {"-O", "--global"}, paramLabel = "CLA:K=V", description = "Global convergence layer option; repeatable.")
    List<String> globals;

    @Option(names = {"-r", "--routing"}, paramLabel = "ALGO",
            description = "Routing: epidemic (default), flooding, sprayandwait, static, sink, or external (a router "
                    + "connected to the WebSocket /ws/erouting decides; -R external.fallback=ALGO routes while none is).")
    String routing;

    @Option(names = {"-R", "--routing-options"}, paramLabel = "ALGO.K=V",
            description = "Routing option, e.g. sprayandwait.num_copies=7, static.routes=routes.csv; repeatable.")
    List<String> routingOptions;

    @Option(names = {"-s", "--static-peer"}, paramLabel = "URL",
            description = "Static peer <cla>://<host>[:<port>]/<nodename>, e.g. mtcp://127.0.0.1:16163/node2; repeatable.")
    List<String> staticPeers;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION",
            description = "IPND beacon interval (humantime, e.g. 2s); 0 turns discovery off. Default: 2s.")
    String interval;

    @Option(names = {"--disable_nd", "--disable-nd"}, description = "Turn IPND discovery off.")
    Boolean disableNd;

    @Option(names = {"-E", "--discovery-destination"}, paramLabel = "IP[:PORT]",
            description = "Beacon destination (multicast, broadcast or unicast); repeatable.")
    List<String> discoveryDestinations;

    @Option(names = "--discovery-port", paramLabel = "PORT", description = "IPND UDP port. Default: 3003.")
    Integer discoveryPort;

    @Option(names = "--discovery-interface", paramLabel = "NAME",
            description = "Only use this network interface for IPND (allow-list); repeatable. Default: all.")
    List<String> discoveryInterfaces;

    @Option(names = "--dtn7go-discovery",
            description = "Also run dtn7-go's own discovery (announce MTCP to 224.23.23.23:35039, learn dtn7-go nodes) "
                    + "on the --discovery-interface interfaces (default: every multicast interface). Default: off.")
    Boolean dtn7goDiscovery;

    @Option(names = {"-b", "--beacon-period"}, description = "Advertise the beacon period in beacons.")
    Boolean beaconPeriod;

    @Option(names = {"-p", "--peer-timeout"}, paramLabel = "DURATION",
            description = "Discovered peers expire after this silence. Default: 20s.")
    String peerTimeout;

    @Option(names = {"-j", "--janitor"}, paramLabel = "DURATION",
            description = "Janitor interval (expiry, retries); 0 = off. Default: 10s.")
    String janitor;

    @Option(names = {"-w", "--web-port"}, paramLabel = "PORT", description = "HTTP/WebSocket API port. Default: 3000.")
    Integer webPort;

    @Option(names = "--api-bind", paramLabel = "ADDR",
            description = "Address the API binds to. Default: 127.0.0.1. Binding elsewhere exposes the API: use --token.")
    String apiBind;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Require 'Authorization: Bearer TOKEN' on every API request except peers' /push. "
                    + "Also read from the DTN7J_TOKEN environment variable.")
    String token;

    @Option(names = {"-U", "--unsafe-httpd"},
            description = "Let non-loopback clients use the client routes (/send, /register, /ws, ...).")
    Boolean unsafeHttpd;

    @Option(names = "--ecla",
            description = "Let external convergence layer modules register over the WebSocket /ws/ecla (dtnd's ECLA).")
    Boolean ecla;

    @Option(names = "--ecla-tcp", paramLabel = "PORT",
            description = "Also accept ECLA modules over TCP on 127.0.0.1:PORT (u32 big-endian length + JSON per packet, "
                    + "as dtnd); 0 = off. Turns the ECLA on.")
    Integer eclaTcp;

    @Option(names = {"-S", "--service"}, paramLabel = "TAG:PAYLOAD", description = "IPND service to advertise; repeatable.")
    List<String> services;

    @Option(names = {"-g", "--generate-status-reports"}, description = "Generate status reports.")
    Boolean statusReports;

    @Option(names = "--crc", paramLabel = "none|16|32",
            description = "CRC type of bundles this node creates. Default: 32 (CRC-32C, as RFC 9171 asks); "
                    + "use none in networks with dtn7zero/py-dtn7 nodes, which reject every bundle with a CRC.")
    String crc;

    @Option(names = "--strict", description = "Reject received bundles that break any RFC 9171 rule "
            + "(same as --validation strict).")
    Boolean strict;

    @Option(names = "--validation", paramLabel = "strict|default|lenient",
            description = "Validation of received bundles. default waives a primary block without CRC and "
                    + "a node ID without trailing slash; lenient also a payload block number other than 1 "
                    + "(py-dtn7, dtn7zero); strict waives nothing. Default: default.")
    String validation;

    @Option(names = "--max-request-bytes", paramLabel = "N",
            description = "Largest HTTP request body (/send, /insert, /push). Default: 268435456.")
    Long maxRequestBytes;

    @Option(names = "--max-api-connections", paramLabel = "N",
            description = "Most HTTP/WebSocket connections the API holds at once; more wait until one closes. "
                    + "Default: 1024.")
    Integer maxApiConnections;

    @Option(names = {"-d", "--debug"}, description = "Debug logging.")
    Boolean debug;

    @Option(names = {"-4", "--ipv4"}, description = "Use IPv4 (default).")
    Boolean ipv4;

    @Option(names = {"-6", "--ipv6"}, description = "Use IPv6 (alone: IPv6 only; with -4: both).")
    Boolean ipv6;

    /** Creates the command; picocli sets its options from the command line. */
    public DaemonCommand() {
    }

    /**
     * Assembles the configuration: defaults, then the file, then the flags given.
     *
     * @return the configuration
     * @throws Exception if the file cannot be read or an option is invalid
     */
    public DaemonConfig buildConfig() throws Exception {
        DaemonConfig c = new DaemonConfig();
        if (config != null) {
            TomlConfig.apply(config, c);
        }
        if (nodeId != null) {
            c.nodeId = DaemonConfig.nodeIdFrom(nodeId);
        }
        if (workdir != null) {
            c.workdir = workdir;
        }
        if (db != null) {
            c.db = DaemonConfig.storeKind(db);
        }
        if (endpoints != null) {
            c.endpoints.addAll(endpoints);
        }
        if (clas != null) {
            c.clas = clas.stream().map(DaemonConfig.ClaSpec::parse).collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
            c.clasFromUser = true;
        }
        if (globals != null) {
            for (String g : globals) {
                int colon = g.indexOf(':');
                int eq = g.indexOf('=', colon + 1);
                if (colon <= 0 || eq < 0) {
                    throw new IllegalArgumentException("-O '" + g + "' is not <cla>:<key>=<value>");
                }
                c.globalClaOptions.computeIfAbsent(g.substring(0, colon), k -> new java.util.LinkedHashMap<>())
                        .put(g.substring(colon + 1, eq), g.substring(eq + 1));
            }
        }
        if (routing != null) {
            c.routing = routing;
        }
        if (routingOptions != null) {
            for (String o : routingOptions) {
                int eq = o.indexOf('=');
                if (eq <= 0 || o.indexOf('.') <= 0 || o.indexOf('.') > eq) {
                    throw new IllegalArgumentException("-R '" + o + "' is not <algo>.<key>=<value>");
                }
                c.routingOptions.put(o.substring(0, eq), o.substring(eq + 1));
            }
        }
        if (staticPeers != null) {
            c.staticPeers.addAll(staticPeers);
        }
        if (interval != null) {
            c.discoveryIntervalMs = duration("--interval", interval);
        }
        if (disableNd != null && disableNd) {
            c.discoveryDisabled = true;
        }
        if (discoveryDestinations != null) {
            c.discoveryDestinations.addAll(discoveryDestinations);
        }
        if (discoveryPort != null) {
            c.discoveryPort = discoveryPort;
        }
        if (discoveryInterfaces != null) {
            c.discoveryInterfaces = discoveryInterfaces;
        }
        if (beaconPeriod != null) {
            c.beaconPeriod = beaconPeriod;
        }
        if (dtn7goDiscovery != null) {
            c.dtn7goDiscovery = dtn7goDiscovery;
        }
        if (peerTimeout != null) {
            c.peerTimeoutMs = duration("--peer-timeout", peerTimeout);
        }
        if (janitor != null) {
            c.janitorMs = duration("--janitor", janitor);
        }
        if (webPort != null) {
            c.webPort = webPort;
        }
        if (apiBind != null) {
            c.apiBind = apiBind;
        }
        String envToken = System.getenv("DTN7J_TOKEN");
        if (token != null) {
            c.token = token;
        } else if (envToken != null && !envToken.isBlank()) {
            c.token = envToken;
        }
        if (ecla != null) {
            c.ecla = ecla;
        }
        if (eclaTcp != null) {
            c.eclaTcpPort = eclaTcp == 0 ? null : eclaTcp;
        }
        if (unsafeHttpd != null) {
            c.unsafeHttpd = unsafeHttpd;
        }
        if (services != null) {
            for (String s : services) {
                int colon = s.indexOf(':');
                try {
                    int tag = Integer.parseInt(s.substring(0, Math.max(0, colon)));
                    if (tag < 0 || tag > 255) {
                        throw new NumberFormatException();
                    }
                    c.services.put(tag, s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("-S '" + s + "' is not <tag 0-255>:<payload>");
                }
            }
        }
        if (statusReports != null) {
            c.generateStatusReports = statusReports;
        }
        if (crc != null) {
            c.crc = crc.toLowerCase(java.util.Locale.ROOT).replace("crc", "").replace("32c", "32");
        }
        if (validation != null) {
            if (strict != null && strict && !validation.strip().equalsIgnoreCase("strict")) {
                throw new IllegalArgumentException("--strict contradicts --validation " + validation + ": give only one");
            }
            c.validation = validation;
        } else if (strict != null && strict) {
            c.validation = "strict";
        }
        if (maxRequestBytes != null) {
            c.maxRequestBytes = maxRequestBytes;
        }
        if (maxApiConnections != null) {
            if (maxApiConnections <= 0) {
                throw new IllegalArgumentException("--max-api-connections must be positive, got " + maxApiConnections);
            }
            c.maxApiConnections = maxApiConnections;
        }
        if (debug != null) {
            c.debug = debug;
        }
        if (ipv6 != null && ipv6) {
            c.ipv6 = true;
            c.ipv4 = ipv4 != null && ipv4;
        }
        c.validate();
        return c;
    }

    private static long duration(String option, String value) {
        try {
            return Humantime.parse(value).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() {
        DaemonConfig c;
        try {
            c = buildConfig();
        } catch (Exception e) {
            System.err.println("dtn7j daemon: " + e.getMessage());
            return 2;
        }
        if (c.debug && System.getProperty("dtn7j.log.level") == null) {
            System.setProperty("dtn7j.log.level", "DEBUG");
        }
        Daemon daemon;
        try {
            daemon = Daemon.start(c);
        } catch (Exception e) {
            System.err.println("dtn7j daemon: could not start: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(DaemonCommand.class).debug("start-up failure", e);
            return 1;
        }
        // SIGTERM/SIGINT: stop in order and exit 0. The shutdown hook covers other ways the JVM ends.
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stopRequested.countDown());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                org.slf4j.LoggerFactory.getLogger(DaemonCommand.class).debug("cannot handle SIG{}", signal, e);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "dtn7j-shutdown"));
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon.close();
        return 0;
    }
}
