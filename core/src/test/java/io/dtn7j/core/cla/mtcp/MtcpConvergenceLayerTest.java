package io.dtn7j.core.cla.mtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.LoopbackPair;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.bundle.ByteSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtcpConvergenceLayerTest {

    @TempDir
    Path tmp;
    TestClaContext ctxA;
    TestClaContext ctxB;
    MtcpConvergenceLayer a;
    MtcpConvergenceLayer b;

    static ClaOptions options() {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofMillis(800))
                .idleTimeout(Duration.ofSeconds(5)).maxBundleSize(16 << 20).build();
    }

    @BeforeEach
    void setUp() throws Exception {
        LoopbackPair<MtcpConvergenceLayer> pair = new LoopbackPair<>(tmp, MtcpConvergenceLayer::new, options(), options());
        ctxA = pair.ctxA;
        ctxB = pair.ctxB;
        a = pair.a;
        b = pair.b;
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    ClaAddress addr(MtcpConvergenceLayer cla) {
        return LoopbackPair.address(cla);
    }

    @Test
    void manyBundlesBothDirectionsConcurrently() throws Exception {
        LoopbackPair.exchangeBothWays(a, ctxA, b, ctxB, 4, 100, i -> 100 + i, i -> 200 + i);
    }

    @Test
    void wireFormatIsCborByteStringPerBundle() throws Exception {
        byte[] encoded = TestBundles.encoded(50, 1);
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            a.send(new ClaAddress("mtcp", "127.0.0.1", fake.getLocalPort()), new OutgoingBundle(
                    TestBundles.id(1), ByteSource.of(encoded)));
            try (Socket s = fake.accept()) {
                byte[] got = s.getInputStream().readNBytes(encoded.length + 2);
                byte[] expect = new byte[encoded.length + 2];
                expect[0] = 0x58;
                expect[1] = (byte) encoded.length;
                System.arraycopy(encoded, 0, expect, 2, encoded.length);
                assertThat(got).isEqualTo(expect);
            }
        }
    }

    @Test
    void dtn7GoStyleKeepalivesOnOneConnectionAreSkipped() throws Exception {
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x40, 0x40});
            for (int i = 0; i < 3; i++) {
                byte[] e = TestBundles.encoded(30, 100 + i);
                out.write(MtcpFraming.header(e.length));
                out.write(e);
                out.write(0x40);
            }
            out.flush();
            for (int i = 0; i < 3; i++) {
                assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(100 + i);
            }
        }
        assertThat(ctxB.rejected).isEmpty();
    }

    @Test
    void dtn7ZeroStyleConnectionPerBundle() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket("127.0.0.1", b.port())) {
                byte[] e = TestBundles.encoded(10, 200 + i);
                byte[] h = MtcpFraming.header(e.length);
                byte[] frame = new byte[h.length + e.length];
                System.arraycopy(h, 0, frame, 0, h.length);
                System.arraycopy(e, 0, frame, h.length, e.length);
                s.getOutputStream().write(frame);
            }
        }
        for (int i = 0; i < 5; i++) {
            assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isBetween(200L, 204L);
        }
    }

    @Test
    void largeBundleIsSpooledAndIntact() throws Exception {
        OutgoingBundle big = TestBundles.outgoing(3 << 20, 7);
        a.send(addr(b), big);
        TestClaContext.Received r = ctxB.take(Duration.ofSeconds(20));
        assertThat(r.spooled()).isTrue();
        assertThat(r.sha256()).isEqualTo(TestClaContext.sha256(big.encoded()));
        TestClaContext.assertEventuallyEmpty(tmp.resolve("spool-b"));
    }

    @Test
    void senderReconnectsAfterPeerRestart() throws Exception {
        a.send(addr(b), TestBundles.outgoing(10, 1));
        ctxB.take(Duration.ofSeconds(5));
        int port = b.port();
        b.close();
        b = new MtcpConvergenceLayer(options().toBuilder().port(port).build());
        for (int attempt = 0; ; attempt++) {
            try {
                b.start(ctxB);
                break;
            } catch (java.net.BindException e) {
                if (attempt > 50) {
                    throw e;
                }
                Thread.sleep(100);
                b = new MtcpConvergenceLayer(options().toBuilder().port(port).build());
            }
        }
        Thread.sleep(100);
        a.send(addr(b), TestBundles.outgoing(10, 2));
        assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(2);
    }

    @Test
    void unreachablePeerFailsWithConnectFailed() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        assertThatThrownBy(() -> a.send(new ClaAddress("mtcp", "127.0.0.1", free), TestBundles.outgoing(10, 1)))
                .isInstanceOf(TransmissionException.class)
                .extracting(e -> ((TransmissionException) e).reason())
                .isEqualTo(TransmissionException.Reason.CONNECT_FAILED);
    }

    /**
     * A sender waiting for a link while the CLA closes gets a TransmissionException, not a runtime exception from
     * the closed CLA's machinery: the link's first sender is stuck writing to a peer that does not read, the second
     * waits for the link, and the CLA closes.
     */
    @Test
    void aSenderWaitingForALinkWhileTheClaClosesGetsATransmissionException() throws Exception {
        try (ServerSocket sink = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors
                     .newVirtualThreadPerTaskExecutor()) {
            Thread.ofVirtual().start(() -> {
                try {
                    Socket s = sink.accept(); // accepted, never read: the first send blocks once the buffers are full
                    Thread.sleep(30_000);
                    s.close();
                } catch (Exception ignored) {
                    // test over
                }
            });
            ClaAddress to = new ClaAddress("mtcp", "127.0.0.1", sink.getLocalPort());
            java.util.concurrent.CompletableFuture<Throwable> first = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> failureOf(() -> a.send(to, TestBundles.outgoing(12 << 20, 1))), threads);
            Thread.sleep(300); // the first send holds the link, blocked in a write
            java.util.concurrent.CompletableFuture<Throwable> second = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> failureOf(() -> a.send(to, TestBundles.outgoing(10, 2))), threads);
            Thread.sleep(200); // the second waits for the link
            a.close();
            assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(TransmissionException.class);
            assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(TransmissionException.class)
                    .hasMessageContaining("closed");
        }
    }

    /** What {@code action} threw, or null if it returned. */
    private static Throwable failureOf(org.junit.jupiter.api.function.Executable action) {
        try {
            action.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    // ---------------------------------------------------------------- hostile peers

    /** Asserts the server closes the connection within {@code within}, and that B still works afterwards. */
    private void assertClosedAndStillServing(Socket s, Duration within) throws Exception {
        long t0 = System.nanoTime();
        s.setSoTimeout((int) within.toMillis() + 2000);
        InputStream in = s.getInputStream();
        int r;
        try {
            r = in.read();
        } catch (java.net.SocketException reset) {
            r = -1;
        }
        assertThat(r).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(within.plusMillis(4000)); // generous: shared CI machines
        a.send(addr(b), TestBundles.outgoing(10, 999));
        assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(999);
        assertThat(ctxB.received).isEmpty();
    }

    @Test
    void garbageClosesConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            s.getOutputStream().write(new byte[] {(byte) 0x9f, 1, 2, 3});
            assertClosedAndStillServing(s, Duration.ofMillis(500));
        }
    }

    @Test
    void oversizedLengthIsRefusedWithoutAllocating() throws Exception {
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            s.getOutputStream().write(new byte[] {0x5b, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0});
            assertClosedAndStillServing(s, Duration.ofMillis(500));
        }
    }

    @Test
    void slowlorisStallMidFrameIsDropped() throws Exception {
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            byte[] e = TestBundles.encoded(100, 5);
            s.getOutputStream().write(MtcpFraming.header(e.length));
            s.getOutputStream().write(e, 0, 20); // and then nothing
            assertClosedAndStillServing(s, Duration.ofMillis(800));
        }
    }

    /**
     * A bundle sent steadily but slower than the minimum rate: cut off at the default (800 ms frame timeout plus
     * nothing for 300 kB at 256 KiB/s, floored to whole seconds), delivered once the CLA's min-rate is lowered to
     * 16 KiB/s (800 ms plus 18 s). The sender never pauses for a frame timeout, so only the rate decides.
     */
    @Test
    void aSlowLinkNeedsALowerMinRate() throws Exception {
        byte[] e = TestBundles.encoded(300_000, 7);
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            Thread drip = dripAt100KBps(s, e);
            assertClosedAndStillServing(s, Duration.ofMillis(800));
            drip.interrupt();
        }
        assertThat(ctxB.received).isEmpty();
        b.close();
        b = new MtcpConvergenceLayer(options().toBuilder().minRate(16 * 1024).build());
        b.start(ctxB);
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            Thread drip = dripAt100KBps(s, e);
            assertThat(ctxB.take(Duration.ofSeconds(10)).id().creation().sequence()).isEqualTo(7);
            drip.join(5_000);
        }
    }

    /** Writes the MTCP frame of {@code encoded} at about 100 kB/s: 10 kB every 100 ms. */
    private static Thread dripAt100KBps(Socket s, byte[] encoded) {
        return Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                out.write(MtcpFraming.header(encoded.length));
                for (int at = 0; at < encoded.length; at += 10_000) {
                    out.write(encoded, at, Math.min(10_000, encoded.length - at));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (Exception closed) {
                // cut off
            }
        });
    }

    @Test
    void vanishingMidBundleDeliversNothing() throws Exception {
        byte[] e = TestBundles.encoded(5000, 6);
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            s.getOutputStream().write(MtcpFraming.header(e.length));
            s.getOutputStream().write(e, 0, e.length / 2);
        }
        Thread.sleep(300);
        a.send(addr(b), TestBundles.outgoing(10, 998));
        assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(998);
        assertThat(ctxB.received).isEmpty();
    }

    @Test
    void idleConnectionIsClosedAfterIdleTimeout() throws Exception {
        b.close();
        b = new MtcpConvergenceLayer(options().toBuilder().idleTimeout(Duration.ofMillis(600)).build());
        b.start(ctxB);
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            assertClosedAndStillServing(s, Duration.ofMillis(600));
        }
    }

    @Test
    void tooManyConnectionsAreTurnedAway() throws Exception {
        b.close();
        b = new MtcpConvergenceLayer(options().toBuilder().maxSessions(2).build());
        b.start(ctxB);
        try (Socket s1 = new Socket("127.0.0.1", b.port()); Socket s2 = new Socket("127.0.0.1", b.port());
             Socket s3 = new Socket("127.0.0.1", b.port())) {
            s3.setSoTimeout(2000);
            assertThat(s3.getInputStream().read()).isEqualTo(-1);
            byte[] e = TestBundles.encoded(10, 77);
            s1.getOutputStream().write(MtcpFraming.header(e.length));
            s1.getOutputStream().write(e);
            assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(77);
        }
    }
}
