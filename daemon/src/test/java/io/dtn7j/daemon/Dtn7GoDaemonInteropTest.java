package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.core.interop.Dtn7GoNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dtn7j daemon --dtn7go-discovery} and a real dtn7-go node ({@code dtnd} v0.10.1) find each other by dtn7-go's
 * discovery on {@code lo} alone and exchange bundles over MTCP, both directions: the daemon's {@code /send} to
 * dtnd's REST agent, dtnd's {@code /rest/build} to the daemon's {@code /endpoint}.
 *
 * <p>Runs only with {@code -Ddtn7j.interop=true}, {@code DTN7GO_HOME} set, and in a network namespace whose only
 * interface is loopback (see core's {@code Dtn7GoInteropTest} and docs/INTEROP.md).
 */
@EnabledIfSystemProperty(named = "dtn7j.interop", matches = "true")
class Dtn7GoDaemonInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    @Test
    void daemonAndDtndExchangeBundlesAfterFindingEachOtherByDtn7GoDiscovery() throws Exception {
        Optional<String> why = Dtn7GoNode.unavailableReason();
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        try (Dtn7GoNode go = Dtn7GoNode.start(tmp.resolve("go"), "dtn://gonode/");
             DaemonProcess d = DaemonProcess.start(tmp.resolve("daemon"), "-n", "jdaemon", "-w", "0",
                     "-C", "mtcp:port=0", "-i", "0", "--dtn7go-discovery", "--discovery-interface", "lo",
                     "-D", "mem", "-e", "inbox")) {
            String incoming = go.register("dtn://gonode/incoming");
            d.post("/send?dst=dtn://gonode/incoming&lifetime=5m", "from dtn7j daemon".getBytes(StandardCharsets.UTF_8));

            List<Dtn7GoNode.Received> got = go.fetch(incoming, 1, TIMEOUT);
            assertThat(got).as("bundles at dtnd; daemon log:%n%s", d.log()).hasSize(1);
            assertThat(got.get(0).source()).isEqualTo("dtn://jdaemon/");
            assertThat(new String(got.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("from dtn7j daemon");

            int mtcp = d.claPort("mtcp");
            go.awaitLog(l -> l.contains("CLA added to senders") && l.contains(":" + mtcp), TIMEOUT,
                    "adopting the daemon announced by its dtn7-go discovery");
            String sender = go.register("dtn://gonode/sender");
            go.build(sender, "dtn://gonode/sender", "dtn://jdaemon/inbox", "from dtn7-go");
            Bundle b = d.awaitBundle("inbox", TIMEOUT);
            assertThat(b).as("bundle at the daemon's inbox; log:%n%s", d.log()).isNotNull();
            assertThat(b.source()).hasToString("dtn://gonode/sender");
            assertThat(b.payloadText()).isEqualTo("from dtn7-go");
        }
    }
}
