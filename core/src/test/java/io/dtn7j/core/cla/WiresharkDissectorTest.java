package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dtn7j.core.cla.mtcp.MtcpConvergenceLayer;
import io.dtn7j.core.cla.tcpcl.TcpclConvergenceLayer;
import io.dtn7j.core.cla.udp.UdpConvergenceLayer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks dtn7j's TCPCLv4, UDP and MTCP traffic with Wireshark's own dissectors: captures loopback traffic
 * with {@code tshark} and asserts every TCPCLv4 message and every bundle decodes with no malformed packet and
 * no expert error. Skipped (with the reason) when tshark is not installed or capturing on {@code lo} is not
 * permitted; CI installs tshark ({@code apt-get install -y tshark}).
 */
class WiresharkDissectorTest {

    @TempDir
    Path tmp;

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    @Test
    void tsharkDecodesTcpclUdpAndMtcpTrafficCleanly() throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not on PATH: install it (apt-get install -y tshark) to run this check");
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).keepalive(Duration.ofSeconds(1)).build();
        TestClaContext ca = new TestClaContext("dtn://a/", tmp.resolve("sa"));
        TestClaContext cb = new TestClaContext("dtn://b/", tmp.resolve("sb"));
        TcpclConvergenceLayer tcpA = new TcpclConvergenceLayer(options);
        TcpclConvergenceLayer tcpB = new TcpclConvergenceLayer(options.toBuilder().segmentMru(4000).build());
        UdpConvergenceLayer udpB = new UdpConvergenceLayer(options);
        UdpConvergenceLayer udpA = new UdpConvergenceLayer(options);
        MtcpConvergenceLayer mtcpB = new MtcpConvergenceLayer(options);
        MtcpConvergenceLayer mtcpA = new MtcpConvergenceLayer(options);
        Process capture = null;
        int[] ports = new int[3];
        Path pcap = tmp.resolve("cla.pcapng");
        try {
            tcpA.start(ca);
            tcpB.start(cb);
            udpA.start(ca);
            udpB.start(cb);
            mtcpA.start(ca);
            mtcpB.start(cb);
            ports[0] = tcpB.port();
            ports[1] = udpB.port();
            ports[2] = mtcpB.port();
            String filter = "tcp port " + tcpB.port() + " or udp port " + udpB.port() + " or tcp port " + mtcpB.port();
            capture = new ProcessBuilder("tshark", "-i", "lo", "-f", filter, "-w", pcap.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("capture.log").toFile()).start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(tmp.resolve("capture.log")).contains("Capturing on") && capture.isAlive()
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            String log = Files.readString(tmp.resolve("capture.log"));
            assumeTrue(capture.isAlive() && log.contains("Capturing on"),
                    "cannot capture on lo here (needs root or CAP_NET_RAW): " + log.strip());
            Thread.sleep(300);

            ClaAddress tcp = new ClaAddress("tcp", "127.0.0.1", tcpB.port());
            for (int i = 0; i < 5; i++) {
                tcpA.send(tcp, TestBundles.outgoing(50 + i, i)); // single segment
            }
            tcpA.send(tcp, TestBundles.outgoing(10_000, 10)); // three segments
            cb.known.add(TestBundles.id(11));
            try {
                tcpA.send(tcp, TestBundles.outgoing(100, 11)); // XFER_REFUSE
            } catch (TransmissionException expected) {
                assertThat(expected.reason()).isEqualTo(TransmissionException.Reason.REFUSED);
            }
            Thread.sleep(1200); // a KEEPALIVE
            for (int i = 0; i < 3; i++) {
                udpA.send(new ClaAddress("udp", "127.0.0.1", udpB.port()), TestBundles.outgoing(80 + i, 20 + i));
                mtcpA.send(new ClaAddress("mtcp", "127.0.0.1", mtcpB.port()), TestBundles.outgoing(90 + i, 30 + i));
            }
            for (int i = 0; i < 12; i++) {
                cb.take(Duration.ofSeconds(5));
            }
            tcpA.close(); // SESS_TERM and its reply
            Thread.sleep(1000);
        } finally {
            if (capture != null) {
                Thread.sleep(500);
                // SIGINT lets tshark write out what it captured
                new ProcessBuilder("kill", "-INT", Long.toString(capture.pid())).start().waitFor(10, TimeUnit.SECONDS);
                if (!capture.waitFor(15, TimeUnit.SECONDS)) {
                    capture.destroy();
                    capture.waitFor(10, TimeUnit.SECONDS);
                }
            }
            for (ConvergenceLayer c : List.of(tcpA, tcpB, udpA, udpB, mtcpA, mtcpB)) {
                c.close();
            }
        }
        // two passes, so the TCPCL dissector relates segments and acknowledgements across the capture
        List<String> read = new ArrayList<>(List.of("tshark", "-2", "-r", pcap.toString(),
                "-d", "tcp.port==" + ports[0] + ",tcpcl",
                "-d", "udp.port==" + ports[1] + ",bundle",
                "-o", "tcp.desegment_tcp_streams:TRUE"));
        Files.copy(pcap, Path.of(System.getProperty("java.io.tmpdir"), "dtn7j-cla-last.pcapng"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING); // for a look when this test fails
        List<String> frames = lines(run(List.of("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "frame.number")));
        assumeTrue(frames.size() > 20, "the capture recorded only " + frames.size()
                + " packets: capturing on lo does not work reliably here: " + Files.readString(tmp.resolve("capture.log")));
        // every TCPCLv4 message type we exchanged is decoded
        List<String> types = lines(run(concat(read, "-Y", "tcpcl.v4.mhdr.type", "-T", "fields", "-e", "tcpcl.v4.mhdr.type")));
        String all = String.join(",", types);
        for (String t : List.of("0x07", "0x01", "0x02", "0x03", "0x04", "0x05")) {
            assertThat(all).as("TCPCLv4 message types seen: " + all).contains(t);
        }
        // every bundle was decoded by the BPv7 dissector (5 + 1 + 3 over TCPCL, refused one partially, 3 over UDP)
        List<String> bundles = lines(run(concat(read, "-Y", "bpv7.primary.version", "-T", "fields", "-e", "frame.number")));
        assertThat(bundles.size()).as("frames with a BPv7 primary block").isGreaterThanOrEqualTo(5 + 1 + 3);
        // and nothing is malformed or an expert error
        String bad = run(concat(read, "-Y", "_ws.malformed || _ws.expert.severity == \"Error\"",
                "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message", "-e", "_ws.expert.severity",
                "-e", "_ws.malformed"));
        assertThat(String.join("\n", lines(bad))).as("malformed packets or expert errors").isEmpty();

        // MTCP: Wireshark has no MTCP dissector; unwrap the captured MTCP streams and let tshark's BPv7
        // dissector decode each bundle (re-wrapped in UDP by text2pcap)
        assumeTrue(onPath("text2pcap"), "text2pcap is not on PATH; MTCP bundles not checked");
        List<byte[]> mtcpBundles = new ArrayList<>();
        for (String stream : lines(run(List.of("tshark", "-r", pcap.toString(), "-Y",
                "tcp.dstport==" + ports[2] + " && tcp.len>0", "-T", "fields", "-e", "tcp.stream"))).stream().distinct().toList()) {
            String follow = run(List.of("tshark", "-r", pcap.toString(), "-q", "-z", "follow,tcp,raw," + stream));
            StringBuilder hex = new StringBuilder();
            for (String line : follow.lines().toList()) {
                if (!line.isEmpty() && !line.startsWith("\t") && line.matches("[0-9a-f]+")) {
                    hex.append(line); // client-to-server data (server-to-client lines are indented)
                }
            }
            java.io.InputStream in = new java.io.ByteArrayInputStream(java.util.HexFormat.of().parseHex(hex));
            long n;
            while ((n = io.dtn7j.core.cla.mtcp.MtcpFraming.readHeader(in, 1 << 20)) >= 0) {
                if (n > 0) {
                    mtcpBundles.add(in.readNBytes((int) n));
                }
            }
        }
        assertThat(mtcpBundles).as("bundles carried over MTCP").hasSize(3);
        StringBuilder dump = new StringBuilder();
        for (byte[] b : mtcpBundles) {
            for (int off = 0; off < b.length; off += 16) {
                dump.append(String.format("%06x", off));
                for (int i = off; i < Math.min(b.length, off + 16); i++) {
                    dump.append(String.format(" %02x", b[i]));
                }
                dump.append('\n');
            }
        }
        Path text = tmp.resolve("mtcp.txt");
        Files.writeString(text, dump);
        Path udpPcap = tmp.resolve("mtcp-bundles.pcap");
        run(List.of("text2pcap", "-q", "-u", "4556,4556", text.toString(), udpPcap.toString()));
        List<String> read2 = List.of("tshark", "-2", "-r", udpPcap.toString());
        assertThat(lines(run(concat(read2, "-Y", "bpv7.primary.version", "-T", "fields", "-e", "frame.number"))))
                .as("MTCP bundles decoded by the BPv7 dissector").hasSize(3);
        assertThat(lines(run(concat(read2, "-Y", "_ws.malformed || _ws.expert.severity == \"Error\"",
                "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message")))).isEmpty();
    }

    static List<String> concat(List<String> base, String... more) {
        List<String> l = new ArrayList<>(base);
        l.addAll(List.of(more));
        return l;
    }

    static List<String> lines(String out) {
        return out.lines().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("Running as user")).toList();
    }
}
