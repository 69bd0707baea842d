package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Recorded sessions of the Python clients of the dtn7 ecosystem against a real {@code dtn7j daemon} process on
 * loopback: dtn7zero's {@code ExternalEndpoint} and {@code Dtn7RsRestCLA} (which talk to a dtn7-rs daemon's REST
 * API), dtn7zero's IPND, and py-dtn7's {@code DTNRESTClient} and {@code DTNWSClient}. The other side of each
 * exchange is a {@code dtn7j send}/{@code dtn7j recv} child process. The Python side is our driver script
 * ({@code src/test/resources/interop/pyclients_driver.py}); it prints one line per observation and this class
 * asserts on those lines.
 *
 * <p>Runs only with {@code -Ddtn7j.interop=true}. The dtn7zero tests need {@code DTN7ZERO_HOME} (a dtn7zero
 * work tree with its {@code lib/py-dtn7} submodule), the py-dtn7 tests {@code PYDTN7_HOME} (a py-dtn7 work
 * tree); each is skipped with a message when its variable is unset. {@code DTN7ZERO_PYTHON} chooses the
 * interpreter (default {@code python3}; it needs cbor2, requests, websocket-client and netifaces). See
 * docs/INTEROP.md for versions and results.
 */
@EnabledIfSystemProperty(named = "dtn7j.interop", matches = "true")
class PythonClientsInteropTest {

    @TempDir
    Path tmp;

    private Path driver;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void copyDriver() throws IOException {
        driver = tmp.resolve("pyclients_driver.py");
        try (InputStream in = getClass().getResourceAsStream("/interop/pyclients_driver.py")) {
            Files.write(driver, in.readAllBytes());
        }
    }

