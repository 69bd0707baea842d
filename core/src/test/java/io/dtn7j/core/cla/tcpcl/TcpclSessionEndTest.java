package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessInit;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessTerm;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferAck;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferRefuse;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferSegment;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How pending transfers end when the session ends (RFC 9174 §6.1). */
class TcpclSessionEndTest {

    @TempDir
    Path tmp;

    static ClaOptions options() {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofMillis(800))
                .keepalive(Duration.ofSeconds(30)).idleTimeout(Duration.ofMinutes(5)).maxBundleSize(32 << 20).build();
    }

    /** A passive raw peer that answers the contact header and SESS_INIT, then at once sends SESS_TERM. */
    static final class TerminatingPeer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> open = new CopyOnWriteArrayList<>();

        TerminatingPeer() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        open.add(s);
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        void serve(Socket s) {
            try {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                TcpclMessageReader reader = new TcpclMessageReader(new DataInputStream(s.getInputStream()),
                        Long.MAX_VALUE, 1 << 20);
                out.write(ContactHeader.v4(false).encode());
                reader.readContactHeader();
                reader.readMessage(); // SESS_INIT
                byte[] init = new SessInit(30, 1 << 20, 1 << 30, "dtn://quitter/", List.of()).encode();
                byte[] term = new SessTerm(0, SessTerm.REASON_BUSY).encode();
                byte[] both = new byte[init.length + term.length];
                System.arraycopy(init, 0, both, 0, init.length);
                System.arraycopy(term, 0, both, init.length, term.length);
                out.write(both);
                out.flush();
                s.getInputStream().transferTo(OutputStream.nullOutputStream()); // read, never acknowledge
            } catch (IOException ignored) {
                // the session under test closed the connection
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void everySendFailsPromptlyWhenThePeerEndsTheSessionRightAway() throws Exception {
        TestClaContext ctx = new TestClaContext("dtn://a/", tmp.resolve("spool"));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (TerminatingPeer peer = new TerminatingPeer();
             TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options().toBuilder()
                     .frameTimeout(Duration.ofMillis(300)).build())) {
            cla.start(ctx);
            ClaAddress to = new ClaAddress("tcp", "127.0.0.1", peer.port());
            // a transfer that started before SESS_TERM arrived waits the frame timeout for an acknowledgement
            // (RFC 9174 §6.1 lets it finish), one that did not start fails at once: all within 3 s
            for (int round = 0; round < 6; round++) {
                List<Future<TransmissionException>> sends = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int seq = round * 10 + i;
                    sends.add(pool.submit(() -> {
                        try {
                            cla.send(to, TestBundles.outgoing(100, seq));
                            return null;
                        } catch (TransmissionException e) {
                            return e;
                        }
                    }));
                }
                for (Future<TransmissionException> f : sends) {
                    TransmissionException e = f.get(3, TimeUnit.SECONDS); // TimeoutException: a send hung
                    assertThat(e).as("round " + round + ": a send to a peer that ended the session").isNotNull();
                    assertThat(e.reason()).isIn(TransmissionException.Reason.PEER_CLOSED,
                            TransmissionException.Reason.CONNECT_FAILED);
                }
            }
        } finally {
            pool.shutdownNow(); // a hung send must not hold the test up
        }
    }

    /** One accepted connection of a {@link ScriptedPeer}, after the contact header and SESS_INIT exchange. */
    record Conn(Socket socket, OutputStream out, TcpclMessageReader reader) {
        void write(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        TcpclMessage next() throws IOException {
            while (true) {
                TcpclMessage m = reader.readMessage();
                if (!(m instanceof TcpclMessage.Keepalive)) {
                    return m;
                }
            }
        }

        byte[] data(XferSegment seg) throws IOException {
            return reader.in().readNBytes((int) seg.dataLength());
        }

        boolean closedByPeer() {
            try {
                return socket.getInputStream().read() < 0;
            } catch (IOException e) {
                return true;
            }
        }
    }

    interface Script {
        void run(int connection, Conn c) throws Exception;
    }

    /** A passive raw peer that runs a script on each connection (numbered from 0) after SESS_INIT. */
    static final class ScriptedPeer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

        ScriptedPeer(long segmentMru, Script script) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        open.add(s);
                        int n = accepted.getAndIncrement();
                        Thread.ofVirtual().start(() -> {
                            try {
                                s.setTcpNoDelay(true);
                                s.setSoTimeout(10_000);
                                Conn c = new Conn(s, s.getOutputStream(), new TcpclMessageReader(
                                        new DataInputStream(s.getInputStream()), Long.MAX_VALUE, 1 << 20));
                                c.write(ContactHeader.v4(false).encode());
                                c.reader().readContactHeader();
                                c.reader().readMessage(); // SESS_INIT
                                c.write(new SessInit(30, segmentMru, 1 << 30, "dtn://scripted/", List.of()).encode());
                                script.run(n, c);
                            } catch (Throwable e) {
                                failures.add(e);
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void transferInProgressWhenThePeerSendsSessTermCompletesAndNextSendUsesANewSession() throws Exception {
        TestClaContext ctx = new TestClaContext("dtn://a/", tmp.resolve("spool"));
        OutgoingBundle big = TestBundles.outgoing(200_000, 1); // 20 segments of 10 000 bytes
        OutgoingBundle next = TestBundles.outgoing(100, 2);
        ByteArrayOutputStream firstReceived = new ByteArrayOutputStream();
        List<TcpclMessage> firstSession = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream secondReceived = new ByteArrayOutputStream();
        java.util.concurrent.CountDownLatch termSent = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean firstClosed = new java.util.concurrent.atomic.AtomicBoolean();
        try (ScriptedPeer peer = new ScriptedPeer(10_000, (n, c) -> {
            if (n == 0) {
                long total = 0;
                while (true) {
                    TcpclMessage m = c.next();
                    firstSession.add(m);
                    if (m instanceof XferSegment seg) {
                        byte[] d = c.data(seg);
                        firstReceived.write(d);
                        total += d.length;
                        if (seg.start()) {
                            c.write(new SessTerm(0, SessTerm.REASON_RESOURCE_EXHAUSTION).encode());
                            termSent.countDown();
                        }
                        c.write(new XferAck(seg.flags(), seg.transferId(), total).encode());
                        if (seg.end()) {
                            break;
                        }
                    }
                }
                // the reply may come after the last segment; then the session closes: nothing is in progress
                while (firstSession.stream().noneMatch(m -> m instanceof SessTerm)) {
                    firstSession.add(c.next());
                }
                firstClosed.set(c.closedByPeer());
            } else {
                TcpclMessage m = c.next();
                XferSegment seg = (XferSegment) m;
                byte[] d = c.data(seg);
                secondReceived.write(d);
                c.write(new XferAck(seg.flags(), seg.transferId(), d.length).encode());
                c.closedByPeer();
            }
        }); TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options())) {
            cla.start(ctx);
            ClaAddress to = new ClaAddress("tcp", "127.0.0.1", peer.port());
            cla.send(to, big); // completes although the peer sent SESS_TERM after its first segment
            assertThat(termSent.await(1, TimeUnit.SECONDS)).isTrue();
            assertThat(firstReceived.toByteArray()).isEqualTo(big.encoded().toByteArray());
            cla.send(to, next); // the first session is ending: a new one carries it
            assertThat(secondReceived.toByteArray()).isEqualTo(next.encoded().toByteArray());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!firstClosed.get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(peer.failures).isEmpty();
            assertThat(firstSession).contains(new SessTerm(SessTerm.FLAG_REPLY, SessTerm.REASON_RESOURCE_EXHAUSTION));
            assertThat(firstSession.stream().filter(m -> m instanceof XferSegment).count()).isEqualTo(
                    (big.encoded().size() + 9_999) / 10_000);
            assertThat(firstClosed).isTrue();
            assertThat(peer.accepted.get()).isEqualTo(2);
        }
    }

    @Test
    void incomingTransferInProgressFinishesAfterThisSideSendsSessTermAndNewOnesAreRefused() throws Exception {
        TestClaContext ctx = new TestClaContext("dtn://b/", tmp.resolve("spool-b"));
        try (TcpclConvergenceLayer b = new TcpclConvergenceLayer(options().toBuilder().segmentMru(10_000).build())) {
            b.start(ctx);
            try (RawTcpclPeer p = new RawTcpclPeer(b.port())) {
                p.handshake("dtn://raw/", 30);
                byte[] e = TestBundles.encoded(25_000, 7);
                p.segment(XferSegment.FLAG_START, 1, List.of(), e, 0, 10_000);
                assertThat(p.next()).isEqualTo(new XferAck(XferSegment.FLAG_START, 1, 10_000));
                TcpclSession session = b.sessions().getFirst();
                session.terminate(SessTerm.REASON_IDLE_TIMEOUT, "test");
                assertThat(p.next()).isEqualTo(new SessTerm(0, SessTerm.REASON_IDLE_TIMEOUT));
                assertThat(session.usable()).isFalse();
                // the transfer in progress goes on to its end, a new one is refused
                p.segment(0, 1, List.of(), e, 10_000, 10_000);
                assertThat(p.next()).isEqualTo(new XferAck(0, 1, 20_000));
                p.segment(XferSegment.FLAG_END, 1, List.of(), e, 20_000, e.length - 20_000);
                assertThat(p.next()).isEqualTo(new XferAck(XferSegment.FLAG_END, 1, e.length));
                assertThat(ctx.take(Duration.ofSeconds(2)).id()).isEqualTo(TestBundles.id(7));
                byte[] other = TestBundles.encoded(10, 8);
                p.segment(XferSegment.FLAG_START | XferSegment.FLAG_END, 2, List.of(), other, 0, other.length);
                assertThat(p.next()).isEqualTo(new XferRefuse(XferRefuse.REASON_SESSION_TERMINATING, 2));
                assertThat(session.ended()).isFalse(); // still waiting for the reply
                p.write(new SessTerm(SessTerm.FLAG_REPLY, SessTerm.REASON_IDLE_TIMEOUT));
                assertThat(p.closedByPeer()).isTrue();
                assertThat(session.awaitEnd(Duration.ofSeconds(2))).isTrue();
            }
            assertThat(ctx.received).isEmpty();
        }
    }

    @Test
    void queuedTransfersThatDidNotStartFailPromptlyWhenThePeerGoesSilentAfterSessTerm() throws Exception {
        // the peer sends SESS_TERM during the first transfer and then never acknowledges anything
        TestClaContext ctx = new TestClaContext("dtn://a/", tmp.resolve("spool"));
        try (ScriptedPeer peer = new ScriptedPeer(1 << 20, (n, c) -> {
            TcpclMessage m = c.next();
            c.data((XferSegment) m);
            c.write(new SessTerm(0, SessTerm.REASON_BUSY).encode());
            c.socket().getInputStream().transferTo(OutputStream.nullOutputStream());
        }); TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options())) {
            cla.start(ctx);
            ClaAddress to = new ClaAddress("tcp", "127.0.0.1", peer.port());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> cla.send(to, TestBundles.outgoing(100, 1)))
                    .isInstanceOf(TransmissionException.class)
                    .extracting(e -> ((TransmissionException) e).reason())
                    .isEqualTo(TransmissionException.Reason.PEER_CLOSED);
            // frame timeout 800 ms without progress after SESS_TERM, then the session closes
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void transferThePeerNeverAcknowledgesTimesOutWhileTheSessionStaysUp() throws Exception {
        TestClaContext ctx = new TestClaContext("dtn://a/", tmp.resolve("spool"));
        try (ScriptedPeer peer = new ScriptedPeer(1 << 20, (n, c) -> {
            XferSegment seg = (XferSegment) c.next();
            c.data(seg);
            for (int i = 0; i < 40; i++) { // alive, but never acknowledges
                c.write(new TcpclMessage.Keepalive().encode());
                Thread.sleep(100);
            }
        }); TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options().toBuilder()
                .idleTimeout(Duration.ofSeconds(1)).build())) {
            cla.start(ctx);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> cla.send(new ClaAddress("tcp", "127.0.0.1", peer.port()), TestBundles.outgoing(100, 1)))
                    .isInstanceOf(TransmissionException.class)
                    .extracting(e -> ((TransmissionException) e).reason())
                    .isEqualTo(TransmissionException.Reason.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
            assertThat(cla.sessions()).hasSize(1).allSatisfy(x -> assertThat(x.usable()).isTrue());
        }
    }
}
