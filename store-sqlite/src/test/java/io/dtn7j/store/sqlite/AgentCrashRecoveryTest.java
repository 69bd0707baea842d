package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;


import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
        ForwardingAfterRestart.rounds(tempDir, Integer.getInteger("dtn7j.crash.agentRounds", 20), BUNDLES,
                "agent crash", (dir, killAfter, context) -> runAndKill(dir, killAfter), AgentCrashChild::payload);
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
}
