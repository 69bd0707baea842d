package io.dtn7j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The simple API with nothing but core and bundle on a 32 MiB heap moves 10,000 messages between two nodes. */
class TenThousandMessagesTest {

    @Test
    void tenThousandMessagesBetweenTwoNodesOn32MiB(@TempDir Path dir) throws Exception {
        CoreJars.writeTo(dir);
        String cp = dir.resolve("bundle.jar") + File.pathSeparator + dir.resolve("core.jar") + File.pathSeparator
                + CoreJars.testClasses();
        List<String> cmd = List.of(JavaProcess.java(), "-Xmx32m", "-cp", cp, TenThousandMessages.class.getName(),
                "10000");
        try (JavaProcess p = JavaProcess.start(cmd, dir.toFile())) {
            assertThat(p.waitFor(Duration.ofSeconds(150))).as(p.output()).isZero();
            assertThat(p.lines).as(p.output())
                    .anyMatch(l -> l.matches("received 10000 of 10000 in \\d+ ms, 0 duplicates, max heap \\d+ MiB"));
            p.lines.stream().filter(l -> l.startsWith("received")).forEach(System.out::println);
        }
    }
}
