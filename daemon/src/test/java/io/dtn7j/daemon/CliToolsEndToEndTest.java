package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.dtn7j.daemon.cli.tools.EchoCommand;
import io.dtn7j.daemon.cli.tools.PingCommand;
import io.dtn7j.daemon.cli.tools.QueryCommand;
import io.dtn7j.daemon.cli.tools.RecvCommand;
import io.dtn7j.daemon.cli.tools.SendCommand;
import io.dtn7j.daemon.cli.tools.ToolRun;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code dtn7j daemon} processes that find each other only by IPND (unicast beacons on loopback, each on
 * its own discovery port), driven through the {@code dtn7j} client tools (query, send, recv, echo, ping; run
 * in-process to save JVM start-ups, except where the process exit code itself is checked) and HTTP.
 */
@Timeout(180)
class CliToolsEndToEndTest {

    @TempDir
    Path tmp;

    /** Runs {@code dtn7j <args>} as a process; returns exit code and output. */
    record Cli(int exitCode, String stdout, String stderr) {
    }

    private static ProcessBuilder cli(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.dtn7j.daemon.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DTN_WEB_PORT");
        return pb;
    }

    private Cli run(String... args) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = cli(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dtn7j " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private DaemonProcess daemon(String name, String... args) throws Exception {
        DaemonProcess d;
        try {
            d = DaemonProcess.start(tmp.resolve(name), args);
        } catch (AssertionError e) {
            Assumptions.assumeFalse(e.getMessage().contains("not built yet"), "dtn7j daemon cannot run a node yet");
            throw e;
        }
        if (d.apiPort() == 0) { // its output ended before it printed the API line: it is exiting
            d.process.waitFor(10, TimeUnit.SECONDS);
            d.close();
            Assumptions.assumeFalse(d.log().contains("not built yet"), "dtn7j daemon cannot run a node yet");
            throw new AssertionError("daemon " + name + " reported no API port; output:\n" + d.log());
        }
        return d;
    }

    @Test
    void twoDaemonsFoundByIpndExchangeBundlesThroughTheCliTools() throws Exception {
        int da = freeUdpPort();
        int db = freeUdpPort();
        try (DaemonProcess a = daemon("a", "-n", "nodea", "-w", "0", "-C", "mtcp:port=0", "-j", "1s", "-i", "500ms",
                "--discovery-port", Integer.toString(da), "-E", "127.0.0.1:" + db);
             DaemonProcess b = daemon("b", "-n", "nodeb", "-w", "0", "-C", "mtcp:port=0", "-j", "1s", "-i", "500ms",
                     "--discovery-port", Integer.toString(db), "-E", "127.0.0.1:" + da, "-e", "inbox")) {
            String pa = Integer.toString(a.apiPort());
            String pb = Integer.toString(b.apiPort());

            Cli node = run("query", "nodeid", "-q", "-p", pb); // one real process: the launcher path and exit code
            assertThat(node.exitCode()).as(node.toString()).isZero();
            assertThat(node.stdout().strip()).isEqualTo("dtn://nodeb/");

            // discovery: a learns b from its beacons (polled over HTTP, checked once with the tool)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!a.get("/status/peers").contains("nodeb") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            ToolRun.Result peers = ToolRun.run(QueryCommand::new, "peers", "-q", "-p", pa);
            assertThat(peers.out()).as("a's peers; a's log:\n" + a.log()).contains("\"nodeb\"").contains("mtcp");

            Path file = Files.writeString(tmp.resolve("msg.txt"), "found by IPND, sent by dtn7j send");
            ToolRun.Result sent = ToolRun.run(SendCommand::new, "-p", pa, "-r", "dtn://nodeb/inbox", file.toString());
            assertThat(sent.exitCode()).as(sent.toString()).isZero();
            assertThat(sent.out()).startsWith("Bundle-Id: dtn://nodea/-").contains("Result: ");

            ToolRun.Result got = ToolRun.run(RecvCommand::new, "-p", pb, "-e", "inbox", "-w", "--timeout", "30s", "--poll-interval", "200ms");
            assertThat(got.exitCode()).as(got + "\nb's log:\n" + b.log()).isZero();
            assertThat(got.out()).isEqualTo("found by IPND, sent by dtn7j send");

            // ping across the two nodes through an echo service on b
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            Future<ToolRun.Result> echo = pool.submit(() -> ToolRun.run(EchoCommand::new, "-p", pb, "-n", "3"));
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!b.get("/status/eids").contains("dtn://nodeb/echo") && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                Thread.sleep(500); // registered; now it subscribes over the WebSocket
                ToolRun.Result ping = ToolRun.run(PingCommand::new, "-p", pa, "-d", "dtn://nodeb/echo", "-c", "3", "-i", "0s", "-t", "20s");
                assertThat(ping.exitCode()).as(ping + "\na:\n" + a.log() + "\nb:\n" + b.log()).isZero();
                System.out.println(ping.out());
                assertThat(ping.out()).contains("from dtn://nodeb/echo: seq=1", "3 bundles transmitted, 3 received, 0% loss");
                assertThat(echo.get(30, TimeUnit.SECONDS).exitCode()).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void toolsReportAnUnreachableDaemonWithExitCode4() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli r = run("query", "nodeid", "-p", Integer.toString(port));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).contains("cannot reach the daemon");
        assertThat(r.stdout()).isEmpty();
    }
}
