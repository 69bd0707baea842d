package io.dtn7j.core.cla.tcpcl;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.BundleIdPeek;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.Deadline;
import io.dtn7j.core.cla.IoWatchdog;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceiveBuffer;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.Sockets;
import io.dtn7j.core.cla.TimedInput;
import io.dtn7j.core.cla.TimedOutput;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.cla.TransmissionException.Reason;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.Keepalive;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.MsgReject;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessInit;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessTerm;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferAck;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferRefuse;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferSegment;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/**
 * One TCPCLv4 session (RFC 9174) over one TCP (or TLS) connection, either side. Threads: a reader (virtual
 * thread) that handles every received message and never blocks on writing; a writer (virtual thread) that
 * alone writes to the connection: control messages (XFER_ACK, XFER_REFUSE, KEEPALIVE, SESS_TERM) first, then
 * the segments of queued transfers one transfer after the other, flushing only when nothing more is queued (so
 * many small frames share one system call while each frame still goes out whole); and a timer for keepalives
 * and for the end of a terminating session. Callers of {@link #transfer} queue their transfer and wait for its
 * final XFER_ACK; any number of transfers are outstanding at once (pipelining), their acknowledgements
 * complete them as they arrive.
 *
 * <p>Termination follows RFC 9174 §6.1: once SESS_TERM was sent or received, transfers already started go on to
 * their end (in both directions), queued ones that have not started fail at once (the convergence layer then
 * uses another session), new incoming ones are refused with "session terminating"; the connection closes when
 * both SESS_TERMs are exchanged and nothing is in progress, or when the peer stops making progress.
 */
public final class TcpclSession {

    private static final System.Logger LOG = System.getLogger(TcpclSession.class.getName());
    private static final int CONTROL_QUEUE = 16_384;
    /** Queued answers after which the reader wakes the writer even though more input is waiting. */
    private static final int REPLY_BATCH = 256;
    /** Unwritten answers at which the reader stops reading until the writer caught up (backpressure). */
    private static final int REPLY_BACKLOG = 4_096;
    private static final int PEEK_LIMIT = 64 * 1024;
    private static final int PEEK_FIRST = 512;
    private static final int SMALL_FRAME = 64 * 1024;
    private static final int OPEN = 0;
    private static final int ENDING = 1;
    private static final int ENDED = 2;

    /**
     * The outcome of the contact header exchange and SESS_INIT negotiation.
     *
     * @param keepaliveSeconds the keepalive interval both sides use (the smaller proposal), 0 for none
     * @param peerSegmentMru the largest segment the peer accepts, in bytes
     * @param peerTransferMru the largest transfer (bundle) the peer accepts, in bytes
     * @param peerNodeId the peer's node ID from its SESS_INIT
     * @param tls whether the session runs over TLS
     * @param nodeIdAuthenticated whether the peer's TLS certificate names its node ID (RFC 9174 §4.4.3): without TLS,
     *                            or from a passive peer that presented no certificate, the node ID is only a claim
     */
    public record Negotiated(int keepaliveSeconds, long peerSegmentMru, long peerTransferMru, String peerNodeId,
                             boolean tls, boolean nodeIdAuthenticated) {
    }

    private final Socket rawSocket;
    private final Socket socket;
    private final TimedInput in;
    private final TcpclMessageReader reader;
    private final OutputStream out;
    private final ClaOptions options;
    private final ClaContext context;
    private final Negotiated negotiated;
    private final ClaPeer peer;
    private final boolean active;
    private final Consumer<TcpclSession> onEnd;
    private final Duration idleLimit;
    private final long ackWaitNanos;
    private final CountDownLatch endedLatch = new CountDownLatch(1);

    // lifecycle: OPEN -> ENDING (SESS_TERM sent or received) -> ENDED (connection closed)
    private volatile int state = OPEN;
    private volatile boolean termSent;
    private volatile boolean termReceived;
    private volatile boolean closeAfterFlush;
    private volatile long lastSent = System.nanoTime();
    /**
     * Whether the writer is inside a segment's write: control messages (XFER_ACKs, KEEPALIVEs) wait behind it, and the
     * segment's write has its own time limit ({@link io.dtn7j.core.cla.TimedOutput}), so while it lasts the peer is
     * reading, not ignoring, what this node sends.
     */
    private volatile boolean writingSegment;
    private volatile long lastProgress = System.nanoTime();
    private volatile int termReasonSent = -1;
    private volatile int termReasonReceived = -1;
    private volatile String endCause = "";

    // sending: registered transfers (until acknowledged or failed), queued ones, control messages
    private final Map<Long, OutTransfer> outgoing = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<OutTransfer> queued = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> control = new ConcurrentLinkedQueue<>();
    private final AtomicInteger controlSize = new AtomicInteger();
    private final AtomicLong nextTransferId = new AtomicLong(1);
    private final AtomicBoolean writerParked = new AtomicBoolean();
    private volatile Thread writer;

    // writer thread only
    private OutTransfer current;
    private final byte[] scratch = new byte[64];

    // incoming transfer state (reader thread only, except the flag)
    private InTransfer incoming;
    private volatile boolean incomingInProgress;
    private boolean repliesPending;

    private TcpclSession(Socket rawSocket, Socket socket, TimedInput in, OutputStream out, ClaOptions options,
                         ClaContext context, Negotiated negotiated, ClaPeer peer, boolean active,
                         Consumer<TcpclSession> onEnd) {
        this.rawSocket = rawSocket;
        this.socket = socket;
        this.in = in;
        this.reader = new TcpclMessageReader(in, options.segmentMru(), TcpclMessageReader.DEFAULT_MAX_EXTENSIONS_LENGTH);
        in.beforeBlocking(this::sendPendingReplies);
        this.out = out;
        this.options = options;
        this.context = context;
        this.negotiated = negotiated;
        this.peer = peer;
        this.active = active;
        this.onEnd = onEnd;
        int k = negotiated.keepaliveSeconds();
        this.idleLimit = k > 0 ? Duration.ofSeconds(2L * k).plusSeconds(1) : options.idleTimeout();
        this.ackWaitNanos = options.idleTimeout().toNanos();
    }