    @AfterEach
    void stopProcesses() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    /** Common daemon flags: ephemeral ports, no discovery, mem store, quick janitor. */
    private static String[] node(String name, String... extra) {
        List<String> all = new ArrayList<>(List.of("-n", name, "-w", "0", "-C", "mtcp:port=0", "-i", "0", "-j", "1s",
                "-D", "mem"));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    // ------------------------------------------------------------------------------------------- dtn7zero

    @Test
    void dtn7zeroExternalEndpointBothDirectionsWithTheCliTools() throws Exception {
        requireHome("DTN7ZERO_HOME", "dtn7zero", "lib/py-dtn7/py_dtn7");
        try (DaemonProcess d = DaemonProcess.start(tmp.resolve("d"), node("jnode", "-e", "inbox"))) {
            // dtn7zero → dtn7j: its ExternalEndpoint sends with POST /send, dtn7j recv takes it from the endpoint
            Script send = python("zero-ext-send", "" + d.apiPort(), "zsender", "dtn://jnode/inbox", "hello from dtn7zero");
            assertThat(send.await(60)).as(send.text()).isZero();
            assertThat(send.lines()).containsExactly("REGISTERED zsender", "SENT dtn://jnode/inbox", "UNREGISTERED zsender");
            Path out = tmp.resolve("recv.txt");
            Tool recv = Tool.run("recv", "-p", "" + d.apiPort(), "-e", "inbox", "-w", "--timeout", "20s",
                    "--no-progress", "-o", out.toString());
            assertThat(recv.exit()).as(recv.output()).isZero();
            assertThat(Files.readString(out)).isEqualTo("hello from dtn7zero");
            assertThat(d.get("/status/eids")).doesNotContain("zsender");

            // dtn7j → dtn7zero: dtn7j send (POST /insert), the ExternalEndpoint polls GET /endpoint
            Script rx = python("zero-ext-recv", "" + d.apiPort(), "zreceiver", "30");
            rx.awaitLine(l -> l.startsWith("EMPTY"), 30);
            Path in = tmp.resolve("in.txt");
            Files.writeString(in, "hello from dtn7j send");
            Tool sent = Tool.run("send", "-p", "" + d.apiPort(), "-r", "dtn://jnode/zreceiver", "--no-progress", in.toString());
            assertThat(sent.exit()).as(sent.output()).isZero();
            assertThat(rx.await(60)).as(rx.text()).isZero();
            assertThat(rx.lines()).containsExactly("REGISTERED zreceiver", "EMPTY True",
                    "RECEIVED dtn://jnode/ dtn://jnode/zreceiver " + hex("hello from dtn7j send"), "UNREGISTERED zreceiver");
        }
    }

    @Test
    void dtn7zeroNodeReachesDtn7jThroughItsRestClaAndBack() throws Exception {
        requireHome("DTN7ZERO_HOME", "dtn7zero", "lib/py-dtn7/py_dtn7");
        // dtn7zero numbers its payload block 2 (docs/INTEROP.md): its /push is accepted only with lenient validation
        try (DaemonProcess d = DaemonProcess.start(tmp.resolve("d"), node("jnode", "-e", "inbox", "--validation", "lenient"))) {
            Script zero = python("zero-rest-cla", "" + d.apiPort(), "dtn://zero/", "jnode", "dtn://jnode/inbox",
                    "pushed by dtn7zero", "40");
            zero.awaitLine(l -> l.startsWith("SENT"), 30);
            // dtn7zero → dtn7j: POST /push, delivered to dtn7j's inbox
            Path out = tmp.resolve("recv.txt");
            Tool recv = Tool.run("recv", "-p", "" + d.apiPort(), "-e", "inbox", "-w", "--timeout", "20s",
                    "--no-progress", "-o", out.toString());
            assertThat(recv.exit()).as(recv.output() + "\n" + zero.text() + "\n" + d.log()).isZero();
            assertThat(Files.readString(out)).isEqualTo("pushed by dtn7zero");
            // dtn7j → dtn7zero: the bundle waits in the daemon's store; dtn7zero lists and downloads it
            Path in = tmp.resolve("in.txt");
            Files.writeString(in, "pulled by dtn7zero");
            Tool sent = Tool.run("send", "-p", "" + d.apiPort(), "-r", "dtn://zero/incoming", "--no-progress", in.toString());
            assertThat(sent.exit()).as(sent.output()).isZero();
            assertThat(zero.await(60)).as(zero.text()).isZero();
            assertThat(zero.lines()).contains("RECEIVED dtn://jnode/ dtn://zero/incoming " + hex("pulled by dtn7zero"));
        }
    }

    @Test
    void dtn7zeroAndDtn7jFindEachOtherByIpndAndExchangeBundles() throws Exception {
        requireHome("DTN7ZERO_HOME", "dtn7zero", "lib/py-dtn7/py_dtn7");
        // dtn7zero listens for beacons on UDP 3003, hard-coded
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(3003));
        } catch (BindException e) {
            assumeTrue(false, "UDP port 3003 (dtn7zero's fixed IPND port) cannot be bound here: " + e.getMessage());
        }
        int ipndPort = freeUdpPort();
        int zeroMtcp = freeTcpPort();
        try (DaemonProcess d = DaemonProcess.start(tmp.resolve("d"), "-n", "jnode", "-w", "0", "-C", "mtcp:port=0",
                "-D", "mem", "-j", "1s", "-i", "500ms", "--discovery-port", "" + ipndPort, "-E", "127.0.0.1:3003",
                "--crc", "none", "--validation", "lenient", "-e", "inbox")) {
            Script zero = python("zero-ipnd", "dtn://zero/", "" + zeroMtcp, "" + ipndPort, "dtn://jnode/inbox",
                    "found by IPND", "40");
            // dtn7zero understood dtn7j's beacon: the daemon's node ID and MTCP port
            String discovered = zero.awaitLine(l -> l.startsWith("DISCOVERED"), 30);
            assertThat(discovered).isEqualTo("DISCOVERED 127.0.0.1 1://jnode/ {\"mtcp\": " + d.claPort("mtcp") + "}");
            // dtn7j understood dtn7zero's beacons (broadcast and unicast reply): a dynamic peer with its MTCP port
            long deadline = System.currentTimeMillis() + 20_000;
            while (!d.get("/status/peers").contains("\"zero\"") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            String peers = d.get("/status/peers");
            assertThat(peers).as(d.log() + "\n" + zero.text()).contains("\"zero\"", "\"Dynamic\"")
                    .containsPattern("\\[\\s*\"mtcp\",\\s*" + zeroMtcp + "\\s*]");
            // dtn7zero → dtn7j over the MTCP address it learnt by IPND
            Path out = tmp.resolve("recv.txt");
            Tool recv = Tool.run("recv", "-p", "" + d.apiPort(), "-e", "inbox", "-w", "--timeout", "20s",
                    "--no-progress", "-o", out.toString());
            assertThat(recv.exit()).as(recv.output() + "\n" + zero.text()).isZero();
            assertThat(Files.readString(out)).isEqualTo("found by IPND");
            // dtn7j → dtn7zero over the MTCP address dtn7j learnt by IPND
            Path in = tmp.resolve("in.txt");
            Files.writeString(in, "discovered you too");
            Tool sent = Tool.run("send", "-p", "" + d.apiPort(), "-r", "dtn://zero/incoming", "--no-progress", in.toString());
            assertThat(sent.exit()).as(sent.output()).isZero();
            assertThat(zero.await(60)).as(zero.text() + "\n" + d.log()).isZero();
            assertThat(zero.lines()).contains("RECEIVED dtn://jnode/ dtn://zero/incoming " + hex("discovered you too"));
        }
    }

