package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic both ways on one session: the node sends a bundle larger than its segment MRU to a peer that reads it
 * steadily but slowly (each segment takes longer than a frame timeout), while the peer sends its own bundle in
 * 6,000 one-byte segments. The node's XFER_ACKs wait behind the segment being written; the peer is reading all the
 * time, so the session must not end as "peer does not read its acknowledgements", segments stay within this node's
 * MRU although the peer accepts any size, and no KEEPALIVEs pile up behind a segment.
 */
class TcpclBidirectionalBulkTest {

    @TempDir
    Path tmp;

    @Test
    void aPeerThatReadsSteadilyIsNotDroppedWhileALargeSegmentIsBeingWritten() throws Exception {
        TestClaContext ctx = new TestClaContext("dtn://node/", tmp.resolve("spool"));
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofMillis(500))
                .maxBundleSize(64 << 20).build();
        int bundleSize = 8 << 20;
        AtomicInteger acksForPeer = new AtomicInteger();
        AtomicInteger keepalives = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong largestSegment = new java.util.concurrent.atomic.AtomicLong();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options)) {
            cla.start(ctx);
            CompletableFuture<String> peerSide = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(20_000);
                    OutputStream out = s.getOutputStream();
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    TcpclMessageReader reader = new TcpclMessageReader(in, Long.MAX_VALUE, 1 << 20);
                    reader.readContactHeader();
                    out.write(ContactHeader.v4(false).encode());
                    reader.readMessage(); // SESS_INIT
                    out.write(new TcpclMessage.SessInit(1, Long.MAX_VALUE, Long.MAX_VALUE, "dtn://bulk/", List.of())
                            .encode());
                    out.flush();
                    TcpclMessage first = reader.readMessage();
                    if (!(first instanceof TcpclMessage.XferSegment seg)) {
                        return "expected a segment, got " + first;
                    }
                    // the peer's own bundle: 6000 one-byte segments of one transfer, written by another thread
                    Thread flood = Thread.ofVirtual().start(() -> {
                        try {
                            byte[] h0 = new TcpclMessage.XferSegment(2, 7, List.of(), 1).encode();
                            byte[] h = new TcpclMessage.XferSegment(0, 7, List.of(), 1).encode();
                            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                            b.write(h0);
                            b.write(0x9f);
                            for (int i = 0; i < 6000; i++) {
                                b.write(h);
                                b.write(0);
                            }
                            synchronized (out) {
                                out.write(b.toByteArray());
                                out.flush();
                            }
                        } catch (IOException ignored) {
                            // session ended
                        }
                    });
                    // read the node's segments steadily (64 KiB every 15 ms, about 4 MiB/s), acknowledge each, and
                    // count the node's answers to the peer's own segments, which come between the node's segments
                    TcpclMessage m = seg;
                    boolean ended = false;
                    long received = 0;
                    while (!ended || acksForPeer.get() < 6000) {
                        if (m instanceof TcpclMessage.XferSegment s2) {
                            largestSegment.accumulateAndGet(s2.dataLength(), Math::max);
                            long left = s2.dataLength();
                            byte[] buf = new byte[64 << 10];
                            while (left > 0) {
                                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                                if (r < 0) {
                                    return "node closed the session inside a segment (" + acksForPeer.get()
                                            + " XFER_ACKs before)";
                                }
                                left -= r;
                                Thread.sleep(15);
                            }
                            ended = s2.end();
                            received += s2.dataLength();
                            synchronized (out) {
                                out.write(new TcpclMessage.XferAck(s2.flags(), s2.transferId(), received).encode());
                                out.flush();
                            }
                        } else if (m instanceof TcpclMessage.XferAck) {
                            acksForPeer.incrementAndGet();
                        } else if (m instanceof TcpclMessage.Keepalive) {
                            keepalives.incrementAndGet();
                        }
                        if (!ended || acksForPeer.get() < 6000) {
                            m = reader.readMessage();
                        }
                    }
                    flood.join();
                    return "ok";
                } catch (java.net.SocketException | java.io.EOFException e) {
                    return "node closed the session: " + e + " (" + acksForPeer.get() + " XFER_ACKs)";
                } catch (Exception e) {
                    return "peer failed: " + e;
                }
            });
            String sendResult;
            try {
                cla.send(new ClaAddress("tcp", "127.0.0.1", server.getLocalPort()), TestBundles.outgoing(bundleSize, 1));
                sendResult = "sent";
            } catch (TransmissionException e) {
                sendResult = "send failed: " + e.getMessage();
            }
            String peer = peerSide.get(30, TimeUnit.SECONDS);
            assertThat(sendResult + " / peer: " + peer).isEqualTo("sent / peer: ok");
            // the peer's MRU is unbounded: segments are capped by this node's own (4 MiB by default), so that its
            // answers do not wait behind one segment the size of the bundle
            assertThat(largestSegment.get()).isEqualTo(options.segmentMru());
            // keepalive 1 s (the peer's proposal), the transfer about 2 s, always with a segment being written: a
            // segment is a message, and none piles up behind one (the timer fires every 125 ms)
            assertThat(keepalives.get()).as("KEEPALIVEs received").isLessThanOrEqualTo(2);
        }
    }
}