    /** Thrown when session establishment fails; says which SESS_TERM reason (if any) was sent. */
    public static final class EstablishmentException extends IOException {
        private static final long serialVersionUID = 1L;

        EstablishmentException(String message) {
            super(message);
        }

        EstablishmentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs contact header exchange, optional TLS, and SESS_INIT negotiation on a fresh connection, then starts
     * the session's threads.
     *
     *
     * @param socket  the connected socket (TCP_NODELAY already set)
     * @param active  true on the connecting side
     * @param address the peer's CLA address (for logs and link events)
     * @param onEnd   called once when the session has ended
     * @param options this node's settings (MRUs, keepalive, TLS)
     * @param context the agent the session hands received bundles to
     * @throws EstablishmentException when the peer is not a usable TCPCLv4 peer (the socket is closed)
     * @return the established, running session
     * @throws IOException if the connection fails during establishment
     */
    public static TcpclSession establish(Socket socket, boolean active, ClaAddress address, ClaOptions options,
                                         ClaContext context, Consumer<TcpclSession> onEnd) throws IOException {
        return establish(socket, active, address, options, context, onEnd, null);
    }

    /**
     * As {@link #establish(Socket, boolean, ClaAddress, ClaOptions, ClaContext, Consumer)}, with the session's read
     * limits enforced by {@code watchdog} instead of socket timeouts (plain TCP only; see {@link TimedInput}).
     *
     * @param socket   a connected socket
     * @param active   true on the connecting side
     * @param address  the peer's CLA address (for logs and link events)
     * @param options  this node's settings (MRUs, keepalive, TLS)
     * @param context  the agent the session hands received bundles to
     * @param onEnd    called once when the session has ended
     * @param watchdog the convergence layer's read watchdog, or null for socket timeouts
     * @return the established, running session
     * @throws EstablishmentException when the peer is not a usable TCPCLv4 peer (the socket is closed)
     * @throws IOException if the connection fails during establishment
     */
    public static TcpclSession establish(Socket socket, boolean active, ClaAddress address, ClaOptions options,
                                         ClaContext context, Consumer<TcpclSession> onEnd, IoWatchdog watchdog)
            throws IOException {
        // each read of the exchange has a timeout, but a peer dripping a byte just inside it (a TLS record announces
        // up to 16 KiB) would hold the connection, and on the passive side a session slot, for hours: the whole
        // exchange gets one deadline, after which the socket is closed under it
        Duration limit = establishmentLimit(options);
        Deadline deadline = Deadline.after(limit, () -> Sockets.closeQuietly(socket));
        try {
            TcpclSession session = doEstablish(socket, active, address, options, context, onEnd, watchdog);
            // when the deadline won the race by a hair, its close ends the session at once, through onEnd as usual
            deadline.finish();
            return session;
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(socket);
            if (!deadline.finish()) {
                throw new EstablishmentException(cutOff(address, limit), e);
            }
            if (e instanceof EstablishmentException) {
                throw e;
            }
            throw new EstablishmentException("TCPCL session with " + address + " could not be established: " + e, e);
        }
    }

    /**
     * The most the contact header, TLS and SESS_INIT exchange may take as a whole: the larger of
     * {@code connectTimeout} and {@code frameTimeout}, the limit each of its reads already had (a handshake takes
     * a few round trips, milliseconds to a few seconds even over a slow link).
     */
    static Duration establishmentLimit(ClaOptions options) {
        return options.connectTimeout().compareTo(options.frameTimeout()) > 0 ? options.connectTimeout()
                : options.frameTimeout();
    }

    private static String cutOff(ClaAddress address, Duration limit) {
        return "peer " + address + " did not complete the contact header, TLS and SESS_INIT exchange within "
                + limit.toMillis() + " ms (a stalled or dripping peer); the connection was closed";
    }

