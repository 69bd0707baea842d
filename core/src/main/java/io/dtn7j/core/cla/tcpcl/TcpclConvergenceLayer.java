package io.dtn7j.core.cla.tcpcl;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.Deadline;
import io.dtn7j.core.cla.IoWatchdog;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.Sockets;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessTerm;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code tcp}: the TCP convergence layer protocol version 4 (RFC 9174), standard port {@value #DEFAULT_PORT}.
 * Keeps one session per peer and reuses it for every transfer: an outgoing session per peer address, and a
 * session the peer opened to this node is used for sending to it as well (found by the peer's node ID from its
 * SESS_INIT, see {@link #send(ClaPeer, OutgoingBundle)}, or by the connection's remote address). Accepts any
 * number of inbound sessions up to {@link ClaOptions#maxSessions()} (more are answered with SESS_TERM "busy").
 * TLS is used when {@link ClaOptions#sslContext()} is set and the peer can do it; the peer's node ID must then
 * match its certificate. A bundle whose transfer could not start because its session was terminating goes over
 * a new session once.
 */
public final class TcpclConvergenceLayer implements ConvergenceLayer {

    /** The IANA port for TCPCL. */
    public static final int DEFAULT_PORT = 4556;

    private static final System.Logger LOG = System.getLogger(TcpclConvergenceLayer.class.getName());

    private final ClaOptions options;
    private final Map<ClaAddress, TcpclSession> outbound = new ConcurrentHashMap<>();
    private final Map<ClaAddress, ReentrantLock> connectLocks = new ConcurrentHashMap<>();
    private final Set<TcpclSession> inbound = ConcurrentHashMap.newKeySet();
    private final Map<ClaAddress, TcpclSession> inboundByAddress = new ConcurrentHashMap<>();
    private final Map<String, TcpclSession> byNode = new ConcurrentHashMap<>();
    /** Node keys learned from SESS_INITs of outgoing sessions, by the address connected to. */
    private final Map<ClaAddress, String> nodeAt = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Semaphore sessionPermits;
    /**
     * Refusals ("busy") in progress, each a socket and a thread for up to the connect timeout: bounded, so that a
     * flood of connections past maxSessions cannot take the file descriptors; past it a connection is closed at once.
     */
    private final Semaphore refusalPermits = new Semaphore(BUSY_REFUSALS);
    static final int BUSY_REFUSALS = 16;
    private volatile ServerSocket server;
    private volatile IoWatchdog watchdog;
    private volatile ClaContext context;

    /**
     * A TCPCLv4 CLA; nothing runs until it is started.
     *
     * @param options the options (TLS via {@link ClaOptions#sslContext()})
     */
    public TcpclConvergenceLayer(ClaOptions options) {
        this.options = options;
        this.sessionPermits = new Semaphore(options.maxSessions());
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public void start(ClaContext ctx) throws IOException {
        if (server != null) {
            throw new IllegalStateException("tcp CLA already started");
        }
        context = ctx;
        server = Sockets.listen(options.bindHost(), options.portOr(DEFAULT_PORT), options.socketBufferSize());
        // the frame timeout is the shortest limit a session reads under (idle limits derive from the keepalive)
        watchdog = new IoWatchdog("tcpcl", IoWatchdog.tickFor(options.frameTimeout()));
        Thread.ofVirtual().name("tcpcl-accept-" + server.getLocalPort()).start(this::acceptLoop);
        LOG.log(Level.INFO, "tcp (TCPCLv4{0}) listening on {1}", options.sslContext() != null ? ", TLS" : "",
                server.getLocalSocketAddress());
    }

    @Override
    public int port() {
        ServerSocket s = server;
        return s == null ? 0 : s.getLocalPort();
    }

    @Override
    public long maxBundleSize() {
        return options.maxBundleSize();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.log(Level.WARNING, "tcp: accept failed: {0}", e.getMessage());
                }
                continue;
            }
            // slots are taken here, in the order connections arrive, not by whichever handshake thread runs first
            ClaAddress from = new ClaAddress("tcp", socket.getInetAddress().getHostAddress(), socket.getPort());
            boolean admitted = sessionPermits.tryAcquire();
            if (!admitted && !refusalPermits.tryAcquire()) {
                LOG.log(Level.DEBUG, "tcp: closing connection from {0}: {1} sessions open and {2} refusals under way",
                        from, options.maxSessions(), BUSY_REFUSALS);
                Sockets.closeQuietly(socket);
                continue;
            }
            Thread.ofVirtual().name("tcpcl-handshake-" + socket.getRemoteSocketAddress())
                    .start(() -> {
                        if (admitted) {
                            accept(socket, from);
                        } else {
                            try {
                                refuseBusy(socket, from);
                            } finally {
                                refusalPermits.release();
                            }
                        }
                    });
        }
    }

    /** {@return inbound session slots free now (for tests)} */
    int freeSessionSlots() {
        return sessionPermits.availablePermits();
    }

    /** Establishes an inbound session on a connection that holds a session permit (released when it ends). */
    private void accept(Socket socket, ClaAddress from) {
        try {
            TcpclSession session = TcpclSession.establish(socket, false, from, options, context, s -> {
                inbound.remove(s);
                inboundByAddress.remove(s.peer().address(), s);
                forget(s);
                sessionPermits.release();
            }, watchdog);
            inbound.add(session);
            inboundByAddress.put(session.peer().address(), session);
            remember(session);
            if (session.ended()) {
                inbound.remove(session); // it ended before it was registered
                inboundByAddress.remove(session.peer().address(), session);
                forget(session);
            }
            if (closed.get()) {
                session.close();
            }
        } catch (IOException e) {
            sessionPermits.release();
            LOG.log(Level.INFO, "tcp: inbound session from {0} refused: {1}", from, e.getMessage());
        }
    }

    private void refuseBusy(Socket socket, ClaAddress from) {
        LOG.log(Level.WARNING, "tcp: refusing session from {0}: {1} sessions open (maxSessions)", from,
                options.maxSessions());
        // the whole refusal within connectTimeout, however slowly the peer sends its contact header
        Deadline.after(options.connectTimeout(), () -> Sockets.closeQuietly(socket));
        try (socket) {
            socket.setSoTimeout((int) options.connectTimeout().toMillis());
            socket.getOutputStream().write(ContactHeader.v4(false).encode());
            byte[] header = socket.getInputStream().readNBytes(ContactHeader.LENGTH);
            if (header.length == ContactHeader.LENGTH) {
                ContactHeader.decode(header);
                socket.getOutputStream().write(new SessTerm(0, SessTerm.REASON_BUSY).encode());
                socket.getOutputStream().flush();
            }
        } catch (IOException ignored) {
            // the peer learns nothing more
        }
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        if (closed.get()) {
            throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, "tcp CLA is closed");
        }
        if (bundle.encoded().size() > options.maxBundleSize()) {
            throw new TransmissionException(TransmissionException.Reason.TOO_LARGE, "bundle " + bundle.id() + " has "
                    + bundle.encoded().size() + " bytes, more than the configured maximum " + options.maxBundleSize());
        }
        transfer(normalize(to), null, bundle);
    }

    /**
     * Sends to a peer whose node ID is known: a usable session at its address is used first, then one with that node
     * found by its node ID (also one the peer opened to this node), if that session may carry the node's bundles (see
     * {@link #mayCarryFor}); otherwise as {@link #send(ClaAddress, OutgoingBundle)} to its address.
     *
     * @param to     the peer's address and node ID
     * @param bundle the bundle
     * @throws TransmissionException as {@link #send(ClaAddress, OutgoingBundle)}
     */
    @Override
    public void send(ClaPeer to, OutgoingBundle bundle) throws TransmissionException {
        if (to.nodeId() == null) {
            send(to.address(), bundle);
            return;
        }
        if (closed.get()) {
            throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, "tcp CLA is closed");
        }
        if (bundle.encoded().size() > options.maxBundleSize()) {
            throw new TransmissionException(TransmissionException.Reason.TOO_LARGE, "bundle " + bundle.id() + " has "
                    + bundle.encoded().size() + " bytes, more than the configured maximum " + options.maxBundleSize());
        }
        ClaAddress address = normalize(to.address());
        TcpclSession s = atAddress(address);
        if (s == null) {
            s = byNode.get(nodeKey(to.nodeId()));
        }
        transfer(address, mayCarryFor(s, address) ? s : null, bundle);
    }

    /** {@return the usable session this node opened to {@code address}, or the peer opened from it; else null} */
    private TcpclSession atAddress(ClaAddress address) {
        TcpclSession s = outbound.get(address);
        if (s != null && s.usable()) {
            return s;
        }
        s = inboundByAddress.get(address);
        return s != null && s.usable() ? s : null;
    }

    /**
     * Whether a session may carry bundles for the node reached at {@code address}: it is at that address, or this node
     * opened it, or its node ID was authenticated by TLS, or it comes from the same host. Without TLS a node ID in
     * SESS_INIT is only a claim (RFC 9174 §4.4.3), so a session from another host claiming a node's ID does not take
     * that node's traffic; such a peer still gets what is addressed to it, at its own address.
     */
    private static boolean mayCarryFor(TcpclSession s, ClaAddress address) {
        if (s == null || !s.usable()) {
            return false;
        }
        ClaAddress from = s.peer().address();
        return from.equals(address) || s.active() || s.negotiated().nodeIdAuthenticated()
                || Sockets.sameHost(from.host(), address.host());
    }

    /** How far a session's node ID can be trusted: 2 authenticated by TLS, 1 this node connected, 0 only claimed. */
    private static int trust(TcpclSession s) {
        return s.negotiated().nodeIdAuthenticated() ? 2 : s.active() ? 1 : 0;
    }

    private static ClaAddress normalize(ClaAddress to) {
        return to.port() != 0 && to.cla().equals("tcp") ? to : new ClaAddress("tcp", to.host(), to.portOr(DEFAULT_PORT));
    }

    /** Sends over {@code preferred} (or the session for {@code address}); once more over a new one if it was ending. */
    private void transfer(ClaAddress address, TcpclSession preferred, OutgoingBundle bundle)
            throws TransmissionException {
        TcpclSession s = preferred != null ? preferred : session(address);
        try {
            s.transferOrRedirect(bundle);
        } catch (TcpclSession.NotStartedException first) {
            try {
                session(address).transferOrRedirect(bundle);
            } catch (TcpclSession.NotStartedException again) {
                throw new TransmissionException(TransmissionException.Reason.PEER_CLOSED, again.getMessage(), again);
            }
        }
    }

    private static String nodeKey(EndpointId nodeId) {
        return (nodeId.schemeCode() == EndpointId.SCHEME_DTN ? "dtn:" : "ipn:") + nodeId.nodeName();
    }

    /**
     * Makes {@code s} the session for its node ID, unless a usable one whose node ID is better trusted holds that
     * place: a peer that merely claims a node's ID does not displace that node's authenticated or outgoing session.
     */
    private void remember(TcpclSession s) {
        if (s.peer().nodeId() != null) {
            byNode.merge(nodeKey(s.peer().nodeId()), s,
                    (held, next) -> held.usable() && trust(held) > trust(next) ? held : next);
        }
    }

    private void forget(TcpclSession s) {
        if (s.peer().nodeId() == null) {
            return;
        }
        String key = nodeKey(s.peer().nodeId());
        if (byNode.remove(key, s)) {
            for (TcpclSession other : sessions()) { // another session with the same node takes its place
                if (other != s && other.usable() && key.equals(nodeKey(other.peer().nodeId()))) {
                    byNode.putIfAbsent(key, other);
                    break;
                }
            }
        }
    }

    /**
     * The usable session to {@code address}: the outgoing one, or one the peer opened from that address;
     * connects when there is none.
     */
    TcpclSession session(ClaAddress address) throws TransmissionException {
        TcpclSession s = atAddress(address);
        if (s != null) {
            return s;
        }
        String node = nodeAt.get(address);
        if (node != null) { // the node once reached at this address has a session now (e.g. it connected here)
            s = byNode.get(node);
            if (mayCarryFor(s, address)) {
                return s;
            }
        }
        ClaAddress key = address;
        ReentrantLock lock = connectLocks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            s = outbound.get(key);
            if (s != null && s.usable()) {
                return s;
            }
            Socket socket = Sockets.connect(address, address.port(), options.connectTimeout(),
                    options.socketBufferSize());
            try {
                TcpclSession created = TcpclSession.establish(socket, true, address, options, context, ended -> {
                    outbound.remove(key, ended);
                    forget(ended);
                }, watchdog);
                outbound.put(key, created);
                remember(created);
                if (created.peer().nodeId() != null) {
                    nodeAt.put(key, nodeKey(created.peer().nodeId()));
                }
                if (created.ended()) {
                    outbound.remove(key, created);
                    forget(created);
                }
                if (closed.get()) {
                    created.close();
                    throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, "tcp CLA is closed");
                }
                return created;
            } catch (IOException e) {
                throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@return sessions currently open (inbound and outbound); for tests and metrics} */
    public List<TcpclSession> sessions() {
        List<TcpclSession> all = new java.util.ArrayList<>(inbound);
        all.addAll(outbound.values());
        return all;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Sockets.closeQuietly(server);
        List<TcpclSession> all = sessions();
        all.forEach(s -> Thread.ofVirtual().start(s::close));
        for (TcpclSession s : all) {
            try {
                s.awaitEnd(java.time.Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        outbound.clear();
        if (watchdog != null) {
            watchdog.close();
        }
    }
}
