package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.Delivery;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.peer.Peer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The second half of the crash tests: the node {@link AgentCrashChild#NODE} restarts on the store a killed child left
 * in {@code dir}, with a peer {@code dtn://receiver/} reachable over TCPCLv4 on loopback, and must forward every
 * bundle the child acknowledged, each delivered once with its exact payload.
 */
final class ForwardingAfterRestart {

    private ForwardingAfterRestart() {
    }

    /** One round's first half: runs a child on {@code dir}, kills it after {@code killAfter} acknowledgements. */
    @FunctionalInterface
    interface KilledChild {
        /**
         * @return the indices of the bundles the child acknowledged before it died
         */
        Set<Integer> run(Path dir, int killAfter, String context) throws Exception;
    }

    /**
     * Runs {@code rounds} rounds: a child on a fresh store under {@code base} is killed after a random number (below
     * {@code bundles}) of acknowledgements, then {@link #check} restarts the node on that store. The seed comes from
     * {@code -Ddtn7j.crash.seed} or the clock, and is named in every failure so that a run can be repeated.
     *
     * @param label names the test in the progress lines on standard error
     */
    static void rounds(Path base, int rounds, int bundles, String label, KilledChild child,
                       IntFunction<byte[]> payloads) throws Exception {
        long seed = Long.getLong("dtn7j.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            Path dir = base.resolve("node-" + round);
            int killAfter = random.nextInt(bundles);
            String context = "round " + round + " (seed " + seed + ", killed after " + killAfter + " acknowledgements)";
            long t0 = System.nanoTime();
            Set<Integer> acked = child.run(dir, killAfter, context);
            long t1 = System.nanoTime();
            check(dir, acked, payloads, context);
            System.err.printf("%s round %d: %d acknowledged, child %d ms, restart+forward %d ms%n", label, round,
                    acked.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
    }

    /**
     * Restarts the node on {@code dir} and checks what reaches the receiver.
     *
     * @param dir the killed child's store directory
     * @param acked indices of the bundles the child acknowledged before it was killed
     * @param payloads the payload of the bundle with each index; a payload names its index
     *     ({@link AgentCrashChild#indexOf})
     * @param context what to name in a failure message (round, seed, kill point)
     */
    static void check(Path dir, Set<Integer> acked, IntFunction<byte[]> payloads, String context) throws Exception {
        ClaOptions opts = ClaOptions.builder().bindHost("127.0.0.1").port(0).build();
        ConvergenceLayer receiverCla = ConvergenceLayers.create("tcp", opts);
        ConvergenceLayer nodeCla = ConvergenceLayers.create("tcp", opts);
        Map<Integer, AtomicInteger> delivered = new ConcurrentHashMap<>();
        AtomicInteger foreign = new AtomicInteger();
        try (BundleProtocolAgent receiver = BundleProtocolAgent.start(AgentConfig.builder("dtn://receiver/")
                .janitorInterval(Duration.ofMillis(200)).convergenceLayer(receiverCla).build())) {
            receiver.register(AgentCrashChild.DESTINATION, (Delivery d) -> {
                byte[] payload = d.payload().toByteArray();
                int i = AgentCrashChild.indexOf(payload);
                if (i < 0 || !Arrays.equals(payload, payloads.apply(i))) {
                    foreign.incrementAndGet();
                } else {
                    delivered.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            try (SqliteBundleStore store = SqliteBundleStore.open(dir)) {
                // counted before the agent starts: once it runs it forwards (and removes) bundles at once
                assertThat(store.count()).as("bundles recovered in %s", context).isGreaterThanOrEqualTo(acked.size());
                try (BundleProtocolAgent node = BundleProtocolAgent.start(AgentConfig.builder(AgentCrashChild.NODE)
                         .store(store).janitorInterval(Duration.ofMillis(200)).convergenceLayer(nodeCla)
                         .staticPeer(Peer.staticPeer(EndpointId.parse("dtn://receiver/"),
                                 new ClaAddress("tcp", "127.0.0.1", receiverCla.port())))
                         .build())) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!delivered.keySet().containsAll(acked) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    Set<Integer> missing = new TreeSet<>(acked);
                    missing.removeAll(delivered.keySet());
                    assertThat(missing).as("acknowledged bundles not forwarded after restart in %s (%d acked)",
                            context, acked.size()).isEmpty();
                    assertThat(foreign.get()).as("deliveries with a wrong payload").isZero();
                    assertThat(delivered.values()).as("each bundle delivered once")
                            .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
                }
            }
        }
    }
}
