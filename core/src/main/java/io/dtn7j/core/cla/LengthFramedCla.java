package io.dtn7j.core.cla;

import io.dtn7j.bundle.ByteSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Base of the stream convergence layers whose frames are "header announcing a length, then the bundle"
 * (MTCP, STCP). A frame of length 0 is a keepalive. The receiver serves any number of frames per
 * connection (one connection per bundle, or one long connection); the sender keeps one connection per peer,
 * writes header and bundle together, and reconnects when the connection broke.
 */
public abstract class LengthFramedCla implements ConvergenceLayer {

    private static final int SMALL = 64 * 1024;
    /** Received bundles from this size on are handed to the agent on a thread of their own. */
    private static final long HAND_OFF_FROM = 64 * 1024;
    /** At most this many such hand-offs per connection run while the next bundle is read. */
    private static final int HAND_OFFS_PER_CONNECTION = 2;

    /** Logger of the concrete CLA. */
    protected final System.Logger log = System.getLogger(getClass().getName());
    /** The options. */
    protected final ClaOptions options;
    private final int standardPort;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Set<Socket> inbound = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Semaphore sessions;
    private volatile ServerSocket server;
    private volatile IoWatchdog watchdog;
    private volatile ClaContext context;

    /**
     * A CLA with the given settings; nothing runs until it is started.
     *
     * @param options      the options
     * @param standardPort the CLA's standard port, used when {@link ClaOptions#port()} is DEFAULT_PORT and for
     *                     addresses with port 0
     */
    protected LengthFramedCla(ClaOptions options, int standardPort) {
        this.options = options;
        this.standardPort = standardPort;
        this.sessions = new Semaphore(options.maxSessions());
    }

    /**
     * The frame header announcing {@code length} bytes.
     *
     * @param length the number of bytes in the frame
     * @return the encoded header
     */
    protected abstract byte[] frameHeader(long length);

    /**
     * Reads a frame header: length, 0 = keepalive, -1 = clean end of stream.
     *
     * @param in the stream to read from
     * @param maxLength the largest frame length accepted
     * @return the frame length, 0 for a keepalive, or -1 at a clean end of stream
     * @throws IOException if the stream fails, ends inside a header, or the length exceeds {@code maxLength}
     */
    protected abstract long readFrameHeader(InputStream in, long maxLength) throws IOException;

    /** {@return largest bundle the framing can express} */
    protected long framingLimit() {
        return Long.MAX_VALUE;
    }

    @Override
    public long maxBundleSize() {
        return Math.min(options.maxBundleSize(), framingLimit());
    }

    @Override
    public void start(ClaContext ctx) throws IOException {
        if (server != null) {
            throw new IllegalStateException(name() + " CLA already started");
        }
        this.context = ctx;
        server = Sockets.listen(options.bindHost(), options.portOr(standardPort), options.socketBufferSize());
        Duration shortest = options.frameTimeout().compareTo(options.idleTimeout()) < 0 ? options.frameTimeout()
                : options.idleTimeout();
        watchdog = new IoWatchdog(name(), IoWatchdog.tickFor(shortest));
        Thread.ofVirtual().name(name() + "-accept-" + server.getLocalPort()).start(this::acceptLoop);
        log.log(Level.INFO, "{0} listening on {1}", name(), server.getLocalSocketAddress());
    }

