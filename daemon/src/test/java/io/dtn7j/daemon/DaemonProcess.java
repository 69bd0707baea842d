package io.dtn7j.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code dtn7j daemon} in a child JVM (this test's class path), for end-to-end tests. Reads the
 * start-up lines for the actual ports, keeps the output for failure messages, and can be stopped with
 * SIGTERM or killed with SIGKILL.
 */
final class DaemonProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening: (\\S+) on (\\S+):(\\d+)");
    private static final Pattern API = Pattern.compile("API: http://(\\S+):(\\d+)/");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    final Map<String, Integer> claPorts = new ConcurrentHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile int apiPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DaemonProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("daemon-output").start(this::readOutput);
    }

    /** Starts {@code dtn7j daemon <args>} and waits until it printed its ready line. */
    static DaemonProcess start(Path workdir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.dtn7j.daemon.Main");
        cmd.add("daemon");
        cmd.add("-W");
        cmd.add(workdir.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        DaemonProcess d = new DaemonProcess(p);
        if (!d.ready.await(60, TimeUnit.SECONDS)) {
            d.kill();
            throw new AssertionError("daemon did not become ready within 60 s; output:\n" + String.join("\n", d.output));
        }
        if (!p.isAlive()) {
            throw new AssertionError("daemon exited with " + p.waitFor() + "; output:\n" + String.join("\n", d.output));
        }
        return d;
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    claPorts.put(m.group(1), Integer.parseInt(m.group(3)));
                }
                Matcher a = API.matcher(line);
                if (a.find()) {
                    apiPort = Integer.parseInt(a.group(2));
                }
                if (line.contains("dtn7j daemon ready")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            output.add("(output read failed: " + e + ")");
        } finally {
            ready.countDown();
        }
    }

    int apiPort() {
        return apiPort;
    }

    int claPort(String cla) {
        Integer p = claPorts.get(cla);
        if (p == null) {
            throw new AssertionError("daemon did not report a " + cla + " listener; output:\n" + String.join("\n", output));
        }
        return p;
    }

    String get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Polls {@code GET /endpoint?<name>} until a bundle is there, and decodes it (default policy).
     *
     * @param endpoint the registered endpoint's name
     * @param timeout  how long to poll
     * @return the bundle, or null if none came in time
     * @throws Exception if a request fails or the bundle does not decode
     */
    io.dtn7j.bundle.Bundle awaitBundle(String endpoint, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<byte[]> r = getBytes("/endpoint?" + endpoint);
            if (r.statusCode() == 200 && !new String(r.body(), StandardCharsets.UTF_8).equals("Nothing to receive")) {
                return io.dtn7j.bundle.codec.BundleCodec.decode(r.body(), io.dtn7j.bundle.codec.DecodeOptions.DEFAULT);
            }
            Thread.sleep(100);
        }
        return null;
    }

    String post(String pathAndQuery, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("POST " + pathAndQuery + " → " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** SIGTERM and wait for a clean exit. */
    int stop() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon did not stop within 20 s of SIGTERM; output:\n" + String.join("\n", output));
        }
        return process.exitValue();
    }

    /** SIGKILL. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String log() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
