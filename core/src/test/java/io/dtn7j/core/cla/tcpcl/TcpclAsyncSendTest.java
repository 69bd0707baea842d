package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.LoopbackPair;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessTerm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TcpclConvergenceLayer#trySendAsync}: transfers queued on a session that is up, without a waiting thread. */
class TcpclAsyncSendTest {

    @TempDir
    Path tmp;
    LoopbackPair<TcpclConvergenceLayer> pair;
    TestClaContext ctxB;
    TcpclConvergenceLayer a;
    TcpclConvergenceLayer b;
    ClaPeer toB;

    @BeforeEach
    void setUp() throws Exception {
        pair = new LoopbackPair<>(tmp, TcpclConvergenceLayer::new, TcpclConvergenceLayerTest.options(),
                TcpclConvergenceLayerTest.options());
        ctxB = pair.ctxB;
        a = pair.a;
        b = pair.b;
        toB = new ClaPeer(LoopbackPair.address(b), EndpointId.parse("dtn://b/"));
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    @Test
    void withoutASessionTheCallerMustUseSend() throws Exception {
        assertThat(a.trySendAsync(toB, TestBundles.outgoing(10, 1))).isNull();
        assertThat(a.trySendAsync(new ClaPeer(LoopbackPair.address(b), null), TestBundles.outgoing(10, 1))).isNull();
        assertThat(a.sessions()).isEmpty(); // nothing was connected
    }

    @Test
    void manyTransfersInFlightAreAllAcknowledgedAndDelivered() throws Exception {
        a.send(toB, TestBundles.outgoing(10, 0)); // brings the session up
        ctxB.take(Duration.ofSeconds(5));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            CompletableFuture<Void> f = a.trySendAsync(toB, TestBundles.outgoing(100 + i, i));
            assertThat(f).as("transfer %d", i).isNotNull();
            sent.add(f);
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        Set<Long> got = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            got.add(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence());
        }
        assertThat(got).hasSize(300).contains(1L, 300L);
        assertThat(a.sessions()).hasSize(1);
    }

    @Test
    void refusalCompletesTheFutureWithReasonRefused() throws Exception {
        a.send(toB, TestBundles.outgoing(10, 0));
        ctxB.take(Duration.ofSeconds(5));
        ctxB.known.add(TestBundles.id(7));
        CompletableFuture<Void> f = a.trySendAsync(toB, TestBundles.outgoing(5_000, 7));
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransmissionException.class)
                .extracting(e -> ((TransmissionException) e).reason()).isEqualTo(TransmissionException.Reason.REFUSED);
        a.trySendAsync(toB, TestBundles.outgoing(10, 8)).get(5, TimeUnit.SECONDS); // the session goes on
        assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(8);
    }

    @Test
    void anEndingSessionIsNotUsed() throws Exception {
        a.send(toB, TestBundles.outgoing(10, 0));
        ctxB.take(Duration.ofSeconds(5));
        TcpclSession s = a.sessions().getFirst();
        s.terminate(SessTerm.REASON_IDLE_TIMEOUT, "test");
        assertThat(s.awaitEnd(Duration.ofSeconds(3))).isTrue();
        assertThat(a.trySendAsync(toB, TestBundles.outgoing(10, 1))).isNull();
        a.send(toB, TestBundles.outgoing(10, 2)); // send connects again
        assertThat(ctxB.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(2);
    }
}
