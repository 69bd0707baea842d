package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer sends its last transfer and SESS_TERM, then half-closes its side (FIN) and reads the node's answers. The
 * bundle is accepted, so its XFER_ACK (and the SESS_TERM reply) must reach the peer before the connection closes:
 * the end of the input stream lets the writer send what is queued first, or the sender would take a bundle the node
 * accepted for failed.
 */
class TcpclHalfCloseTest {

    @TempDir
    Path tmp;

    @Test
    void anAcceptedBundleIsAcknowledgedEvenWhenThePeerHalfClosesRightAfterIt() throws Exception {
        TestClaContext ctx = new TestClaContext("dtn://node/", tmp.resolve("spool"));
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofSeconds(2))
                .build();
        int rounds = 40;
        int accepted = 0;
        int acked = 0;
        try (TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options)) {
            cla.start(ctx);
            for (int i = 0; i < rounds; i++) {
                byte[] bundle = TestBundles.encoded(200, 5000 + i);
                try (RawTcpclPeer p = new RawTcpclPeer(cla.port())) {
                    p.handshake("dtn://halfclose/", 30);
                    byte[] term = new TcpclMessage.SessTerm(0, TcpclMessage.SessTerm.REASON_UNKNOWN).encode();
                    byte[] h = new TcpclMessage.XferSegment(3, 0, List.of(), bundle.length).encode();
                    byte[] all = new byte[h.length + bundle.length + term.length];
                    System.arraycopy(h, 0, all, 0, h.length);
                    System.arraycopy(bundle, 0, all, h.length, bundle.length);
                    System.arraycopy(term, 0, all, h.length + bundle.length, term.length);
                    p.write(all);
                    p.socket.shutdownOutput(); // done sending; still reading the node's answers
                    boolean gotAck = false;
                    try {
                        while (true) {
                            TcpclMessage m = p.next();
                            if (m instanceof TcpclMessage.XferAck ack && ack.transferId() == 0
                                    && ack.acknowledgedLength() == bundle.length) {
                                gotAck = true;
                            }
                        }
                    } catch (EOFException | java.net.SocketException end) {
                        // closed
                    } catch (IOException e) {
                        // timeout etc.
                    }
                    if (gotAck) {
                        acked++;
                    }
                }
                if (ctx.received.poll(2, java.util.concurrent.TimeUnit.SECONDS) != null) {
                    accepted++;
                }
            }
        }
        assertThat(accepted).as("bundles the node accepted").isEqualTo(rounds);
        assertThat(acked).as("of %d accepted bundles, acknowledged to the sender", accepted).isEqualTo(accepted);
    }
}
