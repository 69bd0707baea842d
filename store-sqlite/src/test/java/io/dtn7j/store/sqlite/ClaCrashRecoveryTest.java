package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Once the convergence layer acknowledged a bundle, a crash does not lose it": a node (agent + durable store, child
 * JVM) receives bundles over TCPCLv4 from four concurrent senders on one session and is killed with SIGKILL after a
 * random number of final XFER_ACKs; restarted on the same store, it forwards every bundle whose sender got that
 * acknowledgement, each with its exact payload, once. One bundle in 40 is 1.5 MiB, which the receiving CLA spools to
 * a file before the store takes it. The child's store writes start 5 ms late, so that an acknowledgement sent before
 * the bundle was stored would lose bundles to the kill, not only in theory. Bundles not yet acknowledged may or may not survive, but none survives cut
 * short (a wrong payload fails the check). Five rounds by default; {@code -Ddtn7j.crash.claRounds=N} sets another
 * number, {@code -Ddtn7j.crash.seed=S} repeats a run.
 */
class ClaCrashRecoveryTest {

    private static final int BUNDLES = 300;
    private static final int SENDERS = 4;
    /**
     * The child delays each store write this long: a node that acknowledged before storing would lose the bundles
     * acknowledged within this window before the kill (checked by moving the XFER_ACK ahead of the store call).
     */
    private static final long STORE_DELAY_MS = 5;

    @TempDir
    Path tempDir;

    /** Payload of bundle {@code i}: {@link AgentCrashChild#payload}, except one in 40 is 1.5 MiB. */
    static byte[] payload(int i) {
        if (i % 40 != 11) {
            return AgentCrashChild.payload(i);
        }
        byte[] head = ("crash-payload " + i + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[1_500_000];
        new Random(i).nextBytes(b);
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    @Test
    void afterSigkillAndRestartEveryBundleTheClaAcknowledgedIsForwarded() throws Exception {
        ForwardingAfterRestart.rounds(tempDir, Integer.getInteger("dtn7j.crash.claRounds", 5), BUNDLES, "CLA crash",
                this::sendAndKill, ClaCrashRecoveryTest::payload);
    }

    /** Starts the child, sends it bundles until {@code killAfter} were acknowledged, kills it; returns those acknowledged. */
    private Set<Integer> sendAndKill(Path dir, int killAfter, String context) throws Exception {
        Path stderr = tempDir.resolve("child-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(CrashRecoveryTest.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", CrashRecoveryTest.testClassPath(), ClaCrashChild.class.getName(), dir.toString(),
                Long.toString(STORE_DELAY_MS));
        pb.redirectError(stderr.toFile());
        Process child = pb.start();
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
             ConvergenceLayer sender = ConvergenceLayers.create("tcp",
                     ClaOptions.builder().bindHost("127.0.0.1").port(0).build())) {
            String line = out.readLine();
            assertThat(line).as("child's first line; its stderr: %s", Files.readString(stderr)).startsWith("PORT ");
            ClaAddress to = new ClaAddress("tcp", "127.0.0.1", Integer.parseInt(line.substring(5)));
            sender.start(new TestClaContext("dtn://sender/", tempDir.resolve("sender-spool")));
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < SENDERS; t++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = next.getAndIncrement(); i < BUNDLES && !killed.get(); i = next.getAndIncrement()) {
                        Bundle b = Bundle.builder().source("dtn://sender/app").destination(AgentCrashChild.DESTINATION)
                                .reportTo("dtn://sender/app").creation(DtnTime.now(), i).lifetimeMs(3_600_000)
                                .crcType(CrcType.CRC32C).payload(payload(i)).build();
                        try {
                            sender.send(to, new OutgoingBundle(b.id(), ByteSource.of(BundleCodec.encode(b))));
                        } catch (TransmissionException e) {
                            if (!killed.get()) {
                                failures.add("bundle " + i + ": " + e);
                            }
                            return;
                        }
                        acked.add(i); // the XFER_ACK of its last segment arrived: the child has it
                        if (acked.size() > killAfter && killed.compareAndSet(false, true)) {
                            child.toHandle().destroyForcibly(); // SIGKILL
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(120));
            }
            if (killed.compareAndSet(false, true)) {
                child.toHandle().destroyForcibly(); // every bundle acknowledged
            }
        }
        assertThat(failures).as("sends that failed before the child was killed, %s", context).isEmpty();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("child killed by SIGKILL; its stderr: %s", Files.readString(stderr))
                .isEqualTo(137);
        return new TreeSet<>(acked);
    }
}