    // -------------------------------------------------------------------------------------------- py-dtn7

    @Test
    void pyDtn7RestClientSession() throws Exception {
        requireHome("PYDTN7_HOME", "py_dtn7");
        // py-dtn7 cannot decode a bundle with a CRC; dtn7j's /send adds CRC-32C unless --crc none (docs/INTEROP.md)
        try (DaemonProcess d = DaemonProcess.start(tmp.resolve("d"), node("jnode", "-s", "mtcp://127.0.0.1:9/peer2",
                "--crc", "none"))) {
            Script s = python("pydtn7-rest", "" + d.apiPort(), "peer2");
            assertThat(s.await(60)).as(s.text()).isZero();
            List<String> l = s.lines();
            assertThat(l).contains("NODE_ID dtn://jnode/", "REGISTER Registered dtn://jnode/pyrest",
                    "UNREGISTER Unregistered dtn://jnode/pyrest", "FETCH_DONE");
            assertThat(l.stream().filter(x -> x.startsWith("SEND 200 Sent ADU in bundle dtn://jnode/-"))).hasSize(3);
            assertThat(l).anyMatch(x -> x.startsWith("SEND_PEER 200 Sent ADU in bundle dtn://jnode/-"));
            assertThat(l).contains("EIDS [\"dtn://jnode/\", \"dtn://jnode/pyrest\"]", "BUNDLES 4");
            // the bundle for peer2 was addressed with the EID py-dtn7 built from /status/peers' [1, "//peer2/"]
            assertThat(l).anyMatch(x -> x.startsWith("PEERS {\"peer2\": {\"addr\": {\"Ip\": \"127.0.0.1\"}, "
                    + "\"cla_list\": [[\"mtcp\", 9]], \"con_type\": \"Static\", \"eid\": [1, \"//peer2/\"]"));
            assertThat(l).anyMatch(x -> x.matches("ALL dtn://jnode/-\\d+-\\d+ dtn://peer2/inbox " + hex("to a peer")));
            assertThat(l).anyMatch(x -> x.matches("FILTERED \\[\"dtn://jnode/-\\d+-\\d+\"]"));
            // payloads as py-dtn7 sent them: bytes, UTF-8 text, JSON (requests' json= encoding)
            assertThat(l).filteredOn(x -> x.startsWith("FETCH ")).containsExactly(
                    "FETCH dtn://jnode/ " + hex("bytes payload"), "FETCH dtn://jnode/ " + hex("text payload"),
                    "FETCH dtn://jnode/ " + hex("{\"key\": 1}"));
            String first = l.stream().filter(x -> x.startsWith("DOWNLOAD ")).findFirst().orElseThrow().substring(9);
            assertThat(l).contains("DOWNLOAD_BY_PARTS " + first);
            assertThat(l).anyMatch(x -> x.startsWith("INFO ") && x.endsWith(" dtn://jnode/"));
        }
    }

