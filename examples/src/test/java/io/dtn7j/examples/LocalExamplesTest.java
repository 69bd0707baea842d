package io.dtn7j.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs each local example in its own JVM, three rounds 150 ms apart, and checks what it prints. */
class LocalExamplesTest {

    static final List<String> QUICK = List.of("examples.count=3", "examples.interval=150", "dtn7j.mtcp.port=0",
            "dtn7j.discovery=false");

    private static List<String> run(Class<?> example, String... args) throws Exception {
        try (JavaProcess p = JavaProcess.start(example, QUICK, args)) {
            int exit = p.waitFor(Duration.ofSeconds(30));
            assertThat(exit).as("exit code; output:\n" + p.output()).isZero();
            return p.lines;
        }
    }

    @Test
    void localPingEcho() throws Exception {
        List<String> out = run(LocalPingEcho.class);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            expected.addAll(List.of("sending ping: " + i, "sending back raw ping data: " + i,
                    "received integer echo data: " + i));
        }
        assertThat(out).containsSubsequence(expected);
        assertThat(out).filteredOn(l -> l.startsWith("received integer echo data")).hasSize(3);
    }

    @Test
    void localAnonymous() throws Exception {
        List<String> out = run(LocalAnonymous.class);
        assertThat(out).contains(
                "dtn://my-node/my/custom/sub/endpoint received mysterious message from dtn:none",
                "dtn://my-node/ received pure evil from dtn:none");
        assertThat(out).filteredOn(l -> l.contains(" received ")).hasSize(2);
    }

    @Test
    void localEfficientWithBackgroundThread() throws Exception {
        assertThat(run(LocalEfficient.class)).filteredOn(l -> l.equals("received message: hello world")).hasSize(3);
    }

    @Test
    void localEfficientWithRunForever() throws Exception {
        assertThat(run(LocalEfficient.class, "run-forever"))
                .filteredOn(l -> l.equals("received message: hello world")).hasSize(3);
    }

    @Test
    void localSynchronous1() throws Exception {
        assertThat(run(LocalSynchronous1.class)).filteredOn(l -> l.equals("received message: hello world")).hasSize(3);
    }

    @Test
    void localSynchronous2() throws Exception {
        assertThat(run(LocalSynchronous2.class)).filteredOn(l -> l.equals("received message: hello world")).hasSize(3);
    }
}