    @Override
    public int port() {
        ServerSocket s = server;
        return s == null ? 0 : s.getLocalPort();
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!closed.get()) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    log.log(Level.WARNING, "{0}: accept failed: {1}", name(), e.getMessage());
                }
                continue;
            }
            if (!sessions.tryAcquire()) {
                log.log(Level.WARNING, "{0}: refusing connection from {1}: {2} connections open (maxSessions)",
                        name(), socket.getRemoteSocketAddress(), options.maxSessions());
                Sockets.closeQuietly(socket);
                continue;
            }
            inbound.add(socket);
            Thread.ofVirtual().name(name() + "-in-" + socket.getRemoteSocketAddress()).start(() -> {
                try {
                    serve(socket);
                } finally {
                    inbound.remove(socket);
                    sessions.release();
                    Sockets.closeQuietly(socket);
                }
            });
        }
    }

    private void serve(Socket socket) {
        ClaPeer peer = new ClaPeer(new ClaAddress(name(), socket.getInetAddress().getHostAddress(), socket.getPort()),
                null);
        // large bundles of this connection being handed to the agent while the next one is read (bounds the heap)
        Semaphore handOffs = new Semaphore(HAND_OFFS_PER_CONNECTION);
        try {
            Sockets.tune(socket, options.socketBufferSize());
            TimedInput in = new TimedInput(socket, socket.getInputStream(), options.frameTimeout(), watchdog)
                    .minRate(options.minRate());
            while (!closed.get()) {
                if (!in.awaitFrame(options.idleTimeout())) {
                    return; // peer closed between frames: normal for connection-per-bundle senders
                }
                in.beginFrame(0);
                long length = readFrameHeader(in, maxBundleSize());
                if (length < 0) {
                    return;
                }
                if (length == 0) {
                    in.endFrame();
                    continue; // keepalive
                }
                in.extendFrame(length);
                ReceiveBuffer buffer = new ReceiveBuffer(context.spoolDirectory(), options.spoolThreshold());
                try {
                    buffer.appendRest(in, length);
                    in.endFrame();
                } catch (IOException | RuntimeException e) {
                    buffer.close();
                    throw e;
                }
                if (length < HAND_OFF_FROM) {
                    hand(buffer, peer); // small bundles in order, without a thread of their own
                } else {
                    // a large bundle's decoding (its CRC over every byte) and storing run while the next frame is
                    // read: on two cores, reading and checking then overlap instead of taking turns
                    handOffs.acquireUninterruptibly();
                    Thread.ofVirtual().name(name() + "-receive").start(() -> {
                        try {
                            hand(buffer, peer);
                        } finally {
                            handOffs.release();
                        }
                    });
                }
            }
        } catch (FrameException e) {
            log.log(Level.WARNING, "{0}: closing connection from {1}: {2}", name(), peer.address(), e.getMessage());
        } catch (TimedInput.PeerTimeoutException e) {
            log.log(Level.INFO, "{0}: closing connection from {1}: {2}", name(), peer.address(), e.getMessage());
        } catch (IOException e) {
            if (!closed.get()) {
                log.log(Level.INFO, "{0}: connection from {1} ended: {2}", name(), peer.address(), e.toString());
            }
        } catch (RuntimeException e) {
            log.log(Level.ERROR, name() + ": unexpected error serving " + peer.address(), e);
        }
    }

    /** Hands a received bundle to the agent and drops the buffer (deleting a spool file). */
    private void hand(ReceiveBuffer buffer, ClaPeer peer) {
        try (buffer) {
            ReceptionResult result = context.bundleReceived(buffer.toByteSource(), peer);
            if (result instanceof ReceptionResult.Rejected r) {
                log.log(Level.INFO, "{0}: bundle from {1} rejected: {2}", name(), peer.address(), r.reason());
            }
        } catch (IOException | RuntimeException e) {
            log.log(Level.WARNING, name() + ": cannot hand a bundle from " + peer.address() + " to the agent", e);
        }
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        if (closed.get()) {
            throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, name() + " CLA is closed");
        }
        long size = bundle.encoded().size();
        if (size > maxBundleSize()) {
            throw new TransmissionException(TransmissionException.Reason.TOO_LARGE, "bundle " + bundle.id() + " has "
                    + size + " bytes, more than " + name() + " carries (" + maxBundleSize() + ")");
        }
        int port = to.portOr(standardPort);
        Link link = links.computeIfAbsent(to.host() + "|" + port, k -> new Link(to, port));
        link.send(bundle);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Sockets.closeQuietly(server);
        inbound.forEach(Sockets::closeQuietly);
        if (watchdog != null) {
            watchdog.close();
        }
        links.values().forEach(Link::close);
        links.clear();
    }

    /** The outgoing connection to one peer; one bundle at a time. */
    private final class Link {
        private final ClaAddress address;
        private final int port;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile Socket socket;
        private OutputStream out;
        private volatile boolean broken;

        Link(ClaAddress address, int port) {
            this.address = address;
            this.port = port;
        }

        void send(OutgoingBundle bundle) throws TransmissionException {
            lock.lock();
            try {
                boolean reused = socket != null && !broken;
                try {
                    ensureConnected();
                    write(bundle.encoded());
                } catch (IOException first) {
                    dropSocket();
                    if (!reused || closed.get() || first instanceof TimedInput.PeerTimeoutException) {
                        throw failure(first); // a peer that stopped reading gets no second connection now
                    }
                    // the cached connection had died (peer closed it while idle): one fresh attempt
                    try {
                        ensureConnected();
                        write(bundle.encoded());
                    } catch (IOException second) {
                        dropSocket();
                        throw failure(second);
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        private TransmissionException failure(IOException e) {
            return new TransmissionException(e instanceof TimedInput.PeerTimeoutException
                    ? TransmissionException.Reason.TIMEOUT : TransmissionException.Reason.PEER_CLOSED,
                    name() + " transfer to " + address.host() + ":" + port + " failed: " + e.getMessage(), e);
        }

        private void ensureConnected() throws TransmissionException, IOException {
            if (socket != null && !broken) {
                return;
            }
            dropSocket();
            if (closed.get()) { // closed while this sender waited for the link
                throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, name() + " CLA is closed");
            }
            Socket s = Sockets.connect(address, port, options.connectTimeout(), options.socketBufferSize());
            socket = s;
            broken = false;
            // a peer that stops reading would hold a blocked write, and this link's lock, for good
            out = new BufferedOutputStream(new TimedOutput(s, s.getOutputStream(), options.frameTimeout(),
                    options.minRate(), watchdog),
                    SMALL);
            // the receiver never talks back: a read that returns means the peer closed or reset the connection
            Thread.ofVirtual().name(name() + "-watch-" + address.host() + ":" + port).start(() -> {
                try {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // ignore anything a peer sends
                    }
                } catch (IOException ignored) {
                    // closed or reset
                }
                broken = true;
            });
        }

        /**
         * Header and bundle through the buffered stream: a small bundle goes out with its header in one write; a
         * large one's payload is written straight from where it is (see {@link ByteSource#writeTo}). The stream
         * is flushed unless another bundle is already waiting for this link: that one flushes both, so a burst of
         * small bundles shares writes and TCP segments (each write with TCP_NODELAY is a segment of its own).
         */
        private void write(ByteSource encoded) throws IOException {
            out.write(frameHeader(encoded.size()));
            encoded.writeTo(out);
            if (!lock.hasQueuedThreads()) {
                out.flush();
            }
        }

        private void dropSocket() {
            if (socket != null) {
                Sockets.closeQuietly(socket);
                socket = null;
                out = null;
            }
        }

        void close() {
            Socket s = socket;
            if (s != null) {
                Sockets.closeQuietly(s); // first, without the lock: a send blocked in a write holds it
            }
            lock.lock();
            try {
                dropSocket();
            } finally {
                lock.unlock();
            }
        }
    }

    /** For tests: number of inbound connections being served. */
    int inboundConnections() {
        return inbound.size();
    }
}
