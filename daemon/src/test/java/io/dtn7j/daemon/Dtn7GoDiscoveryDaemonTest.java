package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.discovery.Dtn7GoDiscovery;
import io.dtn7j.core.discovery.LoopbackMulticast;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dtn7j daemon --dtn7go-discovery --discovery-interface lo} (IPND off) and a {@link DtnNode} with only
 * dtn7-go's discovery on {@code lo} find each other through dtn7-go's announcements on 224.23.23.23:35039 and move a
 * bundle each way over MTCP. The exchange with a real dtn7-go node is core's {@code Dtn7GoInteropTest}. Skipped,
 * with the probe's reason, where loopback multicast does not work.
 */
class Dtn7GoDiscoveryDaemonTest {
    @TempDir
    Path tmp;

    @Test
    void daemonAndNodeFindEachOtherByDtn7GoDiscoveryAndExchangeBundles() throws Exception {
        Optional<String> why = LoopbackMulticast.unavailableReason(Dtn7GoDiscovery.DEFAULT_GROUP.getAddress());
        Assumptions.assumeTrue(why.isEmpty(), () -> "loopback multicast unavailable: " + why.orElse(""));
        String lo = LoopbackMulticast.loopbackInterface().orElseThrow().getName();
        String suffix = Long.toString(System.nanoTime(), 36);
        String daemonNode = "dgd" + suffix;
        try (DaemonProcess d = DaemonProcess.start(tmp, "-n", daemonNode, "-w", "0", "-C", "mtcp:port=0", "-i", "0",
                "--dtn7go-discovery", "--discovery-interface", lo, "-D", "mem", "-e", "inbox");
             DtnNode node = DtnNode.builder("dtn://dgn" + suffix + "/").mtcpPort(0).discovery(false)
                     .dtn7goDiscovery(lo).start()) {
            assertThat(d.log()).contains("discovery: dtn7-go's own on 224.23.23.23:35039 announcing [mtcp:"
                    + d.claPort("mtcp") + "] via [" + lo + "]");
            LocalEndpoint in = node.register("in");

            // the daemon learns the node: a bundle it sends reaches the node
            d.post("/send?dst=dtn://dgn" + suffix + "/in&lifetime=5m", "from the daemon".getBytes(StandardCharsets.UTF_8));
            assertThat(in.receive().get(30, TimeUnit.SECONDS).text()).isEqualTo("from the daemon");

            // the node learns the daemon at its MTCP port, and a bundle it sends reaches the daemon's endpoint
            long learnt = System.currentTimeMillis() + 10_000;
            while (node.discover().stream().noneMatch(p -> p.nodeId().equals("dtn://" + daemonNode + "/"))
                    && System.currentTimeMillis() < learnt) {
                Thread.sleep(50);
            }
            assertThat(node.discover()).filteredOn(p -> p.nodeId().equals("dtn://" + daemonNode + "/")).singleElement()
                    .satisfies(p -> assertThat(p.addresses()).contains("mtcp://127.0.0.1:" + d.claPort("mtcp")));
            node.register("out").send("from the node".getBytes(StandardCharsets.UTF_8),
                    "dtn://" + daemonNode + "/inbox", false);
            Bundle got = d.awaitBundle("inbox", java.time.Duration.ofSeconds(30));
            assertThat(got).as("bundle at the daemon's inbox; log:%n%s", d.log()).isNotNull();
            assertThat(got.payloadText()).isEqualTo("from the node");
            assertThat(got.source()).hasToString("dtn://dgn" + suffix + "/out");
        }
    }
}
