package io.dtn7j.core.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Child processes of another DTN implementation started by an interop test: output captured line by line
 * (and echoed with a prefix), waited for, and destroyed by process id when the test ends.
 */
final class PeerProcesses implements AutoCloseable {

    private final Path workDir;
    private final Map<String, String> env;
    private final List<Process> started = new ArrayList<>();

    /**
     * @param workDir working directory of every process started
     * @param env     extra environment variables
     */
    PeerProcesses(Path workDir, Map<String, String> env) {
        this.workDir = workDir;
        this.env = env;
    }

    /** A started child with its captured output. */
    record Child(String label, Process process, List<String> output) {

        /** Waits until a line matching {@code test} was printed; fails with the output so far otherwise. */
        String awaitLine(Predicate<String> test, Duration timeout, String what) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                for (String l : output) {
                    if (test.test(l)) {
                        return l;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError(label + " printed no line " + what + " within " + timeout + "; output: " + output);
        }

        /** Waits for the process to end; fails if it does not within {@code timeout}. */
        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(label + " did not exit within " + timeout + "; output: " + output);
            }
            Thread.sleep(50); // let the reader thread drain the last lines
            return process.exitValue();
        }
    }

    /** Starts {@code command} with stdin from {@code stdin} (or none). */
    Child start(String label, Path stdin, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        if (stdin == null) {
            p.getOutputStream().close();
        }
        started.add(p);
        List<String> out = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    out.add(l);
                    System.out.println("[" + label + "] " + l);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        return new Child(label, p, out);
    }

    /** Runs {@code command} to completion and fails unless it exits 0 within {@code timeout}. */
    Child run(String label, Path stdin, Duration timeout, String... command) throws IOException, InterruptedException {
        Child c = start(label, stdin, command);
        int rc = c.awaitExit(timeout);
        if (rc != 0) {
            throw new AssertionError(label + " exited with " + rc + "; output: " + c.output());
        }
        return c;
    }

    /** Writes {@code text} to {@code name} in the working directory. */
    Path write(String name, String text) throws IOException {
        return Files.writeString(workDir.resolve(name), text);
    }

    Path workDir() {
        return workDir;
    }

    /** Destroys every child still running, by its own process handle. */
    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** A TCP port free on 127.0.0.1 at the time of the call. */
    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A UDP port free on 127.0.0.1 at the time of the call. */
    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The value of {@code name} as a system property or environment variable, or null. */
    static String setting(String name) {
        String v = System.getProperty(name, System.getenv(name));
        return v == null || v.isBlank() ? null : v;
    }
}