    private static TcpclSession doEstablish(Socket socket, boolean active, ClaAddress address, ClaOptions options,
                                            ClaContext context, Consumer<TcpclSession> onEnd, IoWatchdog watchdog)
            throws IOException {
        Sockets.tune(socket, options.socketBufferSize());
        boolean canTls = options.sslContext() != null;
        Duration handshakeTimeout = establishmentLimit(options);
        socket.setSoTimeout((int) handshakeTimeout.toMillis());
        OutputStream rawOut = socket.getOutputStream();
        rawOut.write(ContactHeader.v4(canTls).encode());
        rawOut.flush();
        byte[] ch = socket.getInputStream().readNBytes(ContactHeader.LENGTH);
        if (ch.length < ContactHeader.LENGTH) {
            throw new EstablishmentException("peer " + address + " closed the connection during the contact header");
        }
        ContactHeader peerHeader = ContactHeader.decode(ch); // bad magic: close without SESS_TERM (§4.3)
        if (peerHeader.version() != 4) {
            rawOut.write(new SessTerm(0, SessTerm.REASON_VERSION_MISMATCH).encode());
            rawOut.flush();
            throw new EstablishmentException("peer " + address + " speaks TCPCL version " + peerHeader.version()
                    + ", this node only version 4 (sent SESS_TERM version mismatch)");
        }
        boolean tls = canTls && peerHeader.canTls();
        if (options.requireTls() && !tls) {
            rawOut.write(new SessTerm(0, SessTerm.REASON_CONTACT_FAILURE).encode());
            rawOut.flush();
            throw new EstablishmentException("peer " + address + " cannot use TLS and this node requires it"
                    + " (sent SESS_TERM contact failure)");
        }
        Socket channel = socket;
        if (tls) {
            try {
                channel = TcpclTls.wrap(options.sslContext(), socket, active);
            } catch (IOException e) {
                throw new EstablishmentException("TLS handshake with " + address + " failed: " + e.getMessage(), e);
            }
        }
        // a peer that stops reading would hold a blocked write for good: the watchdog closes the plain socket
        // under a write that outlives its limit (closing a TLS socket would wait for the blocked writer itself)
        OutputStream out = new BufferedOutputStream(new TimedOutput(socket, channel.getOutputStream(),
                options.frameTimeout(), options.minRate(), watchdog), 64 * 1024);
        TimedInput in = new TimedInput(channel, channel.getInputStream(), handshakeTimeout, watchdog)
                .minRate(options.minRate());
        TcpclMessageReader reader = new TcpclMessageReader(in, options.segmentMru(),
                TcpclMessageReader.DEFAULT_MAX_EXTENSIONS_LENGTH);
        SessInit ours = new SessInit((int) options.keepalive().toSeconds(), options.segmentMru(),
                options.maxBundleSize(), context.nodeId().uri(), List.of());
        out.write(ours.encode());
        out.flush();
        TcpclMessage first;
        in.beginFrame(0);
        try {
            first = reader.readMessage();
        } catch (TcpclProtocolException e) {
            terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
            throw new EstablishmentException("peer " + address + " sent an invalid SESS_INIT: " + e.getMessage(), e);
        }
        in.endFrame();
        if (!(first instanceof SessInit theirs)) {
            if (first instanceof SessTerm term) {
                throw new EstablishmentException("peer " + address + " ended the session before SESS_INIT with reason "
                        + term.reason());
            }
            terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
            throw new EstablishmentException("peer " + address + " sent " + TcpclMessage.typeName(first.type())
                    + " instead of SESS_INIT (sent SESS_TERM contact failure)");
        }
        for (ExtensionItem item : theirs.extensions()) {
            if (item.critical()) { // this node understands no session extensions
                terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
                throw new EstablishmentException("peer " + address + " requires unknown session extension type "
                        + item.type() + " (sent SESS_TERM contact failure)");
            }
        }
        EndpointId peerNodeId;
        try {
            peerNodeId = EndpointId.parse(theirs.nodeId());
        } catch (RuntimeException e) {
            terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
            throw new EstablishmentException("peer " + address + " sent an invalid node ID '" + theirs.nodeId() + "'");
        }
        boolean authenticated = false;
        if (tls) {
            SSLSocket ssl = (SSLSocket) channel;
            boolean presented = TcpclTls.peerPresentedCertificate(ssl.getSession());
            List<String> sans = TcpclTls.peerSanUris(ssl.getSession());
            if ((presented || active) && !TcpclTls.nodeIdMatches(sans, theirs.nodeId())) {
                terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
                throw new EstablishmentException("peer " + address + " claims node ID " + theirs.nodeId()
                        + " but its TLS certificate names " + sans + " (RFC 9174 §4.4.3; sent SESS_TERM contact failure)");
            }
            authenticated = presented; // and its names matched the node ID
            if (!presented && options.requireTls()) {
                terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
                throw new EstablishmentException("peer " + address + " presented no TLS certificate for node ID "
                        + theirs.nodeId() + " and this node requires authentication");
            }
        }
        int keepalive = Math.min(ours.keepaliveSeconds(), theirs.keepaliveSeconds());
        long segMru = theirs.segmentMru() < 0 ? Long.MAX_VALUE : Math.max(1, theirs.segmentMru());
        long xferMru = theirs.transferMru() < 0 ? Long.MAX_VALUE : theirs.transferMru();
        Negotiated n = new Negotiated(keepalive, segMru, xferMru, theirs.nodeId(), tls, authenticated);
        in.frameTimeout(options.frameTimeout());
        TcpclSession session = new TcpclSession(socket, channel, in, out, options, context, n,
                new ClaPeer(address, peerNodeId), active, onEnd);
        session.startThreads();
        return session;
    }

