package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dtn7rs-rest} CLA between two real daemons: node A's only link to node B is B's REST API. With the
 * default {@code fetch=own} A downloads only the bundles for A; with {@code fetch=all} it takes every bundle B
 * lists.
 */
class RestClaDaemonTest {
    @TempDir
    Path tmp;

    private static String idOf(String sendReply) {
        return sendReply.substring("Sent ADU in bundle ".length(), sendReply.indexOf(" with "));
    }

    private static byte[] awaitBundle(DaemonProcess d, String endpoint) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<byte[]> r = d.getBytes("/endpoint?" + endpoint);
            if (r.statusCode() == 200 && !new String(r.body(), StandardCharsets.UTF_8).equals("Nothing to receive")) {
                return r.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no bundle for " + endpoint + " within 20 s; log:\n" + d.log());
    }

    @Test
    void fetchesOnlyBundlesForItselfUnlessAskedForAll() throws Exception {
        try (DaemonProcess b = DaemonProcess.start(tmp.resolve("b"), "-n", "nodeb", "-w", "0", "-C", "mtcp:port=0",
                "-i", "0", "-j", "1s", "-D", "mem")) {
            String forA = idOf(b.post("/send?dst=dtn://nodea/inbox&lifetime=5m", "for a".getBytes(StandardCharsets.UTF_8)));
            String forC = idOf(b.post("/send?dst=dtn://nodec/inbox&lifetime=5m", "for c".getBytes(StandardCharsets.UTF_8)));
            String rest = "dtn7rs-rest:url=http://127.0.0.1:" + b.apiPort() + ":poll-interval-ms=200";
            // both pullers start at once (saves a JVM start-up): "own" (the default) and "all"
            CompletableFuture<DaemonProcess> startAll = CompletableFuture.supplyAsync(() -> {
                try {
                    return DaemonProcess.start(tmp.resolve("all"), "-n", "nodea", "-w", "0", "-C", rest + ":fetch=all",
                            "-i", "0", "-j", "1s", "-D", "mem");
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            try (DaemonProcess a = DaemonProcess.start(tmp.resolve("a"), "-n", "nodea", "-w", "0", "-C", rest,
                    "-i", "0", "-j", "1s", "-D", "mem", "-e", "inbox");
                 DaemonProcess all = startAll.get(90, TimeUnit.SECONDS)) {
                Bundle got = BundleCodec.decode(awaitBundle(a, "inbox"), DecodeOptions.DEFAULT);
                assertThat(got.payloadText()).isEqualTo("for a");
                assertThat(got.id().toString()).isEqualTo(forA);
                long deadline = System.currentTimeMillis() + 20_000;
                while (!all.get("/status/bundles").contains(forC) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(all.get("/status/bundles")).as(all.log()).contains(forC, forA);
                Thread.sleep(1_000); // several more polls of a
                assertThat(a.get("/status/bundles")).doesNotContain(forC);
                assertThat(a.get("/metrics")).containsPattern("(?m)^dtn7j_cla_received_bundles_total\\{cla=\"dtn7rs-rest\"} 1$");
            }
        }
    }
}
