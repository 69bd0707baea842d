package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * dtn7-go's own neighbour discovery, so that dtn7-go 0.10 nodes (which have no static peers and send only to nodes
 * they discovered) send to this node, and this node learns them: every interval the service multicasts this
 * node's MTCP (and TCPCLv4) listeners as {@link Dtn7GoAnnouncement}s to 224.23.23.23:35039 on the chosen IPv4
 * interfaces, and it reports every node announced to it to a {@link DiscoveryListener}, at the address the
 * datagram came from. A node not heard for the peer timeout expires.
 *
 * <p>Multicast goes only to the interfaces named in {@link Config#interfaces()}; with none named, to every IPv4
 * interface that is up and can multicast (as dtn7-go does). A loopback interface must be named to be used; then it
 * carries multicast even without the MULTICAST flag (Linux's {@code lo}). Malformed datagrams are counted and
 * dropped; this node's own announcements are ignored.
 */
public final class Dtn7GoDiscovery implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Dtn7GoDiscovery.class.getName());

    /** dtn7-go's discovery group and port. */
    public static final InetSocketAddress DEFAULT_GROUP = new InetSocketAddress("224.23.23.23", 35039);

    /**
     * What the service announces and where.
     *
     * @param nodeId      this node's ID
     * @param clas        this node's listening CLAs, asked before every announcement; only {@code mtcp} and
     *                    {@code tcp} are announced (dtn7-go can use nothing else of dtn7j)
     * @param interfaces  names of the interfaces to use; empty = every IPv4 interface that is up and can multicast
     * @param group       multicast group and port ({@link #DEFAULT_GROUP})
     * @param interval    time between announcements (dtn7-go: 2 s)
     * @param peerTimeout how long a node stays known without an announcement
     */
    public record Config(EndpointId nodeId, Supplier<List<ClaAdvertisement>> clas, List<String> interfaces,
                         InetSocketAddress group, Duration interval, Duration peerTimeout) {

        /** Validates and copies. */
        public Config {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(clas, "clas");
            interfaces = List.copyOf(interfaces);
            Objects.requireNonNull(group, "group");
            if (group.isUnresolved() || !(group.getAddress() instanceof Inet4Address)
                    || !group.getAddress().isMulticastAddress()) {
                throw new IllegalArgumentException("the dtn7-go discovery group " + group
                        + " is not an IPv4 multicast address (dtn7-go uses " + DEFAULT_GROUP + ")");
            }
            if (interval.isNegative() || interval.isZero() || peerTimeout.compareTo(interval) <= 0) {
                throw new IllegalArgumentException("interval must be positive and peerTimeout longer than it, got "
                        + interval + " and " + peerTimeout);
            }
        }

        /**
         * dtn7-go's defaults: group 224.23.23.23:35039, every 2 s, peers expire after 10 s, every interface.
         *
         * @param nodeId this node's ID
         * @param clas   this node's listening CLAs
         * @return the configuration
         */
        public static Config of(EndpointId nodeId, Supplier<List<ClaAdvertisement>> clas) {
            return new Config(nodeId, clas, List.of(), DEFAULT_GROUP, Duration.ofSeconds(2), Duration.ofSeconds(10));
        }

        /**
         * A copy using only the named interfaces.
         *
         * @param names the interfaces to use (e.g. {@code lo})
         * @return a copy using only those interfaces
         */
        public Config withInterfaces(String... names) {
            return new Config(nodeId, clas, List.of(names), group, interval, peerTimeout);
        }

        /**
         * A copy using another group or port.
         *
         * @param g another group or port (tests use a free port)
         * @return a copy using that group
         */
        public Config withGroup(InetSocketAddress g) {
            return new Config(nodeId, clas, interfaces, g, interval, peerTimeout);
        }

        /**
         * A copy with other timing.
         *
         * @param every       time between announcements
         * @param expireAfter how long a node stays known without an announcement
         * @return a copy with those times
         */
        public Config withTiming(Duration every, Duration expireAfter) {
            return new Config(nodeId, clas, interfaces, group, every, expireAfter);
        }
    }

    private final Config config;
    private final DiscoveryListener listener;
    private final DatagramChannel channel;
    private final List<NetworkInterface> interfaces;
    private final ScheduledExecutorService timer;
    private final Thread receiver;
    private final Map<EndpointId, Instant> peers = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean closed;

    private Dtn7GoDiscovery(Config config, DiscoveryListener listener) throws IOException {
        this.config = config;
        this.listener = listener;
        this.interfaces = chooseInterfaces(config.interfaces());
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true); // dtn7-go on the same host binds it too
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            ch.bind(new InetSocketAddress(config.group().getPort()));
            for (NetworkInterface ni : interfaces) {
                ch.join(config.group().getAddress(), ni);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.channel = ch;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("dtn7go-discovery-" + config.nodeId()).unstarted(r));
        this.receiver = Thread.ofVirtual().name("dtn7go-discovery-receive").unstarted(this::receiveLoop);
    }

    /**
     * Joins the group on the chosen interfaces and starts announcing and listening.
     *
     * @param config   what to announce and where
     * @param listener told about announced and expired nodes
     * @return the running service
     * @throws IOException if the port cannot be bound, the group not joined, or a named interface does not exist
     */
    public static Dtn7GoDiscovery start(Config config, DiscoveryListener listener) throws IOException {
        Dtn7GoDiscovery d = new Dtn7GoDiscovery(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(listener, "listener"));
        d.receiver.start();
        long ms = config.interval().toMillis();
        d.timer.scheduleAtFixedRate(d::round, 0, ms, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "dtn7-go discovery of " + config.nodeId() + " on " + config.group() + " via "
                + d.interfaces.stream().map(NetworkInterface::getName).toList());
        return d;
    }

    private static List<NetworkInterface> chooseInterfaces(List<String> names) throws IOException {
        List<NetworkInterface> out = new ArrayList<>();
        if (!names.isEmpty()) {
            for (String n : names) {
                NetworkInterface ni = NetworkInterface.getByName(n);
                if (ni == null || !ni.isUp() || !hasIpv4(ni)) {
                    throw new IOException("dtn7-go discovery: no IPv4 interface named '" + n + "' is up; interfaces: "
                            + Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                            .map(NetworkInterface::getName).toList());
                }
                out.add(ni);
            }
            return out;
        }
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback() && ni.supportsMulticast() && hasIpv4(ni)) {
                out.add(ni);
            }
        }
        if (out.isEmpty()) {
            throw new IOException("dtn7-go discovery: no IPv4 interface that is up can multicast; name one (e.g. lo)");
        }
        return out;
    }

    private static boolean hasIpv4(NetworkInterface ni) {
        return ni.inetAddresses().anyMatch(a -> a instanceof Inet4Address);
    }

    /** {@return the announcements this node sends now, from its current CLAs} */
    public List<Dtn7GoAnnouncement> announcements() {
        List<Dtn7GoAnnouncement> out = new ArrayList<>();
        for (ClaAdvertisement c : config.clas().get()) {
            if (c.port() != null && c.port() > 0) {
                Dtn7GoAnnouncement.claType(c.name())
                        .ifPresent(t -> out.add(new Dtn7GoAnnouncement(t, config.nodeId(), c.port())));
            }
        }
        return out;
    }

    /** {@return the node IDs currently known, each with when it was last announced} */
    public Map<EndpointId, Instant> peers() {
        return Map.copyOf(peers);
    }

    /** {@return the number of announcement datagrams sent (one per interface and round)} */
    public long sent() {
        return sent.get();
    }

    /** {@return the number of announcements of other nodes taken (one per node and datagram)} */
    public long accepted() {
        return accepted.get();
    }

    /** {@return the number of datagrams dropped because they were not dtn7-go discovery messages} */
    public long rejected() {
        return rejected.get();
    }

    private void round() {
        if (closed) {
            return;
        }
        try {
            List<Dtn7GoAnnouncement> own = announcements();
            if (!own.isEmpty()) {
                byte[] msg = Dtn7GoAnnouncement.encode(own);
                for (NetworkInterface ni : interfaces) {
                    try {
                        synchronized (channel) {
                            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
                            channel.send(ByteBuffer.wrap(msg), config.group());
                        }
                        sent.incrementAndGet();
                    } catch (IOException e) {
                        if (!closed) {
                            LOG.log(Level.DEBUG, "dtn7-go discovery: cannot send on " + ni.getName() + ": " + e);
                        }
                    }
                }
            }
            Instant limit = Instant.now().minus(config.peerTimeout());
            for (Map.Entry<EndpointId, Instant> e : peers.entrySet()) {
                if (e.getValue().isBefore(limit) && peers.remove(e.getKey(), e.getValue())) {
                    notifyListener(() -> listener.peerExpired(e.getKey()));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dtn7-go discovery round failed", e);
        }
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(Dtn7GoAnnouncement.MAX_DATAGRAM + 1);
        while (!closed) {
            SocketAddress from;
            try {
                buf.clear();
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.DEBUG, "dtn7-go discovery: receive failed: " + e);
                }
                continue;
            }
            buf.flip();
            handle(buf.array(), buf.remaining(), (InetSocketAddress) from);
        }
    }

    /** Takes one datagram: decodes it and reports the nodes it announces (package-private for tests). */
    void handle(byte[] data, int length, InetSocketAddress from) {
        List<Dtn7GoAnnouncement> list;
        try {
            list = Dtn7GoAnnouncement.decode(data, 0, length);
        } catch (BeaconDecodeException e) {
            rejected.incrementAndGet();
            LOG.log(Level.DEBUG, "dtn7-go discovery: dropped a datagram from " + from + ": " + e.getMessage());
            return;
        }
        String host = hostOf(from.getAddress());
        Map<EndpointId, List<DiscoveredAddress>> byNode = new LinkedHashMap<>();
        for (Dtn7GoAnnouncement a : list) {
            if (a.nodeId().equals(config.nodeId())) {
                continue; // our own, looped back
            }
            List<DiscoveredAddress> addresses = byNode.computeIfAbsent(a.nodeId(), k -> new ArrayList<>());
            a.claName().ifPresent(cla -> addresses.add(new DiscoveredAddress(cla, host, a.port())));
        }
        Instant now = Instant.now();
        byNode.forEach((node, addresses) -> {
            accepted.incrementAndGet();
            peers.put(node, now);
            notifyListener(() -> listener.peerSeen(node, List.copyOf(addresses)));
        });
    }

    /**
     * The address to reach a node at: the datagram's source, except that a source of 0.0.0.0 means this host
     * (Linux sends multicast from 0.0.0.0 when the chosen interface, such as {@code lo} in a namespace of its own,
     * has no address of link scope), so it becomes 127.0.0.1.
     */
    static String hostOf(InetAddress source) {
        if (source.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return source.getHostAddress();
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dtn7-go discovery listener failed", e);
        }
    }

    /** Stops announcing and listening; known nodes are not reported as expired. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "dtn7-go discovery: close: " + e);
        }
        receiver.interrupt();
    }

    @Override
    public String toString() {
        return "Dtn7GoDiscovery[" + config.nodeId() + " on " + config.group() + " via "
                + interfaces.stream().map(NetworkInterface::getName).toList() + "]";
    }
}
