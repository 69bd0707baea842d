package io.dtn7j.examples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A child JVM running one program, with its output collected line by line. */
final class JavaProcess implements AutoCloseable {

    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Process process;
    private final Thread reader;

    private JavaProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        });
    }

    /** The java launcher running this test. */
    static String java() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The class path of this test run (the examples, core and bundle classes). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Starts {@code mainClass} in a child JVM with the test class path, the given -D properties and arguments. */
    static JavaProcess start(Class<?> mainClass, List<String> properties, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classPath()));
        for (String p : properties) {
            cmd.add("-D" + p);
        }
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return start(cmd, null);
    }

    /** Starts any command; stderr is merged into the collected lines. */
    static JavaProcess start(List<String> command, File directory) throws IOException {
        return start(command, directory, null);
    }

    /** Starts any command with extra environment variables; stderr is merged into the collected lines. */
    static JavaProcess start(List<String> command, File directory, java.util.Map<String, String> env)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            pb.directory(directory);
        }
        if (env != null) {
            pb.environment().putAll(env);
        }
        return new JavaProcess(pb.start());
    }

    /** Waits for the process to exit and returns its exit code; fails the test after {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the process did not end within " + timeout + "; output:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Waits until a line matches {@code regex} and returns the match; fails after {@code timeout}. */
    Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                Matcher m = p.matcher(line);
                if (m.matches()) {
                    return m;
                }
            }
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line matching " + regex + " within " + timeout + "; output:\n" + output());
    }

    long count(Predicate<String> p) {
        return lines.stream().filter(p).count();
    }

    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
