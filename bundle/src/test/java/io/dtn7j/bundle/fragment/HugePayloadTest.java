package io.dtn7j.bundle.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4 GiB file-backed payload is encoded, decoded, fragmented and reassembled in a child JVM with {@code -Xmx64m}.
 * Slow (minutes, ~9 GiB of temporary disk): runs only with {@code -Ddtn7j.slow=true}; see docs/TESTING.md.
 * {@code -Ddtn7j.huge.size=<bytes>} changes the payload size.
 */
@EnabledIfSystemProperty(named = "dtn7j.slow", matches = "true")
class HugePayloadTest {

    @Test
    void fourGibibytesWithSixtyFourMebibytesOfHeap(@TempDir Path dir) throws IOException, InterruptedException {
        long size = Long.getLong("dtn7j.huge.size", 4L << 30);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                HugePayloadMain.class.getName(), dir.resolve("work").toString(), Long.toString(size),
                Long.toString(Math.max(1L << 20, Math.min(1L << 30, size / 4)))))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(60, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(done).as("child finished within 60 minutes").isTrue();
        assertThat(p.exitValue()).as("child exit status; output:%n%s", output).isZero();
        assertThat(output).contains("HUGE PAYLOAD OK").doesNotContain("OutOfMemoryError");
    }
}
