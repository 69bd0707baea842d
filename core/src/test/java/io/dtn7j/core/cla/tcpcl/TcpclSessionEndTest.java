package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessInit;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessTerm;
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
             TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options())) {
            cla.start(ctx);
            ClaAddress to = new ClaAddress("tcp", "127.0.0.1", peer.port());
            for (int round = 0; round < 40; round++) {
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
}
