package io.dtn7j.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.ValidationPolicy;
import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.api.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * MTCP exchange with a real dtn7zero (Python) node, both directions, on loopback.
 *
 * <p>Runs only with {@code -Ddtn7j.interop=true} and needs a dtn7zero work tree (with its {@code lib/py-dtn7}
 * submodule) named by the environment variable or system property {@code DTN7ZERO_HOME}, and {@code python3}
 * (override with {@code DTN7ZERO_PYTHON}) with cbor2 and netifaces. See docs/INTEROP.md.
 */
@EnabledIfSystemProperty(named = "dtn7j.interop", matches = "true")
class Dtn7ZeroInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Path home;
    private Path driver;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void locateDtn7zero() throws IOException {
        String configured = System.getProperty("DTN7ZERO_HOME", System.getenv("DTN7ZERO_HOME"));
        assumeTrue(configured != null && !configured.isBlank(),
                "DTN7ZERO_HOME is not set: point it at a dtn7zero work tree (see docs/INTEROP.md) to run this test");
        home = Path.of(configured);
        assumeTrue(Files.isDirectory(home.resolve("dtn7zero")) && Files.isDirectory(home.resolve("lib/py-dtn7/py_dtn7")),
                "DTN7ZERO_HOME=" + home + " has no dtn7zero/ or lib/py-dtn7/py_dtn7/ (submodule missing?)");
        driver = Files.createTempFile("dtn7zero_driver", ".py");
        try (InputStream in = getClass().getResourceAsStream("/interop/dtn7zero_driver.py")) {
            Files.write(driver, in.readAllBytes());
        }
    }

    @AfterEach
    void stopProcesses() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (driver != null) {
            Files.deleteIfExists(driver);
        }
    }

    @Test
    void dtn7zeroSendsToDtn7j() throws Exception {
        try (DtnNode node = DtnNode.builder("dtn://jnode/").mtcpPort(0).discovery(false)
                .validationPolicy(ValidationPolicy.LENIENT).start()) {
            LocalEndpoint incoming = node.register("incoming");
            int zeroPort = freePort();
            List<String> out = new CopyOnWriteArrayList<>();
            start(out, "send", "dtn://zero/", zeroPort, node.port("mtcp"), "jnode",
                    "dtn://jnode/incoming", "hello from dtn7zero");

            Message m = incoming.receive().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(m.text()).isEqualTo("hello from dtn7zero");
            assertThat(m.source()).isEqualTo("dtn://zero/sender");
            assertThat(m.primaryBlock().crcType()).isEqualTo(CrcType.NONE);
        }
    }

    @Test
    void dtn7jSendsToDtn7zero() throws Exception {
        int zeroPort = freePort();
        List<String> out = new CopyOnWriteArrayList<>();
        Process p = start(out, "recv", "dtn://zero/", zeroPort, 1, "jnode");
        awaitLine(out, "READY");
        try (DtnNode node = DtnNode.builder("dtn://jnode/").mtcpPort(0).discovery(false)
                .crcType(CrcType.NONE).peer("mtcp://127.0.0.1:" + zeroPort + "/zero").start()) {
            LocalEndpoint sender = node.register("sender");
            sender.send("hello from dtn7j".getBytes(StandardCharsets.UTF_8), "dtn://zero/incoming", false);

            String line = awaitLine(out, "RECEIVED ");

            assertThat(line).isEqualTo("RECEIVED dtn://jnode/sender "
                    + HexFormat.of().formatHex("hello from dtn7j".getBytes(StandardCharsets.UTF_8)));
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
    }

    private Process start(List<String> out, String mode, String ownId, int ownPort, int peerPort, String peerName,
                          String... rest) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                System.getenv().getOrDefault("DTN7ZERO_PYTHON", "python3"), "-u", driver.toString(), mode, ownId,
                Integer.toString(ownPort), "127.0.0.1", Integer.toString(peerPort), peerName,
                Long.toString(TIMEOUT.toSeconds())));
        cmd.addAll(List.of(rest));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DTN7ZERO_HOME", home.toString());
        Process p = pb.start();
        processes.add(p);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    out.add(l);
                    System.out.println("[dtn7zero " + mode + "] " + l);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        return p;
    }

    private static String awaitLine(List<String> out, String prefix) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            for (String l : out) {
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("dtn7zero printed no line starting with '" + prefix + "' within " + TIMEOUT + "; output: " + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
