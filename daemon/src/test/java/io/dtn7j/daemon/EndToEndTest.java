package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code dtn7j daemon} processes on loopback, driven only over HTTP: a line of three nodes with
 * static peers, and a node killed with SIGKILL that still delivers what it had accepted once restarted.
 */
class EndToEndTest {
    @TempDir
    Path tmp;

    /** Common flags: ephemeral ports, no discovery, quick janitor. */
    private static String[] node(String name, String... extra) {
        String[] base = {"-n", name, "-w", "0", "-C", "mtcp:port=0", "-i", "0", "-j", "1s"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    private static byte[] awaitBundle(DaemonProcess d, String endpoint, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<byte[]> r = d.getBytes("/endpoint?" + endpoint);
            String text = new String(r.body(), StandardCharsets.UTF_8);
            if (r.statusCode() == 200 && !text.equals("Nothing to receive")) {
                return r.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no bundle for " + endpoint + " within " + timeoutMs + " ms; log:\n" + d.log());
    }

    @Test
    void threeDaemonsInALineDeliverEndToEnd() throws Exception {
        try (DaemonProcess c = DaemonProcess.start(tmp.resolve("c"), node("nodec", "-e", "inbox"));
             DaemonProcess b = DaemonProcess.start(tmp.resolve("b"),
                     node("nodeb", "-s", "mtcp://127.0.0.1:" + c.claPort("mtcp") + "/nodec"))) {
            try (DaemonProcess a = DaemonProcess.start(tmp.resolve("a"),
                    node("nodea", "-s", "mtcp://127.0.0.1:" + b.claPort("mtcp") + "/nodeb"))) {
                String reply = a.post("/send?dst=dtn://nodec/inbox&lifetime=1m", "across three nodes".getBytes());
                assertThat(reply).startsWith("Sent ADU in bundle dtn://nodea/-");
                Bundle got = BundleCodec.decode(awaitBundle(c, "inbox", 20_000), DecodeOptions.DEFAULT);
                assertThat(got.payloadText()).isEqualTo("across three nodes");
                assertThat(got.source().uri()).isEqualTo("dtn://nodea/");
                assertThat(got.previousNode()).hasValueSatisfying(p -> assertThat(p.uri()).isEqualTo("dtn://nodeb/"));
                String metrics = c.get("/metrics");
                assertThat(metrics).containsPattern("(?m)^dtn7j_bundles_delivered_total [1-9]");
                assertThat(metrics).containsPattern("(?m)^dtn7j_cla_received_bundles_total\\{cla=\"mtcp\"} 1$");
                assertThat(b.get("/metrics")).containsPattern("(?m)^dtn7j_cla_sent_bundles_total\\{cla=\"mtcp\"} 1$");
                // the same path driven by the CLI tools: dtn7j send on a, dtn7j recv on c
                java.nio.file.Path in = tmp.resolve("in.txt");
                java.nio.file.Path out = tmp.resolve("out.txt");
                java.nio.file.Files.writeString(in, "sent with dtn7j send");
                assertThat(Main.commandLine().execute("send", "-p", "" + a.apiPort(), "-r", "dtn://nodec/inbox",
                        "--no-progress", in.toString())).isZero();
                assertThat(Main.commandLine().execute("recv", "-p", "" + c.apiPort(), "-e", "inbox", "-w",
                        "--timeout", "20s", "--no-progress", "-o", out.toString())).isZero();
                assertThat(java.nio.file.Files.readString(out)).isEqualTo("sent with dtn7j send");
                assertThat(a.stop()).isZero();
            }
            assertThat(b.stop()).isZero();
            assertThat(c.stop()).isZero();
        }
    }

    @Test
    void killedDaemonStillDeliversWhatItAcceptedAfterRestart() throws Exception {
        int cPort = placeholder();
        Path bDir = tmp.resolve("b");
        String bid;
        try (DaemonProcess b = DaemonProcess.start(bDir, node("nodeb", "-D", "sqlite",
                "-s", "mtcp://127.0.0.1:" + cPort + "/nodec"))) {
            String reply = b.post("/send?dst=dtn://nodec/inbox&lifetime=10m", "survives SIGKILL".getBytes());
            bid = reply.substring("Sent ADU in bundle ".length(), reply.indexOf(" with "));
            assertThat(b.get("/status/bundles")).contains(bid);
            b.kill();
        }
        try (DaemonProcess c = DaemonProcess.start(tmp.resolve("c"), node("nodec", "-e", "inbox"))) {
            // c listens on an ephemeral port; point the restarted b at it
            try (DaemonProcess b2 = DaemonProcess.start(bDir, node("nodeb", "-D", "sqlite",
                    "-s", "mtcp://127.0.0.1:" + c.claPort("mtcp") + "/nodec"))) {
                assertThat(b2.log()).contains("store: sqlite");
                Bundle got = BundleCodec.decode(awaitBundle(c, "inbox", 20_000), DecodeOptions.DEFAULT);
                assertThat(got.payloadText()).isEqualTo("survives SIGKILL");
                assertThat(got.id().toString()).isEqualTo(bid);
            }
        }
    }

    @Test
    void twoDaemonsFindEachOtherByIpndAndExchangeABundle() throws Exception {
        int pa = freeUdpPort();
        int pb = freeUdpPort();
        String[] common = {"-w", "0", "-C", "mtcp:port=0", "-C", "tcp:port=0", "-i", "200ms", "-j", "1s"};
        try (DaemonProcess a = DaemonProcess.start(tmp.resolve("a"), concat(common, "-n", "ipnda",
                "--discovery-port", "" + pa, "-E", "127.0.0.1:" + pb));
             DaemonProcess b = DaemonProcess.start(tmp.resolve("b"), concat(common, "-n", "ipndb",
                     "--discovery-port", "" + pb, "-E", "127.0.0.1:" + pa, "-e", "inbox"))) {
            long deadline = System.currentTimeMillis() + 15_000;
            while (!a.get("/status/peers").contains("ipndb") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            String peers = a.get("/status/peers");
            assertThat(peers).as(a.log()).contains("\"ipndb\"", "\"Dynamic\"");
            a.post("/send?dst=dtn://ipndb/inbox&lifetime=1m", "found by IPND".getBytes());
            Bundle got = BundleCodec.decode(awaitBundle(b, "inbox", 20_000), DecodeOptions.DEFAULT);
            assertThat(got.payloadText()).isEqualTo("found by IPND");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static int freeUdpPort() throws Exception {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A port that was free a moment ago and nothing listens on. */
    private static int placeholder() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