    private static void terminateEarly(OutputStream out, int reason) {
        try {
            out.write(new SessTerm(0, reason).encode());
            out.flush();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void startThreads() {
        context.linkUp(peer); // before the reader can see the end of the stream and report linkDown
        String tag = (active ? "out-" : "in-") + peer.address().host() + ":" + peer.address().port();
        writer = Thread.ofVirtual().name("tcpcl-write-" + tag).unstarted(this::writeLoop);
        writer.start();
        Thread.ofVirtual().name("tcpcl-read-" + tag).start(this::readLoop);
        Thread.ofVirtual().name("tcpcl-timer-" + tag).start(this::timerLoop);
    }

    /** {@return the peer as the agent sees it (address and node ID)} */
    public ClaPeer peer() {
        return peer;
    }

    /** {@return the negotiated parameters} */
    public Negotiated negotiated() {
        return negotiated;
    }

    /** {@return true on the side that opened the connection} */
    public boolean active() {
        return active;
    }

    /**
     * {@return true until the session ended or started terminating; new transfers need a usable session}
     */
    public boolean usable() {
        return state == OPEN;
    }

    /** {@return true once the session has ended} */
    public boolean ended() {
        return state == ENDED;
    }

    /** {@return SESS_TERM reason this side sent, or -1} */
    public int termReasonSent() {
        return termReasonSent;
    }

    /** {@return SESS_TERM reason the peer sent, or -1} */
    public int termReasonReceived() {
        return termReasonReceived;
    }

    /** {@return why the session ended (empty while it runs)} */
    public String endCause() {
        return endCause;
    }

    /**
     * Waits for the session to end.
     *
     * @param timeout how long to wait at most
     * @return true if the session ended, false on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return endedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ sending

    /**
     * A transfer that never started because the session was terminating (or ended) first: nothing of it reached
     * the peer, so it can go over another session.
     */
    static final class NotStartedException extends Exception {
        private static final long serialVersionUID = 1L;

        NotStartedException(String message) {
            super(message);
        }
    }

    /**
     * Sends one bundle as one transfer and waits for the XFER_ACK covering its last byte.
     *
     * @param bundle the bundle to send
     * @throws TransmissionException REFUSED when the peer refused it, TOO_LARGE above the peer's transfer MRU,
     *                               PEER_CLOSED when the session ended (or was terminating) first, TIMEOUT when
     *                               the peer did not acknowledge it in time
     */
    public void transfer(OutgoingBundle bundle) throws TransmissionException {
        try {
            transferOrRedirect(bundle);
        } catch (NotStartedException e) {
            throw new TransmissionException(Reason.PEER_CLOSED, e.getMessage(), e);
        }
    }

    /**
     * As {@link #transfer}, but says when the transfer never started (the session was terminating), so that the
     * caller can use another session.
     *
     * @param bundle the bundle to send
     * @throws TransmissionException as {@link #transfer}
     * @throws NotStartedException when nothing of the transfer was sent because the session is ending
     */
    void transferOrRedirect(OutgoingBundle bundle) throws TransmissionException, NotStartedException {
        ByteSource data = bundle.encoded();
        long size = data.size();
        if (size > negotiated.peerTransferMru()) {
            throw new TransmissionException(Reason.TOO_LARGE, "bundle " + bundle.id() + " has " + size
                    + " bytes, more than peer " + peer.nodeId() + " accepts (transfer MRU "
                    + negotiated.peerTransferMru() + ")");
        }
        if (state != OPEN) {
            throw new NotStartedException(notStartedMessage());
        }
        long id = nextTransferId.getAndIncrement();
        OutTransfer t = new OutTransfer(id, data, size, System.nanoTime() + ackWait(size));
        outgoing.put(id, t);
        queued.add(t);
        if (state != OPEN) {
            // terminate()/end() may have run between the check above and the registration: the writer or
            // end() may not see this transfer any more, so it fails here (nothing of it was written)
            failNotStarted(t);
        } else {
            wakeWriter();
        }
        try {
            t.future.get(); // bounded: the timer fails it with TIMEOUT at its deadline (cheaper than a timed park)
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotStartedException ns) {
                throw new NotStartedException(ns.getMessage());
            }
            if (e.getCause() instanceof TransmissionException te) {
                throw new TransmissionException(te.reason(), te.getMessage(), te);
            }
            throw new TransmissionException(Reason.PROTOCOL_ERROR, "transfer failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(t, new TransmissionException(Reason.PEER_CLOSED, "interrupted"));
            throw new TransmissionException(Reason.PEER_CLOSED, "interrupted while waiting for XFER_ACK", e);
        } finally {
            outgoing.remove(id, t);
        }
    }

    private String notStartedMessage() {
        return "TCPCL session with " + peer.address() + (state == ENDED ? " has ended" : " is terminating")
                + "; the transfer was not started";
    }

    /** Fails {@code t} as not started unless the writer started it already (then it goes on). */
    private void failNotStarted(OutTransfer t) {
        if (t.cancel() && outgoing.remove(t.id, t)) {
            t.future.completeExceptionally(new NotStartedException(notStartedMessage()));
            progressed();
        }
    }

    private void fail(OutTransfer t, Exception e) {
        if (outgoing.remove(t.id, t)) {
            t.future.completeExceptionally(e);
            progressed();
        }
    }

    private void wakeWriter() {
        if (writerParked.get() && writerParked.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    private void enqueue(TcpclMessage message) {
        if (queueControl(message)) {
            wakeWriter();
        }
    }

    private boolean queueControl(TcpclMessage message) {
        if (state == ENDED) {
            return false;
        }
        if (controlSize.incrementAndGet() > CONTROL_QUEUE) {
            endNotReading("control queue overflow (peer not reading)");
            return false;
        }
        control.add(message.encode());
        return true;
    }

    /**
     * Reader thread: queues the answer (XFER_ACK or XFER_REFUSE) to a segment. The writer is woken when the reader
     * next has to wait for input ({@link TimedInput#beforeBlocking}), not per answer: the answers to a burst of
     * segments read from one buffer go out together in one write, and a lone segment's answer leaves at once
     * because the reader then waits.
     */
    private void reply(TcpclMessage message) {
        if (queueControl(message)) {
            repliesPending = true;
            if (controlSize.get() >= REPLY_BATCH) {
                // a peer whose segments keep arriving never lets the reader wait: its answers go out in batches,
                // or they would pile up until the queue's limit took the peer for one that does not read them
                sendPendingReplies();
                awaitRepliesWritten();
            }
        }
    }

    /**
     * Backpressure on a peer that sends faster than it reads its answers (many tiny segments): past
     * {@value #REPLY_BACKLOG} unwritten answers the reader stops reading until the writer got them down to half, so
     * TCP slows the peer instead of the queue growing; a peer that reads none of them for a frame timeout is ended.
     */
    private void awaitRepliesWritten() {
        if (controlSize.get() < REPLY_BACKLOG) {
            return;
        }
        long patience = options.frameTimeout().toNanos();
        long deadline = System.nanoTime() + patience;
        int before;
        while (state != ENDED && (before = controlSize.get()) >= REPLY_BACKLOG / 2) {
            wakeWriter();
            LockSupport.parkNanos(100_000);
            if (controlSize.get() < before || writingSegment) {
                // the writer got some out, or is writing a segment the answers wait behind (its write has a limit of
                // its own): the peer reads, if slowly
                deadline = System.nanoTime() + patience;
            } else if (System.nanoTime() - deadline > 0) {
                endNotReading("peer does not read its acknowledgements");
                return;
            }
        }
    }

    /** Ends the session with a peer that does not read what this node answers. */
    private void endNotReading(String cause) {
        LOG.log(Level.WARNING, "TCPCL peer {0} does not read its acknowledgements; ending session", peer.address());
        end(cause);
    }

    private void sendPendingReplies() {
        if (repliesPending) {
            repliesPending = false;
            wakeWriter();
        }
    }

    // ------------------------------------------------------------------ writer

    private void writeLoop() {
        try {
            while (state != ENDED) {
                boolean wrote = false;
                boolean closing = closeAfterFlush; // read first: its SESS_TERM is queued before it is set
                byte[] c;
                while ((c = control.poll()) != null) {
                    controlSize.decrementAndGet();
                    out.write(c);
                    wrote = true;
                }
                if (closing) {
                    out.flush();
                    end(endCause.isEmpty() ? "session terminated after a protocol error or timeout" : endCause);
                    return;
                }
                if (current == null) {
                    current = nextTransfer();
                }
                if (current != null) {
                    writeNextSegment(current);
                    wrote = true;
                }
                if (!wrote) {
                    out.flush();
                    lastSent = System.nanoTime();
                    if (state == ENDING && nothingInProgress()) {
                        end(endCause.isEmpty() ? "session terminated" : endCause);
                        return;
                    }
                    parkUntilWork();
                }
            }
        } catch (IOException e) {
            end("write failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "TCPCL writer for " + peer.address() + " failed", e);
            end("internal error: " + e);
        }
    }

    private void parkUntilWork() {
        writerParked.set(true);
        // re-check after announcing the park: work (or the end of a terminating session) that arrived before
        // the announcement did not wake this thread
        if (!control.isEmpty() || !queued.isEmpty() || closeAfterFlush || state == ENDED
                || (state == ENDING && nothingInProgress())) {
            writerParked.set(false);
            return;
        }
        LockSupport.park(this);
        writerParked.set(false);
    }

    /** The next queued transfer to start, failing those that may no longer start. */
    private OutTransfer nextTransfer() {
        OutTransfer t;
        while ((t = queued.poll()) != null) {
            if (t.future.isDone()) {
                continue; // timed out or failed while queued
            }
            if (state != OPEN) {
                failNotStarted(t); // RFC 9174 §6.1: no new transfer after SESS_TERM
                continue;
            }
            if (t.claim()) {
                return t;
            }
        }
        return null;
    }

    private boolean nothingInProgress() {
        return termSent && termReceived && outgoing.isEmpty() && current == null && !incomingInProgress
                && control.isEmpty();
    }

    private void writeNextSegment(OutTransfer t) throws IOException {
        if (t.future.isDone()) {
            current = null; // refused (or failed) mid-way: stop sending its segments
            return;
        }
        long remaining = t.size - t.offset;
        // the peer's MRU, capped by this node's (ClaOptions.segmentMru): control messages wait behind a segment
        long len = Math.min(Math.min(negotiated.peerSegmentMru(), options.segmentMru()), remaining);
        boolean first = t.offset == 0;
        boolean last = len == remaining;
        int flags = (first ? XferSegment.FLAG_START : 0) | (last ? XferSegment.FLAG_END : 0);
        if (first && !last) {
            out.write(new XferSegment(flags, t.id, List.of(ExtensionItem.transferLength(t.size)), len).encode());
        } else {
            out.write(scratch, 0, encodeSegmentHeader(scratch, flags, t.id, len));
        }
        ByteSource data = t.data;
        writingSegment = true;
        try {
            if (data.hasArray() && len <= SMALL_FRAME) {
                out.write(data.array(), data.arrayOffset() + (int) t.offset, (int) len);
            } else if (first && last) {
                data.writeTo(out); // e.g. a bundle encoded as parts sharing its payload: no slice needed
            } else {
                data.slice(t.offset, len).writeTo(out);
            }
        } finally {
            writingSegment = false;
        }
        t.offset += len;
        lastSent = System.nanoTime(); // a segment is a message: no KEEPALIVE is due for a while
        progressed();
        if (last) {
            current = null;
        }
    }

    /** Encodes an XFER_SEGMENT header without extension items; returns its length. */
    static int encodeSegmentHeader(byte[] b, int flags, long transferId, long dataLength) {
        int i = 0;
        b[i++] = TcpclMessage.XFER_SEGMENT;
        b[i++] = (byte) flags;
        i = putLong(b, i, transferId);
        if ((flags & XferSegment.FLAG_START) != 0) {
            b[i++] = 0;
            b[i++] = 0;
            b[i++] = 0;
            b[i++] = 0; // empty extension item list
        }
        return putLong(b, i, dataLength);
    }

    private static int putLong(byte[] b, int i, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            b[i++] = (byte) (v >>> shift);
        }
        return i;
    }

    private void progressed() {
        lastProgress = System.nanoTime();
    }

    // ------------------------------------------------------------------ timer

    private void timerLoop() {
        long interval = Duration.ofSeconds(negotiated.keepaliveSeconds()).toNanos();
        // send well before the peer's timer fires (dtn7-rs drops a session whose keepalive is late)
        long half = interval > 0 ? Math.max(interval / 2, TimeUnit.MILLISECONDS.toNanos(200)) : Long.MAX_VALUE;
        long tick = Math.min(half / 4, TimeUnit.MILLISECONDS.toNanos(250));
        try {
            while (state != ENDED) {
                if (endedLatch.await(tick / 1_000_000L + 1, TimeUnit.MILLISECONDS)) {
                    return;
                }
                long now = System.nanoTime();
                if (state == OPEN && now - lastSent >= half && !writingSegment) {
                    // counted as sent once queued, so that a writer held up does not find a pile of them
                    lastSent = now;
                    enqueue(new Keepalive());
                }
                if (state == ENDING) {
                    checkEnding(now);
                }
                if (now - lastDeadlineScan > TimeUnit.SECONDS.toNanos(1)) {
                    lastDeadlineScan = now;
                    failOverdue(now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long lastDeadlineScan = System.nanoTime(); // timer thread only

    /** Fails transfers the peer did not acknowledge by their deadline (idle timeout plus size at the minimum rate). */
    private void failOverdue(long now) {
        for (OutTransfer t : outgoing.values()) {
            if (now - t.deadline > 0) {
                fail(t, new TransmissionException(Reason.TIMEOUT, "peer " + peer.nodeId() + " did not acknowledge"
                        + " transfer " + t.id + " (" + t.size + " bytes) within "
                        + TimeUnit.NANOSECONDS.toSeconds(ackWait(t.size))
                        + " s (on a link slower than " + options.minRate() / 1024 + " KiB/s, lower min-rate)"));
            }
        }
    }

    /** {@return how long, in nanoseconds, a transfer of {@code size} bytes may wait for its final XFER_ACK} */
    private long ackWait(long size) {
        return ackWaitNanos + TimeUnit.SECONDS.toNanos(size / options.minRate());
    }

    /** Bounds the Ending state: the peer must reply and in-progress transfers must keep moving. */
    private void checkEnding(long now) {
        boolean transfersLeft = !outgoing.isEmpty() || incomingInProgress;
        // in-progress transfers get the frame timeout per step (a segment or an acknowledgement); the reply alone
        // gets at most 2 s
        long limit = transfersLeft ? options.frameTimeout().toNanos()
                : Math.min(TimeUnit.SECONDS.toNanos(2), options.frameTimeout().toNanos());
        if (now - lastProgress > limit) {
            end(transfersLeft ? "session terminating: in-progress transfers made no progress for "
                    + TimeUnit.NANOSECONDS.toMillis(limit) + " ms" : "session terminating: no SESS_TERM reply");
        } else {
            wakeWriter(); // lets the writer close once nothing is in progress
        }
    }

    // ------------------------------------------------------------------ reading

    private void readLoop() {
        try {
            while (state != ENDED) {
                boolean more;
                try {
                    more = in.awaitFrame(idleLimit);
                } catch (TimedInput.PeerTimeoutException e) {
                    terminateAndClose(SessTerm.REASON_IDLE_TIMEOUT, "no message for " + idleLimit.toSeconds() + " s");
                    return;
                }
                if (!more) {
                    // the peer is done sending, maybe only half-closed: answers already queued (XFER_ACKs of
                    // bundles the agent accepted, a SESS_TERM reply) still go out before the connection closes
                    closeAfterFlushing("peer closed the connection");
                    return;
                }
                in.beginFrame(0);
                TcpclMessage message = reader.readMessage();
                handle(message);
                in.endFrame();
            }
        } catch (TimedInput.PeerTimeoutException e) {
            terminateAndClose(SessTerm.REASON_IDLE_TIMEOUT, e.getMessage());
        } catch (TcpclProtocolException e) {
            onProtocolError(e);
        } catch (EOFException e) {
            end("peer closed the connection mid-message");
        } catch (IOException e) {
            end("read failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "TCPCL session with " + peer.address() + " failed", e);
            terminateAndClose(SessTerm.REASON_UNKNOWN, "internal error: " + e);
        } finally {
            discardIncoming();
        }
    }

    private void onProtocolError(TcpclProtocolException e) {
        LOG.log(Level.WARNING, "TCPCL peer {0}: {1}", peer.address(), e.getMessage());
        switch (e.kind()) {
            case UNKNOWN_TYPE -> {
                enqueue(new MsgReject(MsgReject.REASON_TYPE_UNKNOWN, e.messageType()));
                terminateAndClose(SessTerm.REASON_UNKNOWN, e.getMessage()); // framing is lost after an unknown type
            }
            case TOO_LARGE -> terminateAndClose(SessTerm.REASON_RESOURCE_EXHAUSTION, e.getMessage());
            default -> terminateAndClose(SessTerm.REASON_UNKNOWN, e.getMessage());
        }
    }

    private void handle(TcpclMessage message) throws IOException {
        switch (message) {
            case XferSegment seg -> onSegment(seg);
            case XferAck ack -> onAck(ack);
            case XferRefuse refuse -> onRefuse(refuse);
            case Keepalive k -> { /* liveness only */ }
            case SessTerm term -> onSessTerm(term);
            case MsgReject reject -> LOG.log(Level.WARNING, "TCPCL peer {0} rejected a {1} message (reason {2})",
                    peer.address(), TcpclMessage.typeName(reject.rejectedHeader()), reject.reason());
            case SessInit init -> enqueue(new MsgReject(MsgReject.REASON_UNEXPECTED, TcpclMessage.SESS_INIT));
        }
    }

    private void onAck(XferAck ack) {
        OutTransfer t = outgoing.get(ack.transferId());
        if (t == null) {
            enqueue(new MsgReject(MsgReject.REASON_UNEXPECTED, TcpclMessage.XFER_ACK));
            return;
        }
        progressed();
        if (Long.compareUnsigned(ack.acknowledgedLength(), t.size) >= 0 && outgoing.remove(t.id, t)) {
            t.future.complete(null);
            if (state == ENDING) {
                wakeWriter();
            }
        }
    }

    private void onRefuse(XferRefuse refuse) {
        OutTransfer t = outgoing.get(refuse.transferId());
        if (t == null) {
            enqueue(new MsgReject(MsgReject.REASON_UNEXPECTED, TcpclMessage.XFER_REFUSE));
            return;
        }
        if (refuse.reason() == XferRefuse.REASON_SESSION_TERMINATING) {
            // the peer is ending the session: the bundle may go over another session
            fail(t, new NotStartedException("peer " + peer.nodeId() + " refused transfer " + t.id
                    + ": session terminating"));
        } else {
            fail(t, new TransmissionException(Reason.REFUSED, "peer " + peer.nodeId() + " refused the transfer: "
                    + refuseReasonName(refuse.reason())));
        }
        wakeWriter();
    }

    private void onSessTerm(SessTerm term) {
        termReasonReceived = term.reason();
        if (term.reply() && !termSent) {
            end("peer sent a SESS_TERM reply without a request (reason " + term.reason() + ")");
            return;
        }
        termReceived = true;
        progressed();
        if (!termSent) {
            termSent = true;
            termReasonSent = term.reason();
            state = ENDING;
            endCause = "peer ended the session (reason " + term.reason() + ")";
            enqueue(new SessTerm(SessTerm.FLAG_REPLY, term.reason()));
        } else {
            endCause = endCause.isEmpty() ? "session terminated (reason " + term.reason() + ")" : endCause;
        }
        wakeWriter(); // fails queued transfers that did not start; closes once nothing is in progress
    }

    /** Static for tests: name of an XFER_REFUSE reason code. */
    static String refuseReasonName(int reason) {
        return switch (reason) {
            case XferRefuse.REASON_UNKNOWN -> "unknown";
            case XferRefuse.REASON_COMPLETED -> "completed (peer already has the bundle)";
            case XferRefuse.REASON_NO_RESOURCES -> "no resources";
            case XferRefuse.REASON_RETRANSMIT -> "retransmit";
            case XferRefuse.REASON_NOT_ACCEPTABLE -> "not acceptable";
            case XferRefuse.REASON_EXTENSION_FAILURE -> "extension failure";
            case XferRefuse.REASON_SESSION_TERMINATING -> "session terminating";
            default -> "reason " + reason;
        };
    }

    /** State of the transfer being received. */
    private static final class InTransfer {
        final long id;
        ReceiveBuffer buffer;
        boolean refused;
        boolean idChecked;
        /** The transfer's size at the last look for its bundle ID (the next look waits until it doubled). */
        long peekedAt;

        InTransfer(long id) {
            this.id = id;
        }
    }

    private void discardIncoming() {
        if (incoming != null && incoming.buffer != null) {
            incoming.buffer.close(); // a half-received bundle is never delivered
        }
        setIncoming(null);
    }

    private void setIncoming(InTransfer t) {
        incoming = t;
        boolean was = incomingInProgress;
        incomingInProgress = t != null && !t.refused;
        if (was && !incomingInProgress && state == ENDING) {
            wakeWriter();
        }
    }

    private void onSegment(XferSegment seg) throws IOException {
        long len = seg.dataLength();
        in.extendFrame(len);
        progressed();
        if (seg.start()) {
            if (incoming != null && !incoming.refused) {
                LOG.log(Level.WARNING, "TCPCL peer {0} started transfer {1} before finishing transfer {2}",
                        peer.address(), seg.transferId(), incoming.id);
            }
            discardIncoming();
            if (state != OPEN) {
                skip(len);
                InTransfer refused = new InTransfer(seg.transferId());
                refused.refused = true;
                setIncoming(seg.end() ? null : refused);
                reply(new XferRefuse(XferRefuse.REASON_SESSION_TERMINATING, seg.transferId()));
                return;
            }
            InTransfer t = new InTransfer(seg.transferId());
            Optional<Integer> refusal = checkTransferExtensions(seg.extensions());
            if (refusal.isPresent()) {
                skip(len);
                t.refused = true;
                setIncoming(seg.end() ? null : t);
                reply(new XferRefuse(refusal.get(), seg.transferId()));
                return;
            }
            // a small single-segment bundle is read whole into one array; a larger one goes through a ReceiveBuffer,
            // which allocates only for bytes that arrived and records CRC checkpoints while they are in the cache
            if (seg.end() && len <= Math.min(ReceiveBuffer.CHECKPOINTS_FROM, options.spoolThreshold())
                    && len <= options.maxBundleSize()) {
                receiveWhole(seg, (int) len);
                return;
            }
            t.buffer = new ReceiveBuffer(context.spoolDirectory(), options.spoolThreshold());
            setIncoming(t);
        } else if (incoming == null || incoming.id != seg.transferId()) {
            skip(len);
            enqueue(new MsgReject(MsgReject.REASON_UNEXPECTED, TcpclMessage.XFER_SEGMENT));
            return;
        }
        if (incoming.refused) {
            skip(len); // remaining segments of a refused transfer are dropped
            if (seg.end()) {
                setIncoming(null);
            }
            return;
        }
        InTransfer t = incoming;
        if (t.buffer.size() + len > options.maxBundleSize()) {
            skip(len);
            refuseIncoming(XferRefuse.REASON_NO_RESOURCES);
            if (seg.end()) {
                setIncoming(null);
            }
            return;
        }
        if (seg.end()) {
            t.buffer.appendRest(in, len);
        } else {
            t.buffer.appendFrom(in, len);
        }
        // the look copies the transfer's head: repeated only as the transfer doubles, so a peer sending tiny
        // segments costs copies in proportion to its bytes, not to their square
        if (!t.idChecked && t.buffer.size() > 0
                && (t.buffer.size() >= 2 * t.peekedAt || t.buffer.size() >= PEEK_LIMIT || seg.end())) {
            t.peekedAt = t.buffer.size();
            Optional<BundleId> id = peekId(t.buffer);
            if (id.isPresent() || t.buffer.size() >= PEEK_LIMIT || seg.end()) {
                t.idChecked = true;
            }
            if (id.isPresent() && context.hasBundle(id.get())) {
                refuseIncoming(XferRefuse.REASON_COMPLETED);
                if (seg.end()) {
                    setIncoming(null);
                }
                return;
            }
        }
        if (!seg.end()) {
            reply(new XferAck(seg.flags(), seg.transferId(), t.buffer.size()));
            return;
        }
        // complete: hand to the agent, acknowledge the last segment only once it accepted the bundle
        in.endFrame();
        try (ReceiveBuffer buffer = t.buffer) {
            deliver(buffer.toByteSource(), seg);
        } finally {
            setIncoming(null);
        }
    }

    /**
     * The ID of the bundle whose first bytes are in {@code buffer}: from its first {@value #PEEK_FIRST} bytes, which
     * hold a primary block with EIDs of ordinary length, and only when that is not enough from up to
     * {@value #PEEK_LIMIT} bytes (each look copies what it reads).
     */
    private static Optional<BundleId> peekId(ReceiveBuffer buffer) throws IOException {
        byte[] head = buffer.head(PEEK_FIRST);
        Optional<BundleId> id = BundleIdPeek.peek(head);
        return id.isPresent() || buffer.size() <= head.length ? id : BundleIdPeek.peek(buffer.head(PEEK_LIMIT));
    }

    /** A single-segment transfer that fits in heap: read into an array of its size and deliver. */
    private void receiveWhole(XferSegment seg, int len) throws IOException {
        byte[] bundle = new byte[len];
        int done = 0;
        while (done < len) {
            int r = in.read(bundle, done, len - done);
            if (r < 0) {
                throw new EOFException("stream ended inside segment data");
            }
            done += r;
        }
        in.endFrame();
        deliver(ByteSource.of(bundle), seg);
    }

    /**
     * Hands a complete bundle to the agent and answers: XFER_ACK when accepted, XFER_REFUSE "completed" when the
     * agent already had it, "not acceptable" when it rejected it.
     */
    private void deliver(ByteSource bundle, XferSegment last) {
        ReceptionResult result = context.bundleReceived(bundle, peer);
        if (result instanceof ReceptionResult.Rejected r) {
            LOG.log(Level.INFO, "TCPCL bundle from {0} rejected by the agent: {1}", peer.address(), r.reason());
            reply(new XferRefuse(XferRefuse.REASON_NOT_ACCEPTABLE, last.transferId()));
        } else if (result instanceof ReceptionResult.Duplicate) {
            reply(new XferRefuse(XferRefuse.REASON_COMPLETED, last.transferId()));
        } else {
            reply(new XferAck(last.flags(), last.transferId(), bundle.size()));
        }
        progressed();
    }

    private void refuseIncoming(int reason) {
        incoming.refused = true;
        if (incoming.buffer != null) {
            incoming.buffer.close();
            incoming.buffer = null;
        }
        setIncoming(incoming);
        reply(new XferRefuse(reason, incoming.id));
    }

    /** Empty when the extensions are acceptable, else the XFER_REFUSE reason. */
    private Optional<Integer> checkTransferExtensions(List<ExtensionItem> items) {
        for (ExtensionItem item : items) {
            if (item.type() == ExtensionItem.TYPE_TRANSFER_LENGTH) {
                if (item.transferLengthValue().isPresent()) {
                    long total = item.transferLengthValue().getAsLong();
                    if (total < 0 || total > options.maxBundleSize()) {
                        return Optional.of(XferRefuse.REASON_NO_RESOURCES);
                    }
                } else {
                    // dtn7-rs "refuse existing bundles": type 1 carrying a bundle ID string
                    String text = new String(item.value(), StandardCharsets.UTF_8);
                    try {
                        if (context.hasBundle(BundleId.parse(text))) {
                            return Optional.of(XferRefuse.REASON_COMPLETED);
                        }
                    } catch (RuntimeException e) {
                        if (item.critical()) {
                            return Optional.of(XferRefuse.REASON_EXTENSION_FAILURE);
                        }
                    }
                }
            } else if (item.critical()) {
                return Optional.of(XferRefuse.REASON_EXTENSION_FAILURE);
            }
        }
        return Optional.empty();
    }

    private void skip(long n) throws IOException {
        long remaining = n;
        while (remaining > 0) {
            long s = in.skip(remaining);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("stream ended inside segment data");
                }
                s = 1;
            }
            remaining -= s;
        }
    }

    // ------------------------------------------------------------------ ending

    /**
     * Starts ending the session properly (RFC 9174 §6.1): sends SESS_TERM with {@code reason}; transfers in
     * progress in either direction may finish, queued ones that did not start fail (and go over another session);
     * the connection closes once the peer replied and nothing is in progress, or after a bounded wait.
     *
     * @param reason the SESS_TERM reason code
     * @param why what to log about the reason
     */
    public void terminate(int reason, String why) {
        if (startEnding(reason, why)) {
            wakeWriter();
        }
    }

    private boolean startEnding(int reason, String why) {
        synchronized (this) {
            if (state != OPEN || termSent) {
                return false;
            }
            termSent = true;
            termReasonSent = reason;
            state = ENDING;
            endCause = why;
        }
        progressed();
        LOG.log(Level.DEBUG, "TCPCL session with {0}: SESS_TERM reason {1}: {2}", peer.address(), reason, why);
        enqueue(new SessTerm(0, reason));
        return true;
    }

    /**
     * Ends the session after a protocol error or timeout on the reading side (framing may be lost, so nothing
     * more is read): SESS_TERM (if none was sent yet) goes out after the frame being written, then the connection
     * closes. The timer bounds the wait if the writer is stuck.
     */
    private void terminateAndClose(int reason, String why) {
        if (!startEnding(reason, why) && state == ENDED) {
            return;
        }
        if (endCause.isEmpty()) {
            endCause = why;
        }
        progressed();
        closeAfterFlush = true;
        termReceived = true; // nothing more is read: do not wait for a reply
        wakeWriter();
        endWithin(why);
    }

    /** The peer's input ended cleanly: let the writer send what is queued, then close (bounded by a timer). */
    private void closeAfterFlushing(String why) {
        if (endCause.isEmpty()) {
            endCause = why;
        }
        termReceived = true;
        closeAfterFlush = true;
        wakeWriter();
        endWithin(why);
    }

    /** Ends the session if the writer has not closed it within 2 s (at most the frame timeout): it may be stuck. */
    private void endWithin(String why) {
        Thread.ofVirtual().start(() -> {
            try {
                if (!endedLatch.await(Math.min(2000, options.frameTimeout().toMillis()), TimeUnit.MILLISECONDS)) {
                    end(why);
                }
            } catch (InterruptedException e) {
                end(why);
            }
        });
    }

    /** Closes the connection at once and fails outstanding transfers. */
    void end(String cause) {
        synchronized (this) {
            if (state == ENDED) {
                return;
            }
            state = ENDED;
            if (endCause.isEmpty()) {
                endCause = cause;
            }
        }
        // fail waiting senders first: closing a TLS socket may block for a while
        TransmissionException closedEx = new TransmissionException(Reason.PEER_CLOSED,
                "TCPCL session with " + peer.address() + " ended: " + cause);
        for (OutTransfer t : outgoing.values()) {
            if (t.cancel()) {
                failNotStarted(t);
            } else {
                fail(t, closedEx); // started: the peer may have some of it
            }
        }
        endedLatch.countDown();
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
        Sockets.closeQuietly(rawSocket); // never blocks, unlike closing a TLS socket with a writer stuck in it
        Sockets.closeQuietly(socket);
        try {
            context.linkDown(peer);
        } finally {
            onEnd.accept(this);
        }
    }

    /** Closes the session: SESS_TERM, a short wait for transfers in progress and the reply, then the connection. */
    public void close() {
        terminate(SessTerm.REASON_UNKNOWN, "local shutdown");
        try {
            if (!endedLatch.await(1, TimeUnit.SECONDS)) {
                end("local shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end("local shutdown");
        }
    }

    private static final class OutTransfer {
        private static final AtomicIntegerFieldUpdater<OutTransfer> PHASE =
                AtomicIntegerFieldUpdater.newUpdater(OutTransfer.class, "phase");
        final long id;
        final ByteSource data;
        final long size;
        final long deadline; // System.nanoTime() by which the final XFER_ACK must have come
        final CompletableFuture<Void> future = new CompletableFuture<>();
        long offset; // writer thread only
        private volatile int phase; // 0 queued, 1 started by the writer, 2 cancelled before it started

        OutTransfer(long id, ByteSource data, long size, long deadline) {
            this.id = id;
            this.data = data;
            this.size = size;
            this.deadline = deadline;
        }

        /** The writer takes it: true unless it was cancelled first. */
        boolean claim() {
            return PHASE.compareAndSet(this, 0, 1);
        }

        /** Cancels it if it has not started (true also if it was cancelled before). */
        boolean cancel() {
            return PHASE.compareAndSet(this, 0, 2) || phase == 2;
        }
    }

    /** Visible for tests. */
    InputStream rawInput() {
        return in;
    }
}
