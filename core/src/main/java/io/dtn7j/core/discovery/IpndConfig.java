package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.Sockets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Settings of an {@link IpndService}; build with {@link #builder(EndpointId)}. Defaults follow dtn7-rs:
 * UDP port 3003, beacons every 2 s to {@code 224.0.0.26:3003} (and {@code [FF02::1]:3003} when IPv6 is on),
 * peers without an announced period expire after 20 s.
 *
 * @param nodeId            this node's ID (beacons carrying it are ignored)
 * @param clas              supplies the CLAs to advertise at each beacon (called on every round, so ports known only
 *                          after the CLAs started are picked up); list the preferred CLA first
 * @param services          tagged services to advertise
 * @param interval          time between beacon rounds; the first round is sent at start
 * @param announcePeriod    whether beacons carry the period (whole seconds, at least 1), like dtn7-rs's {@code -b}
 * @param port              UDP port to listen on (0 = ephemeral; see {@link IpndService#port()})
 * @param ipv4              use an IPv4 socket
 * @param ipv6              use an IPv6 socket (bound to {@code [::]}, unlike dtn7-rs which binds {@code [::1]})
 * @param destinations      where beacons go: multicast groups (sent out of every allowed multicast-capable
 *                          interface), broadcast or unicast addresses; empty = the dtn7-rs defaults for the enabled
 *                          families
 * @param subnetBroadcast   also send to the broadcast address of every allowed IPv4 interface on
 *                          {@code broadcastPort} (that is how dtn7zero nodes, which join no group, hear us)
 * @param broadcastPort     port for subnet broadcasts (dtn7zero listens on 3003)
 * @param interfaces        interface allow-list by name (e.g. {@code eth0}); empty = all interfaces. Restricts
 *                          which interfaces multicast and broadcast go out of and which source addresses beacons are
 *                          accepted from
 * @param peerTimeout       expiry for peers whose beacons announce no period
 * @param multicastLoopback deliver our multicast beacons to sockets on this host too (default on, so several
 *                          nodes on one host find each other; dtn7-rs turns it off)
 * @param maxBeaconSize     largest datagram accepted (bytes)
 */
public record IpndConfig(EndpointId nodeId, Supplier<List<ClaAdvertisement>> clas, List<BeaconService> services,
                         Duration interval, boolean announcePeriod, int port, boolean ipv4, boolean ipv6,
                         List<InetSocketAddress> destinations, boolean subnetBroadcast, int broadcastPort,
                         Set<String> interfaces, Duration peerTimeout, boolean multicastLoopback, int maxBeaconSize) {

    /** dtn7-rs's discovery port. */
    public static final int DEFAULT_PORT = 3003;
    /** dtn7-rs's beacon interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    /** dtn7-rs's peer timeout for peers without a beacon period. */
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(20);
    /** dtn7-rs's IPv4 multicast group. */
    public static final String DEFAULT_IPV4_GROUP = "224.0.0.26";
    /** dtn7-rs's IPv6 multicast group. */
    public static final String DEFAULT_IPV6_GROUP = "ff02::1";

    /** Validates and copies. */
    public IpndConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clas, "clas");
        services = List.copyOf(services);
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the beacon interval must be positive (dtn7-rs's -i 0 means: do not start discovery)");
        }
        checkPort(port, "discovery port");
        checkPort(broadcastPort, "broadcast port");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("enable IPv4, IPv6 or both for discovery");
        }
        destinations = List.copyOf(destinations);
        interfaces = Set.copyOf(interfaces);
        Objects.requireNonNull(peerTimeout, "peerTimeout");
        if (peerTimeout.isNegative() || peerTimeout.isZero()) {
            throw new IllegalArgumentException("the peer timeout must be positive");
        }
        if (maxBeaconSize < 16 || maxBeaconSize > 65_507) {
            throw new IllegalArgumentException("maxBeaconSize " + maxBeaconSize + " is outside 16..65507");
        }
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is outside 0..65535");
        }
    }

    /** {@return the destinations actually used: the configured ones, or dtn7-rs's defaults for the enabled families} */
    public List<InetSocketAddress> effectiveDestinations() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress d : destinations) {
            boolean v6 = d.getAddress() instanceof java.net.Inet6Address;
            if (v6 ? ipv6 : ipv4) {
                out.add(d);
            }
        }
        if (destinations.isEmpty()) {
            if (ipv4) {
                out.add(new InetSocketAddress(literal(DEFAULT_IPV4_GROUP), DEFAULT_PORT));
            }
            if (ipv6) {
                out.add(new InetSocketAddress(literal(DEFAULT_IPV6_GROUP), DEFAULT_PORT));
            }
        }
        return out;
    }

    /**
     * Parses a destination as dtn7-rs's {@code -E} does: {@code ip} or {@code ip:port} ({@code [v6]:port} for
     * IPv6); a missing port becomes 3003. Only IP literals are accepted (no DNS lookups).
     *
     * @param text the destination text
     * @return the socket address
     */
    public static InetSocketAddress parseDestination(String text) {
        String t = text.strip();
        String host = t;
        int port = DEFAULT_PORT;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("destination " + text + " lacks the closing ]");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("destination " + text + " has junk after ]");
                }
                port = parsePort(rest.substring(1), text);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = parsePort(t.substring(t.indexOf(':') + 1), text);
        }
        return new InetSocketAddress(literal(host), port);
    }

    private static int parsePort(String s, String whole) {
        try {
            int p = Integer.parseInt(s);
            checkPort(p, "port");
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("destination " + whole + " has an invalid port \"" + s + "\"");
        }
    }

    private static InetAddress literal(String host) {
        if (!Sockets.isIpLiteral(host)) {
            throw new IllegalArgumentException("\"" + host + "\" is not an IP address literal");
        }
        try {
            return InetAddress.getByName(host); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + host + "\" is not a valid IP address: " + e.getMessage());
        }
    }

    /**
     * A builder with dtn7-rs's defaults.
     *
     * @param nodeId the ID of the node whose beacons are sent
     * @return the builder
     */
    public static Builder builder(EndpointId nodeId) {
        return new Builder(nodeId);
    }

    /** Builds an {@link IpndConfig}; every setter is optional. */
    public static final class Builder {
        private final EndpointId nodeId;
        private Supplier<List<ClaAdvertisement>> clas = List::of;
        private List<BeaconService> services = List.of();
        private Duration interval = DEFAULT_INTERVAL;
        private boolean announcePeriod = true;
        private int port = DEFAULT_PORT;
        private boolean ipv4 = true;
        private boolean ipv6 = false;
        private final List<InetSocketAddress> destinations = new ArrayList<>();
        private boolean subnetBroadcast = false;
        private int broadcastPort = DEFAULT_PORT;
        private final Set<String> interfaces = new LinkedHashSet<>();
        private Duration peerTimeout = DEFAULT_PEER_TIMEOUT;
        private boolean multicastLoopback = true;
        private int maxBeaconSize = 65_507;

        private Builder(EndpointId nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        }

        /**
         * A fixed list of CLAs to advertise.
         *
         * @param list the CLAs
         * @return this builder
         */
        public Builder clas(List<ClaAdvertisement> list) {
            List<ClaAdvertisement> copy = List.copyOf(list);
            this.clas = () -> copy;
            return this;
        }

        /**
         * CLAs to advertise, asked for at every beacon round.
         *
         * @param supplier gives the CLAs to advertise
         * @return this builder
         */
        public Builder clas(Supplier<List<ClaAdvertisement>> supplier) {
            this.clas = Objects.requireNonNull(supplier);
            return this;
        }

        /**
         * Services to advertise.
         *
         * @param list the services
         * @return this builder
         */
        public Builder services(List<BeaconService> list) {
            this.services = List.copyOf(list);
            return this;
        }

        /**
         * Beacon interval (default 2 s).
         *
         * @param d the interval
         * @return this builder
         */
        public Builder interval(Duration d) {
            this.interval = d;
            return this;
        }

        /**
         * Whether beacons carry the period (default true).
         *
         * @param b true to carry the period
         * @return this builder
         */
        public Builder announcePeriod(boolean b) {
            this.announcePeriod = b;
            return this;
        }

        /**
         * Listening port (default 3003; 0 = ephemeral).
         *
         * @param p the UDP port
         * @return this builder
         */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /**
         * IPv4 on/off (default on).
         *
         * @param b true to use IPv4
         * @return this builder
         */
        public Builder ipv4(boolean b) {
            this.ipv4 = b;
            return this;
        }

        /**
         * IPv6 on/off (default off, as in dtn7-rs).
         *
         * @param b true to use IPv6
         * @return this builder
         */
        public Builder ipv6(boolean b) {
            this.ipv6 = b;
            return this;
        }

        /**
         * Adds a destination (replaces the defaults once any is added).
         *
         * @param d the destination address
         * @return this builder
         */
        public Builder destination(InetSocketAddress d) {
            this.destinations.add(Objects.requireNonNull(d));
            return this;
        }

        /**
         * Adds a destination in dtn7-rs's {@code -E} syntax.
         *
         * @param d the destination, {@code ip} or {@code ip:port}
         * @return this builder
         */
        public Builder destination(String d) {
            return destination(parseDestination(d));
        }

        /**
         * Also broadcast to every allowed IPv4 interface's subnet (default off).
         *
         * @param b true to broadcast to the subnets
         * @return this builder
         */
        public Builder subnetBroadcast(boolean b) {
            this.subnetBroadcast = b;
            return this;
        }

        /**
         * Port for subnet broadcasts (default 3003).
         *
         * @param p the UDP port
         * @return this builder
         */
        public Builder broadcastPort(int p) {
            this.broadcastPort = p;
            return this;
        }

        /**
         * Adds an interface to the allow-list.
         *
         * @param name the interface name, e.g. {@code eth0}
         * @return this builder
         */
        public Builder allowInterface(String name) {
            this.interfaces.add(Objects.requireNonNull(name));
            return this;
        }

        /**
         * Expiry for peers without a period (default 20 s).
         *
         * @param d the expiry
         * @return this builder
         */
        public Builder peerTimeout(Duration d) {
            this.peerTimeout = d;
            return this;
        }

        /**
         * Multicast loopback (default on, unlike dtn7-rs: several nodes on one host then find each other; the
         * node's own beacons coming back are recognised by node ID and ignored).
         *
         * @param b true for multicast loopback
         * @return this builder
         */
        public Builder multicastLoopback(boolean b) {
            this.multicastLoopback = b;
            return this;
        }

        /**
         * Largest accepted datagram.
         *
         * @param n the size in bytes
         * @return this builder
         */
        public Builder maxBeaconSize(int n) {
            this.maxBeaconSize = n;
            return this;
        }

        /** {@return the validated configuration} */
        public IpndConfig build() {
            return new IpndConfig(nodeId, clas, services, interval, announcePeriod, port, ipv4, ipv6, destinations,
                    subnetBroadcast, broadcastPort, interfaces, peerTimeout, multicastLoopback, maxBeaconSize);
        }
    }
}
