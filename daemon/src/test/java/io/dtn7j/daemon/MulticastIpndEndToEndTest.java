package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.discovery.LoopbackMulticast;
import io.dtn7j.daemon.cli.tools.QueryCommand;
import io.dtn7j.daemon.cli.tools.RecvCommand;
import io.dtn7j.daemon.cli.tools.SendCommand;
import io.dtn7j.daemon.cli.tools.ToolRun;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code dtn7j daemon} processes find each other by IPND over IPv4 <em>multicast</em> on the loopback
 * interface (both on one discovery port, the only beacon destination is the group 224.0.0.26, interface
 * allow-list {@code lo}: no unicast destination at all) and exchange a bundle driven only by the CLI tools
 * ({@code dtn7j query peers}, {@code dtn7j send}, {@code dtn7j recv}). Skipped, with the probe's reason, where the
 * kernel or sandbox does not loop multicast back over loopback.
 */
class MulticastIpndEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void twoDaemonsFindEachOtherByMulticastOnLoopbackAndExchangeABundle() throws Exception {
        Optional<String> why = LoopbackMulticast.unavailableReason(InetAddress.getByName("224.0.0.26"));
        Assumptions.assumeTrue(why.isEmpty(), () -> "loopback multicast unavailable: " + why.orElse(""));
        String lo = LoopbackMulticast.loopbackInterface().orElseThrow().getName();
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        String[] common = {"-w", "0", "-C", "mtcp:port=0", "-j", "1s", "-D", "mem", "-i", "300ms",
                "--discovery-port", "" + port, "-E", "224.0.0.26:" + port, "--discovery-interface", lo};
        CompletableFuture<DaemonProcess> startB = CompletableFuture.supplyAsync(() -> {
            try {
                return DaemonProcess.start(tmp.resolve("b"), concat(common, "-n", "mcastb", "-e", "inbox"));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try (DaemonProcess a = DaemonProcess.start(tmp.resolve("a"), concat(common, "-n", "mcasta"));
             DaemonProcess b = startB.get(90, TimeUnit.SECONDS)) {
            String pa = "" + a.apiPort();
            String pb = "" + b.apiPort();
            ToolRun.Result peers = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                peers = ToolRun.run(QueryCommand::new, "peers", "-q", "-p", pa);
                if (peers.out().contains("\"mcastb\"")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(peers.out()).as("a's peers; a's log:\n" + a.log())
                    .contains("\"mcastb\"", "\"Dynamic\"", "\"127.0.0.1\"")
                    .containsPattern("\"mtcp\",\\s*" + b.claPort("mtcp"));
            assertThat(a.log()).contains("IPND discovered dtn://mcastb/");
            ToolRun.Result peersOfB = ToolRun.run(QueryCommand::new, "peers", "-q", "-p", pb);
            assertThat(peersOfB.out()).as(b.log()).contains("\"mcasta\"");

            Path file = Files.writeString(tmp.resolve("msg.txt"), "found by multicast IPND");
            ToolRun.Result sent = ToolRun.run(SendCommand::new, "-p", pa, "-r", "dtn://mcastb/inbox", file.toString());
            assertThat(sent.exitCode()).as(sent.toString()).isZero();
            ToolRun.Result got = ToolRun.run(RecvCommand::new, "-p", pb, "-e", "inbox", "-w", "--timeout", "20s",
                    "--poll-interval", "200ms");
            assertThat(got.exitCode()).as(got + "\nb's log:\n" + b.log()).isZero();
            assertThat(got.out()).isEqualTo("found by multicast IPND");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
