package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.daemon.api.ApiOptions;
import io.dtn7j.daemon.api.ApiServer;
import io.dtn7j.daemon.api.SimpleNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client tools against the daemon's real HTTP/WebSocket server ({@link ApiServer}) over a single-node test
 * {@code NodeService}: the tools and the server side agree on routes, reply texts and WebSocket messages.
 */
@Timeout(60)
class ToolsAgainstApiServerTest {

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private ApiServer server;
    private String port;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(new SimpleNode("dtn://node1/"), ApiOptions.loopback(0)).start();
        port = Integer.toString(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
        pool.shutdownNow();
    }

    private ToolRun.Result run(java.util.function.Function<ToolIo, Object> tool, byte[] stdin, String... args) {
        return ToolRun.run(tool, Map.of("DTN_WEB_PORT", port), new ByteArrayInputStream(stdin), args);
    }

    @Test
    void queryRecvAndSendTalkToTheRealServer() throws Exception {
        ToolRun.Result node = run(QueryCommand::new, new byte[0], "nodeid", "-q");
        assertThat(node.exitCode()).as(node.toString()).isZero();
        assertThat(node.out()).isEqualTo("dtn://node1/\n");

        ToolRun.Result reg = run(RecvCommand::new, new byte[0], "-r", "incoming");
        assertThat(reg.exitCode()).as(reg.toString()).isZero();
        assertThat(reg.out()).isEqualTo("Registered dtn://node1/incoming\n");

        Path file = Files.writeString(dir.resolve("m.txt"), "through the real API");
        ToolRun.Result sent = run(SendCommand::new, new byte[0], "-r", "dtn://node1/incoming", file.toString());
        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        assertThat(sent.out()).startsWith("Bundle-Id: dtn://node1/-").contains("Result: Sent ");

        ToolRun.Result got = run(RecvCommand::new, new byte[0], "-e", "incoming");
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.out()).isEqualTo("through the real API");

        ToolRun.Result nothing = run(RecvCommand::new, new byte[0], "-e", "incoming", "-v");
        assertThat(nothing.exitCode()).as(nothing.toString()).isEqualTo(ExitCodes.RECV_NOTHING);

        ToolRun.Result bundles = run(QueryCommand::new, new byte[0], "bundles");
        assertThat(bundles.exitCode()).as(bundles.toString()).isZero();
        assertThat(run(QueryCommand::new, new byte[0], "info").exitCode()).isZero();
        assertThat(run(QueryCommand::new, new byte[0], "peers").exitCode()).isZero();
        assertThat(run(QueryCommand::new, new byte[0], "eids").out()).contains("dtn://node1/incoming");
    }

    @Test
    void pingAndEchoOverTheRealWebSocket() throws Exception {
        CompletableFuture<ToolRun.Result> echo = CompletableFuture.supplyAsync(
                () -> run(EchoCommand::new, new byte[0], "-n", "2"), pool);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.webSocketSessions() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        ToolRun.Result ping = run(PingCommand::new, new byte[0], "-d", "dtn://node1/echo", "-c", "2", "-i", "0s", "-t", "10s");
        assertThat(ping.exitCode()).as(ping.toString() + "\necho: " + (echo.isDone() ? echo.join() : "running")).isZero();
        List<String> lines = ping.out().lines().toList();
        assertThat(lines).contains("2 bundles transmitted, 2 received, 0% loss");
        assertThat(echo.get(20, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    void triggerOverTheRealWebSocket() throws Exception {
        CompletableFuture<ToolRun.Result> trigger = CompletableFuture.supplyAsync(
                () -> run(TriggerCommand::new, new byte[0], "-e", "inbox", "--print", "-n", "1"), pool);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.webSocketSessions() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        ToolRun.Result sent = run(SendCommand::new, "via bundle mode".getBytes(StandardCharsets.UTF_8), "-r", "dtn://node1/inbox");
        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        ToolRun.Result t = trigger.get(20, TimeUnit.SECONDS);
        assertThat(t.exitCode()).as(t.toString()).isZero();
        assertThat(t.out()).contains("dtn://node1/ -> via bundle mode");
    }
}
