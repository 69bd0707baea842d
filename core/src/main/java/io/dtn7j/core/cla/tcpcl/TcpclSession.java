package io.dtn7j.core.cla.tcpcl;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.BundleIdPeek;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceiveBuffer;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.Sockets;
import io.dtn7j.core.cla.TimedInput;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/**
 * One TCPCLv4 session (RFC 9174) over one TCP (or TLS) connection, either side. Threads: a reader (virtual
 * thread) that handles every received message and never blocks on writing; a control writer that sends
 * ACKs, REFUSEs, KEEPALIVEs and SESS_TERM from a bounded queue; a keepalive timer; and the callers of
 * {@link #transfer}, which write the segments of one transfer at a time (transfers may pipeline: the next
 * transfer starts while the previous one's final XFER_ACK is still on its way).
 */
public final class TcpclSession {

    private static final System.Logger LOG = System.getLogger(TcpclSession.class.getName());
    private static final int CONTROL_QUEUE = 16_384;
    private static final int PEEK_LIMIT = 64 * 1024;

    /**
     * The outcome of the contact header exchange and SESS_INIT negotiation.
     *
     * @param keepaliveSeconds the keepalive interval both sides use (the smaller proposal), 0 for none
     * @param peerSegmentMru the largest segment the peer accepts, in bytes
     * @param peerTransferMru the largest transfer (bundle) the peer accepts, in bytes
     * @param peerNodeId the peer's node ID from its SESS_INIT
     * @param tls whether the session runs over TLS
     */
    public record Negotiated(int keepaliveSeconds, long peerSegmentMru, long peerTransferMru, String peerNodeId,
                             boolean tls) {
    }

    private final Socket socket;
    private final TimedInput in;
    private final TcpclMessageReader reader;
    private final OutputStream out;
    private final ClaOptions options;
    private final ClaContext context;
    private final Negotiated negotiated;
    private final ClaPeer peer;
    private final boolean active;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock transferLock = new ReentrantLock(true);
    private final BlockingQueue<byte[]> control = new ArrayBlockingQueue<>(CONTROL_QUEUE);
    private final Map<Long, OutTransfer> outgoing = new ConcurrentHashMap<>();
    private final AtomicLong nextTransferId = new AtomicLong(1);
    private final AtomicBoolean terminating = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CountDownLatch endedLatch = new CountDownLatch(1);
    private final Consumer<TcpclSession> onEnd;
    private volatile long lastSent = System.nanoTime();
    private volatile int termReasonSent = -1;
    private volatile int termReasonReceived = -1;
    private volatile String endCause = "";

    // incoming transfer state (reader thread only)
    private InTransfer incoming;

    private TcpclSession(Socket socket, TimedInput in, OutputStream out, ClaOptions options, ClaContext context,
                         Negotiated negotiated, ClaPeer peer, boolean active, Consumer<TcpclSession> onEnd) {
        this.socket = socket;
        this.in = in;
        this.reader = new TcpclMessageReader(in, options.segmentMru(), TcpclMessageReader.DEFAULT_MAX_EXTENSIONS_LENGTH);
        this.out = out;
        this.options = options;
        this.context = context;
        this.negotiated = negotiated;
        this.peer = peer;
        this.active = active;
        this.onEnd = onEnd;
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
        try {
            return doEstablish(socket, active, address, options, context, onEnd);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(socket);
            if (e instanceof EstablishmentException) {
                throw e;
            }
            throw new EstablishmentException("TCPCL session with " + address + " could not be established: " + e, e);
        }
    }

