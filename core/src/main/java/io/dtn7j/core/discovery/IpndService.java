package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * IP neighbour discovery as dtn7-rs does it: sends a {@link Beacon} naming this node's convergence layers every
 * interval to multicast, broadcast or unicast destinations, listens for beacons of other nodes on the same UDP
 * port, reports peers to a {@link DiscoveryListener} and expires them when their beacons stop (after twice their
 * announced period, else after the configured peer timeout).
 *
 * <p>Bad datagrams are counted per reason ({@link #statistics()}) and dropped; nothing a datagram contains can stop
 * the service. Beacons carrying this node's own ID are ignored. Start with {@link #start}; {@link #close()} stops
 * sending and receiving and forgets all peers (without reporting them expired).
 */
public final class IpndService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(IpndService.class.getName());

    private final IpndConfig config;
    private final DiscoveryListener listener;
    private final DatagramChannel v4;
    private final DatagramChannel v6;
    private final int port;
    private final ScheduledExecutorService timer;
    private final List<Thread> receivers = new ArrayList<>();
    private final List<InetSocketAddress> extraDestinations = new CopyOnWriteArrayList<>();
    private final Map<String, Long> sequenceNumbers = new HashMap<>();      // timer thread only
    private final Set<String> joined = new HashSet<>();                     // timer thread only
    private final Map<EndpointId, PeerState> peers = new ConcurrentHashMap<>();
    private final ReentrantLock listenerLock = new ReentrantLock();
    private volatile List<NetworkInterface> allowedInterfaces = List.of();
    private volatile boolean closed;
    private boolean warnedSize;                                             // timer thread only
    /** dtn7zero on MicroPython reads beacons into a 256-byte buffer. */
    static final int MICROPYTHON_MAX_BEACON = 256;
    /** Most peers kept; beacons of further new node IDs are ignored until some expire. */
    static final int MAX_PEERS = 4096;
    /** Longest a beacon keeps a peer (unless the configured peer timeout is longer). */
    static final Duration MAX_PEER_TIMEOUT = Duration.ofDays(1);
    private final AtomicLong tableFull = new AtomicLong();

    private final AtomicLong beaconsSent = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong beaconsAccepted = new AtomicLong();
    private final AtomicLong ownIgnored = new AtomicLong();
    private final AtomicLong notAllowed = new AtomicLong();
    private final AtomicLong discovered = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final Map<BeaconDecodeException.Reason, AtomicLong> dropped = new EnumMap<>(BeaconDecodeException.Reason.class);

    private record PeerState(List<DiscoveredAddress> addresses, InetSocketAddress source, Beacon beacon,
                             long lastSeenNanos, Instant lastSeen, Duration timeout, long count) {
    }

    private IpndService(IpndConfig config, DiscoveryListener listener) throws IOException {
        this.config = config;
        this.listener = listener;
        for (BeaconDecodeException.Reason r : BeaconDecodeException.Reason.values()) {
            dropped.put(r, new AtomicLong());
        }
        DatagramChannel c4 = null;
        DatagramChannel c6 = null;
        try {
            int bound = config.port();
            if (config.ipv4()) {
                c4 = open(StandardProtocolFamily.INET, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), bound));
                bound = ((InetSocketAddress) c4.getLocalAddress()).getPort();
            }
            if (config.ipv6()) {
                c6 = open(StandardProtocolFamily.INET6, new InetSocketAddress(InetAddress.getByName("::"), bound));
                bound = ((InetSocketAddress) c6.getLocalAddress()).getPort();
            }
            this.port = bound;
        } catch (IOException | RuntimeException e) {
            closeQuietly(c4);
            closeQuietly(c6);
            throw new IOException("cannot open the IPND socket on UDP port " + config.port() + ": " + e.getMessage(), e);
        }
        this.v4 = c4;
        this.v6 = c6;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ipnd-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the sockets, joins the multicast groups, sends the first beacon round and starts the receiver and
     * timer threads.
     *
     *
     * @param config what to send and where
     * @param listener told about discovered and expired peers
     * @throws IOException when the UDP port cannot be bound (e.g. in use without address reuse)
     * @return the running service
     */
    public static IpndService start(IpndConfig config, DiscoveryListener listener) throws IOException {
        IpndService s = new IpndService(Objects.requireNonNull(config, "config"), Objects.requireNonNull(listener, "listener"));
        s.begin();
        return s;
    }

    private DatagramChannel open(ProtocolFamily family, InetSocketAddress bind) throws IOException {
        DatagramChannel ch = DatagramChannel.open(family);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (family == StandardProtocolFamily.INET) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, config.multicastLoopback());
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
            ch.bind(bind);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void begin() {
        for (DatagramChannel ch : new DatagramChannel[] {v4, v6}) {
            if (ch != null) {
                Thread t = Thread.ofVirtual().name("ipnd-receive-" + (ch == v4 ? "v4" : "v6")).start(() -> receiveLoop(ch));
                receivers.add(t);
            }
        }
        long intervalMs = Math.max(1, config.interval().toMillis());
        timer.scheduleAtFixedRate(this::safeRound, 0, intervalMs, TimeUnit.MILLISECONDS);
        long checkMs = Math.max(20, Math.min(intervalMs / 2, 500));
        timer.scheduleAtFixedRate(this::safeExpire, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    /**
     * {@return the UDP port the service listens on (the actual one when the configuration asked for port 0)}
     */
    public int port() {
        return port;
    }

    /** {@return the configuration it runs with} */
    public IpndConfig config() {
        return config;
    }

    /**
     * Adds a destination at run time (e.g. a unicast peer address); it gets beacons from the next round on.
     *
     * @param destination the address to send beacons to
     */
    public void addDestination(InetSocketAddress destination) {
        extraDestinations.add(Objects.requireNonNull(destination, "destination"));
    }

    /** Sends a beacon round now, in addition to the periodic ones. */
    public void announceNow() {
        if (!closed) {
            timer.execute(this::safeRound);
        }
    }

    /** {@return the peers currently known (not expired), in no particular order} */
    public List<DiscoveredPeer> peers() {
        List<DiscoveredPeer> out = new ArrayList<>();
        peers.forEach((id, s) -> out.add(new DiscoveredPeer(id, s.addresses(), s.source(), s.beacon(), s.lastSeen(), s.timeout(), s.count())));
        return out;
    }

    /**
     * Counters since start.
     *
     * @return the counters
     */
    public IpndStatistics statistics() {
        Map<BeaconDecodeException.Reason, Long> d = new EnumMap<>(BeaconDecodeException.Reason.class);
        dropped.forEach((r, n) -> {
            if (n.get() > 0) {
                d.put(r, n.get());
            }
        });
        return new IpndStatistics(beaconsSent.get(), sendErrors.get(), beaconsAccepted.get(), ownIgnored.get(),
                notAllowed.get(), d, discovered.get(), expired.get(), tableFull.get());
    }

    /** The beacon period this service announces: the interval rounded up to whole seconds, at least 1. */
    long announcedPeriodSeconds() {
        long ms = config.interval().toMillis();
        return Math.max(1, (ms + 999) / 1000);
    }

    // ----------------------------------------------------------------------------------------------- sending

    private void safeRound() {
        if (closed) {
            return;
        }
        try {
            refreshInterfaces();
            sendRound();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "IPND beacon round failed", e);
        }
    }

    private void refreshInterfaces() {
        List<NetworkInterface> list = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (config.interfaces().isEmpty() || config.interfaces().contains(ni.getName())) {
                    list.add(ni);
                }
            }
        } catch (SocketException e) {
            LOG.log(Level.WARNING, "cannot list network interfaces: " + e.getMessage());
        }
        allowedInterfaces = List.copyOf(list);
        for (InetSocketAddress d : destinations()) {
            InetAddress group = d.getAddress();
            if (!group.isMulticastAddress()) {
                continue;
            }
            DatagramChannel ch = channelFor(group);
            if (ch == null) {
                continue;
            }
            for (NetworkInterface ni : multicastInterfaces(group)) {
                String key = group.getHostAddress() + "%" + ni.getName();
                if (joined.contains(key)) {
                    continue;
                }
                try {
                    ch.join(group, ni);
                    joined.add(key);
                    LOG.log(Level.DEBUG, "IPND joined " + group.getHostAddress() + " on " + ni.getName());
                } catch (IOException | RuntimeException e) {
                    joined.add(key); // do not retry every round
                    LOG.log(Level.DEBUG, "IPND cannot join " + group.getHostAddress() + " on " + ni.getName() + ": " + e.getMessage());
                }
            }
        }
    }

    private List<NetworkInterface> multicastInterfaces(InetAddress group) {
        List<NetworkInterface> out = new ArrayList<>();
        for (NetworkInterface ni : allowedInterfaces) {
            try {
                if (ni.isUp() && (ni.supportsMulticast() || allowListedLoopback(ni)) && hasAddressOfFamily(ni, group)) {
                    out.add(ni);
                }
            } catch (SocketException e) {
                // interface vanished: skip it
            }
        }
        return out;
    }

    /**
     * A loopback interface named in the allow-list is used for multicast although it lacks the MULTICAST flag
     * (Linux's {@code lo} has none, yet joins and sends with IP_MULTICAST_IF on it work): that is how several
     * nodes on one host find each other by multicast without touching a real network.
     */
    private boolean allowListedLoopback(NetworkInterface ni) throws SocketException {
        return ni.isLoopback() && config.interfaces().contains(ni.getName());
    }

    private static boolean hasAddressOfFamily(NetworkInterface ni, InetAddress like) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
            if (a.getClass() == like.getClass()) {
                return true;
            }
        }
        return false;
    }

    private List<InetSocketAddress> destinations() {
        List<InetSocketAddress> out = new ArrayList<>(config.effectiveDestinations());
        for (InetSocketAddress d : extraDestinations) {
            if (channelFor(d.getAddress()) != null) {
                out.add(d);
            }
        }
        return out;
    }

    private DatagramChannel channelFor(InetAddress a) {
        return a instanceof Inet6Address ? v6 : v4;
    }

    private void sendRound() {
        List<InetSocketAddress> targets = destinations();
        List<ClaAdvertisement> clas;
        try {
            clas = List.copyOf(config.clas().get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "IPND: the CLA supplier failed; advertising no CLAs", e);
            clas = List.of();
        }
        OptionalLong period = config.announcePeriod() ? OptionalLong.of(announcedPeriodSeconds()) : OptionalLong.empty();
        int size = BeaconCodec.encode(Beacon.of(config.nodeId(), Beacon.MAX_SEQUENCE_NUMBER, clas, config.services(), period)).length;
        if (size > MICROPYTHON_MAX_BEACON && !warnedSize) {
            warnedSize = true;
            LOG.log(Level.WARNING, "IPND beacons are " + size + " bytes; dtn7zero on MicroPython reads at most "
                    + MICROPYTHON_MAX_BEACON + " (advertise fewer CLAs or services)");
        }
        for (InetSocketAddress target : targets) {
            byte[] beacon = BeaconCodec.encode(Beacon.of(config.nodeId(), nextSequence(target.toString()), clas,
                    config.services(), period));
            DatagramChannel ch = channelFor(target.getAddress());
            if (target.getAddress().isMulticastAddress()) {
                List<NetworkInterface> nis = multicastInterfaces(target.getAddress());
                if (nis.isEmpty() && config.interfaces().isEmpty()) {
                    send(ch, beacon, target, null);
                }
                for (NetworkInterface ni : nis) {
                    send(ch, beacon, target, ni);
                }
            } else {
                send(ch, beacon, target, null);
            }
        }
        if (config.subnetBroadcast() && v4 != null) {
            for (NetworkInterface ni : allowedInterfaces) {
                for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                    if (ia.getBroadcast() != null) {
                        InetSocketAddress target = new InetSocketAddress(ia.getBroadcast(), config.broadcastPort());
                        byte[] beacon = BeaconCodec.encode(Beacon.of(config.nodeId(), nextSequence(target.toString()),
                                clas, config.services(), period));
                        send(v4, beacon, target, null);
                    }
                }
            }
        }
    }

    private long nextSequence(String destination) {
        long current = sequenceNumbers.getOrDefault(destination, 0L);
        sequenceNumbers.put(destination, current == Beacon.MAX_SEQUENCE_NUMBER ? 0L : current + 1);
        return current;
    }

    private void send(DatagramChannel ch, byte[] beacon, InetSocketAddress target, NetworkInterface ni) {
        try {
            if (ni != null) {
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
            }
            ch.send(ByteBuffer.wrap(beacon), target);
            beaconsSent.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            sendErrors.incrementAndGet();
            if (!closed) {
                LOG.log(Level.DEBUG, "IPND cannot send to " + target + (ni == null ? "" : " via " + ni.getName()) + ": " + e.getMessage());
            }
        }
    }

    // --------------------------------------------------------------------------------------------- receiving

    private void receiveLoop(DatagramChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(config.maxBeaconSize() + 1);
        while (!closed) {
            InetSocketAddress from;
            buf.clear();
            try {
                from = (InetSocketAddress) ch.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.DEBUG, "IPND receive failed: " + e.getMessage());
                }
                continue;
            }
            if (from == null) {
                continue;
            }
            try {
                handleDatagram(buf.array(), buf.position(), from, ch == v6);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "IPND: unexpected failure handling a datagram from " + from, e);
            }
        }
    }

    /** Processes one received datagram (package-private so tests can inject datagrams). */
    void handleDatagram(byte[] data, int length, InetSocketAddress from, boolean viaV6Socket) {
        InetAddress src = from.getAddress();
        if (viaV6Socket && v4 != null && src instanceof Inet6Address a6 && isV4Mapped(a6)) {
            return; // the IPv4 socket sees the same datagram
        }
        if (!sourceAllowed(src)) {
            notAllowed.incrementAndGet();
            return;
        }
        Beacon beacon;
        try {
            beacon = BeaconCodec.decode(data, 0, length, config.maxBeaconSize());
        } catch (BeaconDecodeException e) {
            dropped.get(e.reason()).incrementAndGet();
            LOG.log(Level.DEBUG, "IPND dropped a datagram from " + from + ": " + e.getMessage());
            return;
        }
        if (beacon.nodeId().equals(config.nodeId())) {
            ownIgnored.incrementAndGet();
            return;
        }
        beaconsAccepted.incrementAndGet();
        String host = hostText(src);
        List<DiscoveredAddress> addresses = new ArrayList<>();
        for (ClaAdvertisement cla : beacon.clas()) {
            int p = cla.port() != null ? cla.port() : DiscoveredAddress.defaultPort(cla.name());
            addresses.add(new DiscoveredAddress(cla.name(), host, p));
        }
        Duration timeout = beacon.periodSeconds().isPresent() && beacon.periodSeconds().getAsLong() > 0
                ? Duration.ofSeconds(2 * beacon.periodSeconds().getAsLong())
                : config.peerTimeout();
        // a beacon announcing an absurd period must not pin a peer for centuries
        Duration cap = config.peerTimeout().compareTo(MAX_PEER_TIMEOUT) > 0 ? config.peerTimeout() : MAX_PEER_TIMEOUT;
        if (timeout.compareTo(cap) > 0) {
            timeout = cap;
        }
        listenerLock.lock();
        try {
            if (closed) {
                return;
            }
            PeerState old = peers.get(beacon.nodeId());
            if (old == null && peers.size() >= MAX_PEERS) {
                tableFull.incrementAndGet();
                LOG.log(Level.DEBUG, "IPND peer table full (" + MAX_PEERS + "); ignoring " + beacon.nodeId());
                return;
            }
            PeerState now = new PeerState(List.copyOf(addresses), from, beacon, System.nanoTime(), Instant.now(), timeout,
                    old == null ? 1 : old.count() + 1);
            peers.put(beacon.nodeId(), now);
            if (old == null) {
                discovered.incrementAndGet();
                LOG.log(Level.INFO, "IPND discovered " + beacon.nodeId() + " at " + addresses + " (from " + from + ")");
            }
            try {
                listener.peerSeen(beacon.nodeId(), now.addresses());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "IPND listener failed on peerSeen(" + beacon.nodeId() + ")", e);
            }
        } finally {
            listenerLock.unlock();
        }
    }

    private static boolean isV4Mapped(Inet6Address a) {
        byte[] b = a.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static String hostText(InetAddress a) {
        String s = a.getHostAddress();
        // keep the zone of link-local IPv6 addresses (fe80::1%eth0), drop it otherwise
        if (a instanceof Inet6Address a6 && !a6.isLinkLocalAddress()) {
            int pct = s.indexOf('%');
            if (pct >= 0) {
                s = s.substring(0, pct);
            }
        }
        return s;
    }

    private boolean sourceAllowed(InetAddress src) {
        if (config.interfaces().isEmpty()) {
            return true;
        }
        for (NetworkInterface ni : allowedInterfaces) {
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                if (sameSubnet(src, ia.getAddress(), ia.getNetworkPrefixLength())) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean sameSubnet(InetAddress a, InetAddress b, int prefix) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return false;
        }
        int bits = Math.max(0, Math.min(prefix, x.length * 8));
        for (int i = 0; i < x.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((x[i] & mask) != (y[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------ expiry

    private void safeExpire() {
        try {
            expireNow(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "IPND expiry check failed", e);
        }
    }

    /** Expires every peer whose timeout has passed at {@code nowNanos} (System.nanoTime scale). */
    void expireNow(long nowNanos) {
        listenerLock.lock();
        try {
            if (closed) {
                return;
            }
            for (Map.Entry<EndpointId, PeerState> e : List.copyOf(peers.entrySet())) {
                PeerState s = e.getValue();
                if (nowNanos - s.lastSeenNanos() >= s.timeout().toNanos()) {
                    peers.remove(e.getKey(), s);
                    expired.incrementAndGet();
                    LOG.log(Level.INFO, "IPND peer " + e.getKey() + " expired (no beacon for " + s.timeout() + ")");
                    try {
                        listener.peerExpired(e.getKey());
                    } catch (RuntimeException ex) {
                        LOG.log(Level.WARNING, "IPND listener failed on peerExpired(" + e.getKey() + ")", ex);
                    }
                }
            }
        } finally {
            listenerLock.unlock();
        }
    }

    // ----------------------------------------------------------------------------------------------- closing

    /** Stops sending and receiving; idempotent. */
    @Override
    public void close() {
        listenerLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            listenerLock.unlock();
        }
        timer.shutdownNow();
        closeQuietly(v4);
        closeQuietly(v6);
        for (Thread t : receivers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        peers.clear();
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }

    @Override
    public String toString() {
        return "IpndService[" + config.nodeId() + ", port " + port + ", " + peers.size() + " peers]";
    }
}
