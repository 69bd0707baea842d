package io.dtn7j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start works as written: its first {@code java} block, saved as {@code QuickStart.java},
 * runs with exactly the README's command ({@code java -Xmx32m -cp bundle.jar:core.jar QuickStart.java}), prints
 * the message it sent itself and exits 0.
 */
class QuickStartReadmeTest {

    static final String COMMAND = "java -Xmx32m -cp bundle.jar:core.jar QuickStart.java";

    static String readme() throws Exception {
        Path p = Path.of("..", "README.md");
        if (!Files.exists(p)) {
            p = Path.of("README.md");
        }
        return Files.readString(p);
    }

    @Test
    void readmeQuickStartRunsWithOnlyBundleAndCoreOn32MiB(@TempDir Path dir) throws Exception {
        String readme = readme();
        Matcher java = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(java.find()).as("README has a ```java block").isTrue();
        String program = java.group(1);
        assertThat(program).contains("public class QuickStart");
        assertThat(readme).as("the README documents exactly this command").contains("\n" + COMMAND + "\n");
        assertThat(readme.indexOf(COMMAND)).as("the command follows the quick start").isGreaterThan(java.start());

        Files.writeString(dir.resolve("QuickStart.java"), program);
        CoreJars.writeTo(dir);
        List<String> cmd = new ArrayList<>(CoreJars.split(COMMAND));
        cmd.set(0, JavaProcess.java());
        try (JavaProcess p = JavaProcess.start(cmd, dir.toFile())) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.output()).isZero();
            assertThat(p.lines).as(p.output()).contains("received 'hello world' from dtn://node1/");
        }
    }

    @Test
    void heartOfTheQuickStartIsAboutFiveLines() throws Exception {
        Matcher java = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme());
        assertThat(java.find()).isTrue();
        String body = java.group(1);
        String main = body.substring(body.indexOf("main(String[] args)"));
        long statements = main.lines().skip(1).map(String::strip)
                .filter(l -> !l.isEmpty() && !l.equals("}")).count();
        assertThat(statements).isBetween(3L, 6L);
    }
}