    @Test
    void pyDtn7WebSocketClientInDataAndJsonMode() throws Exception {
        requireHome("PYDTN7_HOME", "py_dtn7");
        try (DaemonProcess d = DaemonProcess.start(tmp.resolve("d"), node("jnode", "-e", "pyws"))) {
            Script s = python("pydtn7-ws", "" + d.apiPort(), "dtn://jnode/pyws");
            assertThat(s.await(60)).as(s.text()).isZero();
            List<String> l = s.lines();
            assertThat(l).startsWith("NODE_ID dtn://jnode/", "TEXT 200 tx mode: data", "TEXT 200 subscribed");
            assertThat(l).contains("TEXT 200 tx mode: JSON", "CLOSED");
            assertThat(l).filteredOn(x -> x.startsWith("TEXT 200 Sent bundle dtn://jnode/-")).hasSize(2);
            String cbor = l.stream().filter(x -> x.startsWith("CBOR ")).findFirst().orElseThrow();
            assertThat(cbor).containsPattern("\"bid\": \"dtn://jnode/-\\d+-0\", \"cts\": \\[\\d+, 0], \"data\": \""
                    + hex("ws data mode") + "\", \"dst\": \"dtn://jnode/pyws\", \"lifetime\": 60000, \"src\": \"dtn://jnode/\"");
            String json = l.stream().filter(x -> x.startsWith("JSON ")).findFirst().orElseThrow();
            assertThat(json).contains("\"data\": \"d3MganNvbiBtb2Rl\"", "\"dst\": \"dtn://jnode/pyws\"", "\"lifetime\": 60000");
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private Path requireHome(String variable, String... mustContain) {
        String configured = System.getProperty(variable, System.getenv(variable));
        assumeTrue(configured != null && !configured.isBlank(),
                variable + " is not set: point it at a work tree of the client (see docs/INTEROP.md) to run this test");
        Path home = Path.of(configured);
        for (String dir : mustContain) {
            assumeTrue(Files.isDirectory(home.resolve(dir)), variable + "=" + home + " has no " + dir + "/");
        }
        return home;
    }

    private Script python(String... args) throws IOException {
        String python = System.getProperty("DTN7ZERO_PYTHON", Optional.ofNullable(System.getenv("DTN7ZERO_PYTHON")).orElse("python3"));
        List<String> cmd = new ArrayList<>(List.of(python, "-u", driver.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (String v : List.of("DTN7ZERO_HOME", "PYDTN7_HOME")) {
            String value = System.getProperty(v, System.getenv(v));
            if (value != null) {
                pb.environment().put(v, value);
            }
        }
        Process p = pb.start();
        processes.add(p);
        return new Script(args[0], p);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A running driver script; its output lines are echoed with a prefix and kept. */
    static final class Script {
        private final String name;
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final List<String> all = new CopyOnWriteArrayList<>();

        Script(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread.ofPlatform().daemon().name("py-" + name).start(this::read);
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[" + name + "] " + line);
                    all.add(line);
                    if (line.matches("[A-Z_]+( .*)?")) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                all.add("(read failed: " + e + ")");
            }
        }

        /** Waits for the exit; returns the exit code (or fails after the timeout). */
        int await(int seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not finish within " + seconds + " s; output:\n" + text());
            }
            Thread.sleep(100); // let the reader take the last lines
            return process.exitValue();
        }

        String awaitLine(Predicate<String> p, int seconds) throws Exception {
            long deadline = System.currentTimeMillis() + seconds * 1000L;
            while (System.currentTimeMillis() < deadline) {
                for (String l : lines) {
                    if (p.test(l)) {
                        return l;
                    }
                }
                if (!process.isAlive() && process.exitValue() != 0) {
                    break;
                }
                Thread.sleep(50);
            }
            throw new AssertionError(name + ": expected line did not come within " + seconds + " s; output:\n" + text());
        }

        /** The observation lines (upper-case key first), in order. */
        List<String> lines() {
            return List.copyOf(lines);
        }

        String text() {
            return String.join("\n", all);
        }
    }

    /** A {@code dtn7j} CLI tool run as a child JVM (this test's class path), to completion. */
    record Tool(int exit, String output) {
        static Tool run(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), "io.dtn7j.daemon.Main"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("dtn7j " + String.join(" ", args) + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            System.out.println("[dtn7j " + args[0] + "] " + text.strip().replace("\n", "\n[dtn7j " + args[0] + "] "));
            return new Tool(p.exitValue(), text);
        }
    }
}
