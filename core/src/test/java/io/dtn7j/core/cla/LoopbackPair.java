package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/**
 * The loopback fixture the CLA tests share: two convergence layers of one kind, {@code a} (node {@code dtn://a/})
 * and {@code b} (node {@code dtn://b/}), started on ephemeral loopback ports with {@link TestClaContext}s that
 * spool under a test directory; and the "many bundles both ways at once" exchange with its checks.
 *
 * @param <C> the convergence layer class
 */
public final class LoopbackPair<C extends ConvergenceLayer> implements AutoCloseable {

    /** Receives what {@link #a} gets. */
    public final TestClaContext ctxA;
    /** Receives what {@link #b} gets. */
    public final TestClaContext ctxB;
    /** The first CLA, started with {@link #ctxA}. */
    public final C a;
    /** The second CLA, started with {@link #ctxB}. */
    public final C b;

    /**
     * Creates and starts both CLAs.
     *
     * @param tmp      a test directory (spools go to {@code spool-a} and {@code spool-b} under it)
     * @param factory  makes a CLA from options
     * @param optionsA options of {@code a} (bind 127.0.0.1, port 0)
     * @param optionsB options of {@code b}
     * @throws IOException if a CLA cannot listen
     */
    public LoopbackPair(Path tmp, Function<ClaOptions, C> factory, ClaOptions optionsA, ClaOptions optionsB)
            throws IOException {
        ctxA = new TestClaContext("dtn://a/", tmp.resolve("spool-a"));
        ctxB = new TestClaContext("dtn://b/", tmp.resolve("spool-b"));
        a = factory.apply(optionsA);
        b = factory.apply(optionsB);
        a.start(ctxA);
        b.start(ctxB);
    }

    /**
     * {@return the loopback address a started CLA listens on}
     *
     * @param cla the CLA
     */
    public static ClaAddress address(ConvergenceLayer cla) {
        return new ClaAddress(cla.name(), "127.0.0.1", cla.port());
    }

    /**
     * Sends from {@code senders} threads at once, each {@code perSender} bundles from {@code from} to {@code to}
     * and as many back, then checks that every bundle arrived exactly once on each side and none was rejected.
     * Sequence numbers: {@code t * perSender + i} one way, 10,000 more the other way.
     *
     * @param from      the CLA sending to {@code to} (whose context is {@code toCtx})
     * @param fromCtx   the context of {@code from}
     * @param to        the other CLA
     * @param toCtx     the context of {@code to}
     * @param senders   concurrent sending threads
     * @param perSender bundles each thread sends each way
     * @param sizeThere payload size of the i-th bundle from {@code from} to {@code to}
     * @param sizeBack  payload size of the i-th bundle back
     * @throws Exception if a send fails or a bundle does not arrive within 10 s
     */
    public static void exchangeBothWays(ConvergenceLayer from, TestClaContext fromCtx, ConvergenceLayer to,
                                        TestClaContext toCtx, int senders, int perSender, IntUnaryOperator sizeThere,
                                        IntUnaryOperator sizeBack) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int base = t * perSender;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        from.send(address(to), TestBundles.outgoing(sizeThere.applyAsInt(i), base + i));
                        to.send(address(from), TestBundles.outgoing(sizeBack.applyAsInt(i), 10_000 + base + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        Set<Long> atTo = new HashSet<>();
        Set<Long> atFrom = new HashSet<>();
        for (int i = 0; i < senders * perSender; i++) {
            atTo.add(toCtx.take(Duration.ofSeconds(10)).id().creation().sequence());
            atFrom.add(fromCtx.take(Duration.ofSeconds(10)).id().creation().sequence());
        }
        assertThat(atTo).hasSize(senders * perSender);
        assertThat(atFrom).hasSize(senders * perSender);
        assertThat(toCtx.received).as("bundles delivered twice").isEmpty();
        assertThat(fromCtx.received).as("bundles delivered twice").isEmpty();
        assertThat(toCtx.rejected).isEmpty();
        assertThat(fromCtx.rejected).isEmpty();
    }

    /** Closes both CLAs (closing is idempotent, so a test may close them first). */
    @Override
    public void close() {
        a.close();
        b.close();
    }
}
