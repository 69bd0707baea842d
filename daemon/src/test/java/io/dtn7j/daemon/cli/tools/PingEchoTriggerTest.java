package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PingEchoTriggerTest {

    @TempDir
    Path dir;

    /** Tools block while they wait; they must not run in the common pool, which the JDK WebSocket client uses. */
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private FakeDtnd dtnd;
    private String port;

    @BeforeEach
    void start() throws Exception {
        dtnd = new FakeDtnd("dtn://node1/");
        port = Integer.toString(dtnd.port());
    }

    @AfterEach
    void stop() throws Exception {
        dtnd.close();
        pool.shutdownNow();
    }

    private void awaitSubscribed(String eidSuffix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!dtnd.wsCommands.contains("/subscribe " + eidSuffix)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody subscribed to " + eidSuffix + "; commands: " + dtnd.wsCommands);
            }
            Thread.sleep(20);
        }
        Thread.sleep(100); // let the subscription reply reach the tool
    }

    @Test
    void pingThroughAnEchoServicePrintsRoundTripTimesAndASummary() throws Exception {
        CompletableFuture<ToolRun.Result> echo = CompletableFuture.supplyAsync(
                () -> ToolRun.run(EchoCommand::new, "-p", port, "-n", "3"), pool);
        awaitSubscribed("echo");
        ToolRun.Result ping = ToolRun.run(PingCommand::new, "-p", port, "-d", "dtn://node1/echo", "-c", "3", "-i", "0s", "-s", "32");
        assertThat(ping.exitCode()).as(ping.toString()).isZero();
        List<String> lines = ping.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("PING dtn://node1/echo from dtn://node1/ping: 32 bytes of payload");
        for (int seq = 1; seq <= 3; seq++) {
            assertThat(lines.get(seq)).matches("32 bytes from dtn://node1/echo: seq=" + seq + " time=\\d+\\.\\d{3} ms");
        }
        assertThat(lines).contains("--- dtn://node1/echo ping statistics ---", "3 bundles transmitted, 3 received, 0% loss");
        assertThat(lines.getLast()).matches("rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms");

        ToolRun.Result e = echo.get(20, TimeUnit.SECONDS);
        assertThat(e.exitCode()).as(e.toString()).isZero();
        assertThat(e.out()).isEqualTo("...\n");
        assertThat(e.stderr()).contains("echo service on dtn://node1/echo").contains("3 bundle(s) echoed");

        assertThat(dtnd.registered()).contains("dtn://node1/echo", "dtn://node1/ping");
        assertThat(dtnd.wsCommands).containsSubsequence("/data", "/subscribe echo").containsSubsequence("/data", "/subscribe ping");
        // six bundles: three pings, three echoes, each payload back unchanged
        assertThat(dtnd.received).hasSize(6);
        for (int i = 0; i < 6; i += 2) {
            assertThat(dtnd.received.get(i).destination().uri()).isEqualTo("dtn://node1/echo");
            assertThat(dtnd.received.get(i + 1).destination().uri()).isEqualTo("dtn://node1/ping");
            assertThat(dtnd.received.get(i + 1).payload().toByteArray()).isEqualTo(dtnd.received.get(i).payload().toByteArray());
        }
        assertThat(dtnd.pongs.get()).as("the client answers the daemon's pings").isGreaterThan(0);
    }

    @Test
    void unansweredPingsAreReportedAndExitWith1() {
        ToolRun.Result ping = ToolRun.run(PingCommand::new, "-p", port, "-d", "dtn://nowhere/echo", "-c", "2", "-t", "200ms");
        assertThat(ping.exitCode()).as(ping.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(ping.out()).contains("no reply for seq=1 within 200ms", "no reply for seq=2 within 200ms",
                "2 bundles transmitted, 0 received, 100% loss").doesNotContain("rtt ");
    }

    @Test
    void pingRejectsBadArguments() {
        assertThat(ToolRun.run(PingCommand::new, "-p", port).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ToolRun.run(PingCommand::new, "-p", port, "-d", "nonsense").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ToolRun.run(PingCommand::new, "-p", port, "-d", "dtn://a/b", "-t", "5 parsecs").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(dtnd.requests).isEmpty();
    }

    @Test
    void pingOnAnIpnNodeUsesService7007() throws Exception {
        dtnd.close();
        dtnd = new FakeDtnd("ipn:23.0");
        port = Integer.toString(dtnd.port());
        CompletableFuture<ToolRun.Result> echo = CompletableFuture.supplyAsync(() -> ToolRun.run(EchoCommand::new, "-p", port, "-n", "1"), pool);
        awaitSubscribed("7");
        ToolRun.Result ping = ToolRun.run(PingCommand::new, "-p", port, "-d", "ipn:23.7", "-c", "1");
        assertThat(ping.exitCode()).as(ping.toString()).isZero();
        assertThat(ping.out()).startsWith("PING ipn:23.7 from ipn:23.7007: 64 bytes").contains("64 bytes from ipn:23.7: seq=1");
        assertThat(echo.get(20, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void triggerRunsTheCommandWithSourceAndPayloadFileForEachBundle() throws Exception {
        Path log = dir.resolve("log.txt");
        Path script = dir.resolve("handler.sh");
        Files.writeString(script, "#!/bin/sh\nprintf '%s|%s|%s|%s|%s\\n' \"$1\" \"$(cat \"$2\")\" \"$DTN_BUNDLE_ID\" \"$DTN_DESTINATION\" \"$DTN_PAYLOAD_SIZE\" >> "
                + log + "\n[ -f \"$2\" ] && echo \"$2\" >> " + log + ".files\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        CompletableFuture<ToolRun.Result> trigger = CompletableFuture.supplyAsync(
                () -> ToolRun.run(TriggerCommand::new, "-p", port, "-e", "incoming", "-c", script.toString(), "-n", "2"), pool);
        awaitSubscribed("incoming");
        for (String text : new String[] {"first", "second"}) {
            ToolRun.Result s = ToolRun.run(SendCommand::new, Map.of(), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    "-p", port, "-r", "dtn://node1/incoming");
            assertThat(s.exitCode()).as(s.toString()).isZero();
        }
        ToolRun.Result t = trigger.get(30, TimeUnit.SECONDS);
        assertThat(t.exitCode()).as(t.toString()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                "dtn://node1/|first|dtn://node1/-800000000000-0|dtn://node1/incoming|5",
                "dtn://node1/|second|dtn://node1/-800000000000-1|dtn://node1/incoming|6");
        for (String f : Files.readAllLines(Path.of(log + ".files"))) {
            assertThat(Path.of(f)).as("payload files are removed afterwards").doesNotExist();
        }
        assertThat(dtnd.wsCommands).containsSubsequence("/bundle", "/subscribe incoming");
        assertThat(dtnd.requests("/register")).extracting(FakeDtnd.Request::rawQuery).containsExactly("incoming");
    }

    @Test
    void triggerPrintModeAndFailingCommands() throws Exception {
        CompletableFuture<ToolRun.Result> printing = CompletableFuture.supplyAsync(
                () -> ToolRun.run(TriggerCommand::new, "-p", port, "-e", "dtn://node1/inbox", "--print", "-n", "1"), pool);
        awaitSubscribed("dtn://node1/inbox");
        ToolRun.run(SendCommand::new, Map.of(), new ByteArrayInputStream("hi there".getBytes(StandardCharsets.UTF_8)),
                "-p", port, "-r", "dtn://node1/inbox");
        ToolRun.Result p = printing.get(30, TimeUnit.SECONDS);
        assertThat(p.out()).matches("\\[\\d{4}-\\d\\d-\\d\\dT[^]]+] dtn://node1/ -> hi there\\n");

        CompletableFuture<ToolRun.Result> failing = CompletableFuture.supplyAsync(
                () -> ToolRun.run(TriggerCommand::new, "-p", port, "-e", "fail", "-c", "false", "-n", "1"), pool);
        awaitSubscribed("fail");
        ToolRun.run(SendCommand::new, Map.of(), new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)),
                "-p", port, "-r", "dtn://node1/fail");
        ToolRun.Result f = failing.get(30, TimeUnit.SECONDS);
        assertThat(f.exitCode()).isZero();
        assertThat(f.out()).contains("[*] status: exit status: 1");
    }
}
