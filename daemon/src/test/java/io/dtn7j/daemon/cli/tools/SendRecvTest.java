package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SendRecvTest {

    @TempDir
    Path dir;

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
    }

    private ToolRun.Result send(byte[] stdin, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-p";
        all[1] = port;
        System.arraycopy(args, 0, all, 2, args.length);
        return ToolRun.run(SendCommand::new, Map.of(), new ByteArrayInputStream(stdin), all);
    }

    private ToolRun.Result recv(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-p";
        all[1] = port;
        System.arraycopy(args, 0, all, 2, args.length);
        return ToolRun.run(RecvCommand::new, all);
    }

    @Test
    void sendBuildsTheBundleAsDtnsendAndInsertsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("msg.txt"), "hello");
        ToolRun.Result r = send(new byte[0], "-r", "dtn://node2/incoming", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();

        assertThat(dtnd.requests).extracting(FakeDtnd.Request::target).containsExactly("/status/nodeid", "/cts", "/insert");
        FakeDtnd.Request insert = dtnd.requests.get(2);
        assertThat(insert.method()).isEqualTo("POST");
        Bundle b = BundleCodec.decode(insert.body(), DecodeOptions.DEFAULT);
        assertThat(b.source().uri()).isEqualTo("dtn://node1/");
        assertThat(b.reportTo().uri()).isEqualTo("dtn://node1/");
        assertThat(b.destination().uri()).isEqualTo("dtn://node2/incoming");
        assertThat(b.flags().bits()).isEqualTo(0x20004);
        assertThat(b.primary().lifetimeMs()).isEqualTo(3_600_000);
        assertThat(b.primary().crcType()).isEqualTo(CrcType.NONE);
        assertThat(b.creation().dtnTimeMs()).isEqualTo(800_000_000_000L);
        assertThat(b.hopCount()).hasValueSatisfying(h -> assertThat(h.limit()).isEqualTo(32));
        assertThat(b.payloadText()).isEqualTo("hello");
        assertThat(b.blocks().getLast().isPayload()).isTrue();
        // the same bytes as bp7 would write: indefinite outer array ending in 0xff
        assertThat(insert.body()[0] & 0xff).isEqualTo(0x9f);
        assertThat(insert.body()[insert.body().length - 1] & 0xff).isEqualTo(0xff);

        assertThat(r.out()).isEqualTo("Bundle-Id: dtn://node1/-800000000000-0\n"
                + "Result: Sent " + insert.body().length + " bytes\n"
                + "Time: 2025-05-08T06:13:20Z\n");
    }

    @Test
    void sendReadsStandardInputAndHonoursSenderAndLifetime() throws Exception {
        ToolRun.Result r = send("from stdin".getBytes(StandardCharsets.UTF_8), "-r", "ipn:5.1", "-s", "dtn://node1/app", "-l", "60");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dtnd.requests).extracting(FakeDtnd.Request::target).containsExactly("/cts", "/insert");
        Bundle b = dtnd.received.get(0);
        assertThat(b.source().uri()).isEqualTo("dtn://node1/app");
        assertThat(b.destination().uri()).isEqualTo("ipn:5.1");
        assertThat(b.primary().lifetimeMs()).isEqualTo(60_000);
        assertThat(b.payloadText()).isEqualTo("from stdin");
    }

    @Test
    void dryRunPrintsHexAndSendsNothing() throws Exception {
        ToolRun.Result r = send("x".getBytes(StandardCharsets.UTF_8), "-D", "-r", "dtn://node2/in", "-s", "dtn://node1/");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dtnd.requests).isEmpty();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("Bundle-Id: dtn://node1/-");
        Bundle b = BundleCodec.decode(HexFormat.of().parseHex(lines[1]), DecodeOptions.DEFAULT);
        assertThat(b.payloadText()).isEqualTo("x");
        assertThat(lines).hasSize(3);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(send(new byte[0]).exitCode()).isEqualTo(ExitCodes.USAGE); // -r missing
        ToolRun.Result bad = send(new byte[0], "-r", "http://x");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.stderr()).contains("-r/--receiver \"http://x\" is not an endpoint ID");
        assertThat(send(new byte[0], "-r", "dtn://n/x", dir.resolve("missing").toString()).exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(dtnd.requests).isEmpty();
    }

    @Test
    void aBundleTravelsFromSendToRecv() throws Exception {
        assertThat(recv("-r", "incoming").out()).isEqualTo("Registered dtn://node1/incoming\n");
        assertThat(send("payload one".getBytes(StandardCharsets.UTF_8), "-r", "dtn://node1/incoming").exitCode()).isZero();
        ToolRun.Result got = recv("-e", "incoming");
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.out()).isEqualTo("payload one");
        assertThat(dtnd.requests).extracting(FakeDtnd.Request::target).endsWith("/endpoint?incoming");

        ToolRun.Result nothing = recv("-e", "incoming");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.stdout()).isEmpty();
        ToolRun.Result nothingVerbose = recv("-e", "incoming", "-v");
        assertThat(nothingVerbose.exitCode()).isEqualTo(ExitCodes.RECV_NOTHING);
        assertThat(nothingVerbose.stderr()).contains("Nothing to fetch.");
    }

    @Test
    void recvOfAnUnregisteredEndpointExits23WithTheDaemonsMessage() {
        ToolRun.Result r = recv("-e", "nobody");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RECV_NOTHING);
        assertThat(r.stderr()).contains("HTTP 404 No such endpoint registered!");
    }

    @Test
    void downloadByIdHexRawOutfileAndDelete() throws Exception {
        assertThat(send("stored".getBytes(StandardCharsets.UTF_8), "-r", "dtn://far/away").exitCode()).isZero();
        String bid = "dtn://node1/-800000000000-0";
        byte[] encoded = dtnd.requests.get(2).body();

        assertThat(recv("-b", bid).out()).isEqualTo("stored");
        assertThat(recv("-b", bid, "-x").out()).isEqualTo(HexFormat.of().formatHex(encoded) + "\n");
        assertThat(recv("-b", bid, "--raw").stdout()).isEqualTo(encoded);
        Path out = dir.resolve("payload.bin");
        ToolRun.Result toFile = recv("-b", bid, "-o", out.toString());
        assertThat(toFile.stdout()).isEmpty();
        assertThat(Files.readString(out)).isEqualTo("stored");
        assertThat(dtnd.requests.get(3).target()).isEqualTo("/download?" + bid);

        assertThat(recv("-d", bid).out()).isEqualTo("Deleted " + bid + "\n");
        ToolRun.Result gone = recv("-b", bid);
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.RECV_NOTHING);
        assertThat(gone.stderr()).contains("HTTP 404 Bundle not found");
        assertThat(recv("-u", "incoming").out()).isEqualTo("Unregistered dtn://node1/incoming\n");
    }

    @Test
    void recvNeedsExactlyOneAction() {
        assertThat(recv().exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(recv("-e", "a", "-b", "b").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(recv("-b", "b", "-x", "--raw").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(dtnd.requests).isEmpty();
    }

    @Test
    void waitPollsUntilABundleArrives() throws Exception {
        recv("-r", "later");
        CompletableFuture<ToolRun.Result> waiting = CompletableFuture.supplyAsync(
                () -> recv("-e", "later", "-w", "--poll-interval", "50ms", "--timeout", "20s"));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        send("finally".getBytes(StandardCharsets.UTF_8), "-r", "dtn://node1/later");
        ToolRun.Result r = waiting.get();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("finally");

        ToolRun.Result timeout = recv("-e", "later", "-w", "--poll-interval", "50ms", "--timeout", "300ms");
        assertThat(timeout.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(timeout.stderr()).contains("nothing arrived for later within 300ms");
    }

    @Test
    void largePayloadsStreamWithProgressAndArriveIntact() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        Path file = Files.write(dir.resolve("big.bin"), big);
        recv("-r", "big");
        ToolRun.Result s = send(new byte[0], "-r", "dtn://node1/big", file.toString());
        assertThat(s.exitCode()).as(s.toString()).isZero();
        assertThat(s.stderr()).contains("sent ").contains("of 3.0 MiB").contains("(100%)");
        Path out = dir.resolve("big.out");
        ToolRun.Result r = recv("-e", "big", "-o", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("received ").contains("(100%)");
        assertThat(Files.readAllBytes(out)).isEqualTo(big);
    }
}
