package io.dtn7j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented command, {@code examples/run <Example>}, runs an example (with the build this test run made). */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest {

    private static Path script() {
        Path inModule = Path.of("run");
        return Files.isRegularFile(inModule) ? inModule.toAbsolutePath() : Path.of("examples", "run").toAbsolutePath();
    }

    @Test
    void runsAnExampleByItsSimpleName() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", script().toString(), "-Dexamples.count=2",
                "-Dexamples.interval=150", "-Ddtn7j.mtcp.port=0", "-Ddtn7j.discovery=false", "LocalPingEcho"));
        pb.environment().put("DTN7J_NO_BUILD", "1");
        pb.environment().put("JAVA_HOME", Path.of(JavaProcess.java()).getParent().getParent().toString());
        try (JavaProcess p = JavaProcess.start(pb.command(), null, pb.environment())) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).as(p.output()).isZero();
            assertThat(p.lines).containsSubsequence("sending ping: 1", "sending back raw ping data: 1",
                    "received integer echo data: 1", "sending ping: 2", "received integer echo data: 2");
            assertThat(p.lines).as("the launcher keeps the node's informational log out of the way")
                    .noneMatch(l -> l.startsWith("INFO"));
        }
    }

    @Test
    void withoutAnExampleItListsThem() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", script().toString()));
        pb.environment().put("DTN7J_NO_BUILD", "1");
        try (JavaProcess p = JavaProcess.start(pb.command(), null, pb.environment())) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(p.output()).contains("usage: examples/run").contains("RemotePingPoll").contains("IpndAllowList");
        }
    }
}
