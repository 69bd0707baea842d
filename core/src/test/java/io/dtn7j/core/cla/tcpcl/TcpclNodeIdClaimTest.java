package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without TLS, the node ID in a SESS_INIT is only a claim (RFC 9174 §4.4.3). A peer that claims another node's ID
 * must not receive that node's bundles: node A sends to B (B's address and node ID) while an impostor, "mallory",
 * holds an inbound session with A claiming to be {@code dtn://b/}, and acknowledges whatever it gets, so that A would
 * take a bundle sent to it as delivered.
 */
class TcpclNodeIdClaimTest {

    @TempDir
    Path tmp;

    private static ClaOptions options() {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofSeconds(2)).build();
    }

    /** A's session with B at B's own address is used, and the impostor's later session does not displace it. */
    @Test
    void anImpostorDoesNotTakeOverAnExistingSession() throws Exception {
        TestClaContext ctxA = new TestClaContext("dtn://a/", tmp.resolve("a"));
        TestClaContext ctxB = new TestClaContext("dtn://b/", tmp.resolve("b"));
        try (TcpclConvergenceLayer a = new TcpclConvergenceLayer(options());
             TcpclConvergenceLayer b = new TcpclConvergenceLayer(options())) {
            a.start(ctxA);
            b.start(ctxB);
            ClaPeer toB = new ClaPeer(new ClaAddress("tcp", "127.0.0.1", b.port()), EndpointId.parse("dtn://b/"));
            a.send(toB, TestBundles.outgoing(100, 1));
            assertThat(ctxB.take(Duration.ofSeconds(5)).id()).isEqualTo(TestBundles.id(1));

            try (RawTcpclPeer mallory = new RawTcpclPeer(a.port())) {
                mallory.handshake("dtn://b/", 30);
                Thread.sleep(300);
                CompletableFuture<Long> stolen = acknowledgeOne(mallory);
                a.send(toB, TestBundles.outgoing(100, 2));
                assertThat(stolenBytes(stolen)).as("bytes of B's bundle the impostor received").isNull();
                assertThat(ctxB.take(Duration.ofSeconds(5)).id()).isEqualTo(TestBundles.id(2));
            }
        }
    }

    /**
     * With no session to B yet, A does not use the impostor's session from another host (127.0.0.2, as A sees it)
     * because of the node ID it claims: A connects to B's address.
     */
    @Test
    void aSessionFromAnotherHostClaimingTheNodeIdIsNotUsedForThatNode() throws Exception {
        TestClaContext ctxA = new TestClaContext("dtn://a/", tmp.resolve("a"));
        TestClaContext ctxB = new TestClaContext("dtn://b/", tmp.resolve("b"));
        try (TcpclConvergenceLayer a = new TcpclConvergenceLayer(options());
             TcpclConvergenceLayer b = new TcpclConvergenceLayer(options());
             RawTcpclPeer mallory = new RawTcpclPeer(startAndPort(a, ctxA), 0, "127.0.0.2")) {
            b.start(ctxB);
            mallory.handshake("dtn://b/", 30);
            Thread.sleep(300);
            assertThat(a.sessions()).as("the impostor's session is up").hasSize(1);
            CompletableFuture<Long> stolen = acknowledgeOne(mallory);
            a.send(new ClaPeer(new ClaAddress("tcp", "127.0.0.1", b.port()), EndpointId.parse("dtn://b/")),
                    TestBundles.outgoing(100, 1));
            assertThat(stolenBytes(stolen)).as("bytes of B's bundle the impostor received").isNull();
            assertThat(ctxB.take(Duration.ofSeconds(5)).id()).isEqualTo(TestBundles.id(1));
            // what is addressed to the impostor at its own address still reaches it over its session (the reader
            // above is still waiting for its first segment)
            ClaAddress malloryAt = new ClaAddress("tcp", "127.0.0.2", mallory.socket.getLocalPort());
            a.send(new ClaPeer(malloryAt, EndpointId.parse("dtn://b/")), TestBundles.outgoing(100, 2));
            assertThat(stolen.get(5, TimeUnit.SECONDS)).isPositive();
        }
    }

    private static int startAndPort(TcpclConvergenceLayer cla, TestClaContext ctx) throws Exception {
        cla.start(ctx);
        return cla.port();
    }

    /** The impostor reads one segment and acknowledges it, as if it had delivered the bundle. */
    private static CompletableFuture<Long> acknowledgeOne(RawTcpclPeer mallory) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                TcpclMessage m;
                do {
                    m = mallory.next();
                } while (m instanceof TcpclMessage.Keepalive);
                if (m instanceof TcpclMessage.XferSegment seg) {
                    mallory.in.skipNBytes(seg.dataLength());
                    mallory.write(new TcpclMessage.XferAck(seg.flags(), seg.transferId(), seg.dataLength()));
                    return seg.dataLength();
                }
                return -1L;
            } catch (Exception e) {
                return -2L;
            }
        });
    }

    /** {@return what the impostor got within 2 s, or null if it got nothing} */
    private static Long stolenBytes(CompletableFuture<Long> stolen) throws Exception {
        try {
            return stolen.get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }
}
