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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 acceptance, end to end: a node (agent + durable store, child JVM, no peers) accepts 1,000 bundles
 * and is killed with SIGKILL at a random moment; restarted on the same store with a peer reachable over TCPCL
 * on loopback, it forwards every bundle it acknowledged, and the peer delivers each with its exact payload.
 * Repeated 20 times by default, each round killed after a random number of acknowledgements (about 1-4 s
 * per round); {@code -Ddtn7j.crash.agentRounds=N} sets another number.
 */
class AgentCrashRecoveryTest {

    private static final Pattern ACK = Pattern.compile("ACK (\\d+) END");
    private static final int BUNDLES = 1000;

    @TempDir
    Path tempDir;

    @Test
    void afterSigkillAndRestartEveryAcknowledgedBundleIsForwarded() throws Exception {
        int rounds = Integer.getInteger("dtn7j.crash.agentRounds", 20);
        long seed = Long.getLong("dtn7j.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            Path dir = tempDir.resolve("node-" + round);
            int killAfter = random.nextInt(BUNDLES);
            long t0 = System.nanoTime();
            Set<Integer> acked = runAndKill(dir, killAfter);
            long t1 = System.nanoTime();
            restartAndCheckForwarding(dir, acked, "round " + round + " (seed " + seed + ", killed after "
                    + killAfter + " acks)");
            System.err.printf("agent crash round %d: %d acked, child %d ms, restart+forward %d ms%n", round,
                    acked.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
    }

    private Set<Integer> runAndKill(Path dir, int killAfter) throws Exception {
        Path stderr = tempDir.resolve("child-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(CrashRecoveryTest.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", CrashRecoveryTest.testClassPath(), AgentCrashChild.class.getName(),
                dir.toString(), Integer.toString(BUNDLES), "8");
        pb.redirectError(stderr.toFile());
        Process child = pb.start();
        Set<Integer> acked = new TreeSet<>();
        boolean killed = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = ACK.matcher(line);
                if (m.matches()) {
                    acked.add(Integer.parseInt(m.group(1)));
                }
                if (!killed && ((m.matches() && acked.size() > killAfter) || line.equals("DONE"))) {
                    child.toHandle().destroyForcibly(); // SIGKILL; our end of the pipe stays open
                    killed = true;
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("child killed by SIGKILL; its stderr: %s", Files.readString(stderr))
                .isEqualTo(137);
        return acked;
    }

    private void restartAndCheckForwarding(Path dir, Set<Integer> acked, String context) throws Exception {
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
                if (i < 0 || !java.util.Arrays.equals(payload, AgentCrashChild.payload(i))) {
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