    private static TcpclSession doEstablish(Socket socket, boolean active, ClaAddress address, ClaOptions options,
                                            ClaContext context, Consumer<TcpclSession> onEnd) throws IOException {
        Sockets.tune(socket);
        boolean canTls = options.sslContext() != null;
        Duration handshakeTimeout = options.connectTimeout().compareTo(options.frameTimeout()) > 0
                ? options.connectTimeout() : options.frameTimeout();
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
        OutputStream out = new BufferedOutputStream(channel.getOutputStream(), 64 * 1024);
        TimedInput in = new TimedInput(channel, channel.getInputStream(), handshakeTimeout);
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
        if (tls) {
            SSLSocket ssl = (SSLSocket) channel;
            boolean presented = TcpclTls.peerPresentedCertificate(ssl.getSession());
            List<String> sans = TcpclTls.peerSanUris(ssl.getSession());
            if ((presented || active) && !TcpclTls.nodeIdMatches(sans, theirs.nodeId())) {
                terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
                throw new EstablishmentException("peer " + address + " claims node ID " + theirs.nodeId()
                        + " but its TLS certificate names " + sans + " (RFC 9174 §4.4.3; sent SESS_TERM contact failure)");
            }
            if (!presented && options.requireTls()) {
                terminateEarly(out, SessTerm.REASON_CONTACT_FAILURE);
                throw new EstablishmentException("peer " + address + " presented no TLS certificate for node ID "
                        + theirs.nodeId() + " and this node requires authentication");
            }
        }
        int keepalive = Math.min(ours.keepaliveSeconds(), theirs.keepaliveSeconds());
        long segMru = theirs.segmentMru() < 0 ? Long.MAX_VALUE : Math.max(1, theirs.segmentMru());
        long xferMru = theirs.transferMru() < 0 ? Long.MAX_VALUE : theirs.transferMru();
        Negotiated n = new Negotiated(keepalive, segMru, xferMru, theirs.nodeId(), tls);
        in.frameTimeout(options.frameTimeout());
        TcpclSession session = new TcpclSession(channel, in, out, options, context, n,
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
        String tag = (active ? "out-" : "in-") + peer.address().host() + ":" + peer.address().port();
        Thread.ofVirtual().name("tcpcl-read-" + tag).start(this::readLoop);
        Thread.ofVirtual().name("tcpcl-write-" + tag).start(this::controlLoop);
        if (negotiated.keepaliveSeconds() > 0) {
            Thread.ofVirtual().name("tcpcl-keepalive-" + tag).start(this::keepaliveLoop);
        }
        context.linkUp(peer);
    }

    /** {@return the peer as the agent sees it (address and node ID)} */
    public ClaPeer peer() {
        return peer;
    }

    /** {@return the negotiated parameters} */
    public Negotiated negotiated() {
        return negotiated;
    }

    /**
     * {@return true until the session ended or started terminating; new transfers need a usable session}
     */
    public boolean usable() {
        return !ended.get() && !terminating.get();
    }

    /** {@return true once the session has ended} */
    public boolean ended() {
        return ended.get();
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
     * Sends one bundle as one transfer and waits for the XFER_ACK covering its last byte.
     *
     *
     * @param bundle the bundle to send
     * @throws TransmissionException REFUSED when the peer refused it, TOO_LARGE above the peer's transfer MRU,
     *                               PEER_CLOSED when the session ended first
     */
    public void transfer(OutgoingBundle bundle) throws TransmissionException {
        ByteSource data = bundle.encoded();
        long size = data.size();
        if (size > negotiated.peerTransferMru()) {
            throw new TransmissionException(Reason.TOO_LARGE, "bundle " + bundle.id() + " has " + size
                    + " bytes, more than peer " + peer.nodeId() + " accepts (transfer MRU "
                    + negotiated.peerTransferMru() + ")");
        }
        if (!usable()) {
            throw new TransmissionException(Reason.PEER_CLOSED, "TCPCL session with " + peer.address() + " has ended");
        }
        long id = nextTransferId.getAndIncrement();
        OutTransfer t = new OutTransfer(id, size);
        outgoing.put(id, t);
        if (ended.get()) {
            // end() may have failed the registered transfers just before this one was added
            fail(t, new TransmissionException(Reason.PEER_CLOSED, "TCPCL session with " + peer.address()
                    + " ended before transfer " + id + " started: " + endCause));
        }
        try {
            transferLock.lock();
            try {
                long offset = 0;
                boolean first = true;
                do {
                    if (t.future.isDone()) {
                        break; // refused or failed: stop sending segments
                    }
                    if (!usable()) {
                        // the session is ending: no XFER_ACK will complete this transfer
                        fail(t, new TransmissionException(Reason.PEER_CLOSED, "TCPCL session with " + peer.address()
                                + " is ending; transfer " + id + (first ? " was not started" : " was cut off")));
                        break;
                    }
                    long len = Math.min(negotiated.peerSegmentMru(), size - offset);
                    int flags = (first ? XferSegment.FLAG_START : 0) | (offset + len == size ? XferSegment.FLAG_END : 0);
                    List<ExtensionItem> ext = first && size > len ? List.of(ExtensionItem.transferLength(size)) : List.of();
                    offset += len;
                    // flush at the end of the transfer unless another transfer is queued right behind it:
                    // that one flushes both (small bundles then share one write and one TCP segment)
                    boolean flush = offset == size && !transferLock.hasQueuedThreads();
                    writeSegment(new XferSegment(flags, id, ext, len), data, offset - len, len, flush);
                    first = false;
                } while (offset < size);
            } catch (IOException e) {
                fail(t, new TransmissionException(Reason.PEER_CLOSED, "writing to " + peer.address() + " failed: "
                        + e.getMessage(), e));
                end("write failed: " + e.getMessage());
            } finally {
                transferLock.unlock();
            }
            Duration ackWait = options.idleTimeout().plusSeconds(size / TimedInput.MIN_RATE);
            try {
                t.future.get(ackWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new TransmissionException(Reason.TIMEOUT, "peer " + peer.nodeId() + " did not acknowledge transfer "
                        + id + " within " + ackWait.toSeconds() + " s");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TransmissionException te) {
                    throw te;
                }
                throw new TransmissionException(Reason.PROTOCOL_ERROR, "transfer failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransmissionException(Reason.PEER_CLOSED, "interrupted while waiting for XFER_ACK", e);
            }
        } finally {
            outgoing.remove(id);
        }
    }

    private void writeSegment(XferSegment header, ByteSource data, long offset, long len, boolean flush)
            throws IOException {
        byte[] h = header.encode();
        writeLock.lock();
        try {
            if (len <= 64 * 1024 - h.length) {
                byte[] frame = new byte[h.length + (int) len];
                System.arraycopy(h, 0, frame, 0, h.length);
                data.read(offset, frame, h.length, (int) len);
                out.write(frame);
            } else {
                out.write(h);
                data.slice(offset, len).writeTo(out);
            }
            if (flush) {
                out.flush();
            }
            lastSent = System.nanoTime();
        } finally {
            writeLock.unlock();
        }
    }

    private static void fail(OutTransfer t, TransmissionException e) {
        t.future.completeExceptionally(e);
    }

    // ------------------------------------------------------------------ control writer

    private void enqueue(TcpclMessage message) {
        if (ended.get()) {
            return;
        }
        if (!control.offer(message.encode())) {
            LOG.log(Level.WARNING, "TCPCL peer {0} does not read its acknowledgements; ending session", peer.address());
            end("control queue overflow (peer not reading)");
        }
    }

    private void controlLoop() {
        try {
            while (!ended.get()) {
                byte[] msg = control.poll(200, TimeUnit.MILLISECONDS);
                if (msg == null) {
                    continue;
                }
                boolean replied = false;
                writeLock.lock();
                try {
                    byte[] next = msg;
                    do {
                        out.write(next);
                        replied |= next[0] == TcpclMessage.SESS_TERM && (next[1] & SessTerm.FLAG_REPLY) != 0;
                    } while ((next = control.poll()) != null);
                    out.flush();
                    lastSent = System.nanoTime();
                } finally {
                    writeLock.unlock();
                }
                if (replied) {
                    // our reply to the peer's SESS_TERM is out: the session is over
                    end("peer ended the session (reason " + termReasonReceived + ")");
                }
            }
        } catch (IOException e) {
            end("write failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void keepaliveLoop() {
        long interval = Duration.ofSeconds(negotiated.keepaliveSeconds()).toNanos();
        // send well before the peer's timer fires (dtn7-rs drops a session whose keepalive is late)
        long half = Math.max(interval / 2, TimeUnit.MILLISECONDS.toNanos(200));
        try {
            while (!ended.get()) {
                if (endedLatch.await(half / 4_000_000L + 1, TimeUnit.MILLISECONDS)) {
                    return;
                }
                if (System.nanoTime() - lastSent >= half && !terminating.get()) {
                    enqueue(new Keepalive());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ reading

    private Duration idleLimit() {
        int k = negotiated.keepaliveSeconds();
        return k > 0 ? Duration.ofSeconds(2L * k).plusSeconds(1) : options.idleTimeout();
    }

    private void readLoop() {
        try {
            while (!ended.get()) {
                boolean more;
                try {
                    more = in.awaitFrame(idleLimit());
                } catch (TimedInput.PeerTimeoutException e) {
                    terminate(SessTerm.REASON_IDLE_TIMEOUT, "no message for " + idleLimit().toSeconds() + " s");
                    return;
                }
                if (!more) {
                    end("peer closed the connection");
                    return;
                }
                in.beginFrame(0);
                TcpclMessage message = reader.readMessage();
                handle(message);
                in.endFrame();
            }
        } catch (TimedInput.PeerTimeoutException e) {
            terminate(SessTerm.REASON_IDLE_TIMEOUT, e.getMessage());
        } catch (TcpclProtocolException e) {
            onProtocolError(e);
        } catch (EOFException e) {
            end("peer closed the connection mid-message");
        } catch (IOException e) {
            end("read failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "TCPCL session with " + peer.address() + " failed", e);
            terminate(SessTerm.REASON_UNKNOWN, "internal error: " + e);
        } finally {
            discardIncoming();
        }
    }

    private void onProtocolError(TcpclProtocolException e) {
        LOG.log(Level.WARNING, "TCPCL peer {0}: {1}", peer.address(), e.getMessage());
        switch (e.kind()) {
            case UNKNOWN_TYPE -> {
                enqueue(new MsgReject(MsgReject.REASON_TYPE_UNKNOWN, e.messageType()));
                terminate(SessTerm.REASON_UNKNOWN, e.getMessage()); // framing is lost after an unknown type
            }
            case TOO_LARGE -> terminate(SessTerm.REASON_RESOURCE_EXHAUSTION, e.getMessage());
            default -> terminate(SessTerm.REASON_UNKNOWN, e.getMessage());
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
        if (Long.compareUnsigned(ack.acknowledgedLength(), t.size) >= 0) {
            t.future.complete(null);
        }
    }

    private void onRefuse(XferRefuse refuse) {
        OutTransfer t = outgoing.get(refuse.transferId());
        if (t == null) {
            enqueue(new MsgReject(MsgReject.REASON_UNEXPECTED, TcpclMessage.XFER_REFUSE));
            return;
        }
        fail(t, new TransmissionException(Reason.REFUSED, "peer " + peer.nodeId() + " refused the transfer: "
                + refuseReasonName(refuse.reason())));
    }

    private void onSessTerm(SessTerm term) {
        termReasonReceived = term.reason();
        terminating.set(true);
        if (!term.reply()) {
            termReasonSent = term.reason();
            enqueue(new SessTerm(SessTerm.FLAG_REPLY, term.reason()));
            // controlLoop ends the session once the reply is written
        } else {
            end("session terminated (reason " + term.reason() + ")");
        }
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

        InTransfer(long id) {
            this.id = id;
        }
    }

    private void discardIncoming() {
        if (incoming != null && incoming.buffer != null) {
            incoming.buffer.close(); // a half-received bundle is never delivered
        }
        incoming = null;
    }

    private void onSegment(XferSegment seg) throws IOException {
        long len = seg.dataLength();
        in.extendFrame(len);
        if (seg.start()) {
            if (incoming != null && !incoming.refused) {
                LOG.log(Level.WARNING, "TCPCL peer {0} started transfer {1} before finishing transfer {2}",
                        peer.address(), seg.transferId(), incoming.id);
            }
            discardIncoming();
            if (terminating.get()) {
                skip(len);
                incoming = new InTransfer(seg.transferId());
                incoming.refused = true;
                enqueue(new XferRefuse(XferRefuse.REASON_SESSION_TERMINATING, seg.transferId()));
                return;
            }
            incoming = new InTransfer(seg.transferId());
            Optional<Integer> refusal = checkTransferExtensions(seg.extensions());
            if (refusal.isPresent()) {
                skip(len);
                incoming.refused = true;
                enqueue(new XferRefuse(refusal.get(), seg.transferId()));
                return;
            }
            incoming.buffer = new ReceiveBuffer(context.spoolDirectory(), options.spoolThreshold());
        } else if (incoming == null || incoming.id != seg.transferId()) {
            skip(len);
            enqueue(new MsgReject(MsgReject.REASON_UNEXPECTED, TcpclMessage.XFER_SEGMENT));
            return;
        }
        if (incoming.refused) {
            skip(len); // remaining segments of a refused transfer are dropped
            if (seg.end()) {
                incoming = null;
            }
            return;
        }
        InTransfer t = incoming;
        if (t.buffer.size() + len > options.maxBundleSize()) {
            skip(len);
            refuseIncoming(XferRefuse.REASON_NO_RESOURCES);
            if (seg.end()) {
                incoming = null;
            }
            return;
        }
        t.buffer.appendFrom(in, len);
        if (!t.idChecked && t.buffer.size() > 0) {
            Optional<BundleId> id = BundleIdPeek.peek(t.buffer.head(PEEK_LIMIT));
            if (id.isPresent() || t.buffer.size() >= PEEK_LIMIT || seg.end()) {
                t.idChecked = true;
            }
            if (id.isPresent() && context.hasBundle(id.get())) {
                refuseIncoming(XferRefuse.REASON_COMPLETED);
                if (seg.end()) {
                    incoming = null;
                }
                return;
            }
        }
        if (!seg.end()) {
            enqueue(new XferAck(seg.flags(), seg.transferId(), t.buffer.size()));
            return;
        }
        // complete: hand to the agent, acknowledge the last segment only once it accepted the bundle
        in.endFrame();
        incoming = null;
        try (ReceiveBuffer buffer = t.buffer) {
            ReceptionResult result = context.bundleReceived(buffer.toByteSource(), peer);
            if (result instanceof ReceptionResult.Rejected r) {
                LOG.log(Level.INFO, "TCPCL bundle from {0} rejected by the agent: {1}", peer.address(), r.reason());
                enqueue(new XferRefuse(XferRefuse.REASON_NOT_ACCEPTABLE, seg.transferId()));
            } else {
                enqueue(new XferAck(seg.flags(), seg.transferId(), buffer.size()));
            }
        }
    }

    private void refuseIncoming(int reason) {
        incoming.refused = true;
        if (incoming.buffer != null) {
            incoming.buffer.close();
            incoming.buffer = null;
        }
        enqueue(new XferRefuse(reason, incoming.id));
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
     * Ends the session properly: sends SESS_TERM with {@code reason}, waits briefly for the peer's reply,
     * then closes the connection.
     *
     * @param reason the SESS_TERM reason code
     * @param why what to log about the reason
     */
    public void terminate(int reason, String why) {
        if (ended.get()) {
            return;
        }
        if (terminating.compareAndSet(false, true)) {
            termReasonSent = reason;
            LOG.log(Level.DEBUG, "TCPCL session with {0}: SESS_TERM reason {1}: {2}", peer.address(), reason, why);
            enqueue(new SessTerm(0, reason));
        }
        // the reader (or its end) closes the session once the reply arrives; bound the wait
        Thread.ofVirtual().start(() -> {
            try {
                if (!endedLatch.await(Math.min(2000, options.frameTimeout().toMillis()), TimeUnit.MILLISECONDS)) {
                    end(why);
                }
            } catch (InterruptedException e) {
                end(why);
            }
        });
        if (Thread.currentThread().getName().startsWith("tcpcl-read-")) {
            // the reader stops on a protocol error or timeout: wait until SESS_TERM is out, then close
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (!control.isEmpty() && System.nanoTime() < until && !ended.get()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    break;
                }
            }
            try {
                if (writeLock.tryLock(200, TimeUnit.MILLISECONDS)) {
                    writeLock.unlock(); // the control writer has finished writing what it took
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            end(why);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the connection at once and fails outstanding transfers. */
    void end(String cause) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        endCause = cause;
        terminating.set(true);
        // fail waiting senders first: closing a TLS socket may block for a while
        TransmissionException closedEx = new TransmissionException(Reason.PEER_CLOSED,
                "TCPCL session with " + peer.address() + " ended: " + cause);
        outgoing.values().forEach(t -> t.future.completeExceptionally(closedEx));
        endedLatch.countDown();
        Sockets.closeQuietly(socket);
        try {
            context.linkDown(peer);
        } finally {
            onEnd.accept(this);
        }
    }

    /** Closes the session: SESS_TERM, a short wait for the reply, then the connection. */
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
        final long id;
        final long size;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        OutTransfer(long id, long size) {
            this.id = id;
            this.size = size;
        }
    }

    /** Visible for tests. */
    InputStream rawInput() {
        return in;
    }
}
