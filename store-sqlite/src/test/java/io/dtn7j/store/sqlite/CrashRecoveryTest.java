package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.store.BundleMetadata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 test (issue 3, acceptance): a child JVM puts 1,000 bundles into the durable store and prints each
 * acknowledged ID; the test kills it with SIGKILL at a random moment, reopens the store and checks that every
 * acknowledged bundle is there with its exact bytes and metadata, that nothing stored is torn, that the
 * accounts are right and that no temporary or orphan file survives recovery. The same directory is reused
 * across rounds, so later rounds also recover from earlier crashes (and some rounds kill the child while it
 * is itself recovering). 10 rounds by default (about 1-3 s each), the acceptance's 20 with
 * {@code -Ddtn7j.slow=true}; {@code -Ddtn7j.crash.rounds=N} sets any number, {@code -Ddtn7j.crash.seed=S}
 * repeats a failing run's kill moments.
 */
class CrashRecoveryTest {

    private static final Pattern ACK = Pattern.compile("ACK (\\d+) END");
    private static final int PER_ROUND = 1000;

    @TempDir
    Path tempDir;

    @Test
    void everyAcknowledgedBundleSurvivesSigkill() throws Exception {
        int rounds = Integer.getInteger("dtn7j.crash.rounds", Boolean.getBoolean("dtn7j.slow") ? 20 : 10);
        long seed = Long.getLong("dtn7j.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path dir = tempDir.resolve("store");
        Set<Integer> acknowledged = new HashSet<>();
        int killedMidway = 0;
        for (int round = 0; round < rounds; round++) {
            int first = round * PER_ROUND;
            // 10% of the rounds die while opening/recovering; the rest after a random number of acknowledgements.
            int killAfter = random.nextInt(10) == 0 ? -1 : random.nextInt(PER_ROUND);
            long t0 = System.nanoTime();
            RoundResult result = runChild(dir, first, killAfter, random);
            long t1 = System.nanoTime();
            acknowledged.addAll(result.acked);
            if (result.killed) {
                killedMidway++;
            }
            verify(dir, acknowledged, first, round == rounds - 1, "round " + round + " (seed " + seed + ", kill after " + killAfter
                    + " acks, child said: " + result.tail + ")");
            System.err.printf("crash round %d: %d acks, child %d ms, verify %d ms%n", round, result.acked.size(),
                    (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
        assertThat(killedMidway).as("rounds in which the child was killed before finishing").isGreaterThan(rounds / 2);
    }

    private record RoundResult(List<Integer> acked, boolean killed, String tail) {
    }

    private RoundResult runChild(Path dir, int first, int killAfter, Random random) throws Exception {
        Path stderr = tempDir.resolve("child-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                "-cp", testClassPath(), CrashChild.class.getName(),
                dir.toString(), Integer.toString(first), Integer.toString(PER_ROUND), "8");
        pb.redirectError(stderr.toFile());
        Process child = pb.start();
        List<Integer> acked = new ArrayList<>();
        boolean killed = false;
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                last = line;
                Matcher m = ACK.matcher(line);
                if (m.matches()) {
                    acked.add(Integer.parseInt(m.group(1)));
                }
                boolean trigger = killAfter < 0 ? line.equals("OPENING") : m.matches() && acked.size() > killAfter;
                if (trigger && !killed) {
                    if (killAfter < 0) {
                        Thread.sleep(random.nextInt(400)); // somewhere inside JVM start, native load or recovery
                    }
                    // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe,
                    // losing acknowledgements the child wrote just before it died.
                    child.toHandle().destroyForcibly();
                    killed = true;
                }
                // keep reading after the kill: lines already in the pipe were acknowledged before the child died
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child ended").isTrue();
        int exit = child.exitValue();
        if (!killed || exit != 137) {
            assertThat(exit).as("child exit status; its stderr: %s", Files.readString(stderr)).isIn(0, 137);
        }
        return new RoundResult(acked, killed && exit == 137, last);
    }

    /**
     * Checks the store after a crash: every acknowledged bundle is present; those of this round (and, in the
     * last round, every stored bundle) are compared byte for byte; accounts and files match the index.
     */
    private static void verify(Path dir, Set<Integer> acknowledged, int roundFirst, boolean everything,
                               String context) throws Exception {
        try (SqliteBundleStore store = SqliteBundleStore.open(dir)) {
            for (int i : acknowledged) {
                var id = CrashWorkload.id(i);
                ByteSource stored = store.encoded(id).orElse(null);
                assertThat(stored).as("acknowledged bundle %d after %s", i, context).isNotNull();
                assertThat(stored.size()).as("size of bundle %d", i).isEqualTo(CrashWorkload.size(i));
                if (everything || i >= roundFirst) {
                    assertThat(stored.toByteArray()).as("bytes of bundle %d", i).isEqualTo(CrashWorkload.bytes(i));
                    assertThat(store.metadata(id)).as("metadata of bundle %d", i).contains(CrashWorkload.metadata(i));
                }
            }
            // Everything stored (acknowledged or not) is whole: no torn bundle, accounts match.
            List<BundleMetadata> all = new ArrayList<>();
            store.forEach(all::add);
            long sum = 0;
            int files = 0;
            for (BundleMetadata md : all) {
                int i = CrashWorkload.indexOf(md.id());
                assertThat(i).as("stored bundle %s is one the child wrote", md.id()).isNotNegative();
                ByteSource bytes = store.encoded(md.id()).orElseThrow();
                assertThat(bytes.size()).as("size of stored bundle %d", i).isEqualTo(CrashWorkload.size(i));
                if (everything || i >= roundFirst) {
                    assertThat(bytes.toByteArray()).as("bytes of stored bundle %d", i).isEqualTo(CrashWorkload.bytes(i));
                }
                sum += bytes.size();
                if (bytes.size() > 64 * 1024) {
                    files++;
                }
            }
            assertThat(store.count()).as("count after %s", context).isEqualTo(all.size());
            assertThat(store.bytes()).as("bytes after %s", context).isEqualTo(sum);
            assertThat(all.size()).isGreaterThanOrEqualTo(acknowledged.size());
            try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
                assertThat(tmp).as("temporary files after recovery").isEmpty();
            }
            try (Stream<Path> data = Files.walk(dir.resolve("data"))) {
                assertThat(data.filter(Files::isRegularFile).count()).as("payload files after recovery").isEqualTo(files);
            }
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String testClassPath() throws IOException {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
