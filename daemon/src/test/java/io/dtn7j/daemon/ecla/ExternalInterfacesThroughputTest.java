package io.dtn7j.daemon.ecla;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.core.agent.SendRequest;
import io.dtn7j.core.discovery.ClaAdvertisement;
import io.dtn7j.daemon.Daemon;
import io.dtn7j.daemon.api.Json;
import io.dtn7j.daemon.api.WsClient;
import io.dtn7j.daemon.config.DaemonConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for docs: bundles per second a daemon hands to an ECLA module over {@code /ws/ecla} on loopback, and the
 * round trip of an external routing decision over {@code /ws/erouting}. Slow: {@code -Ddtn7j.slow=true}.
 */
@EnabledIfSystemProperty(named = "dtn7j.slow", matches = "true")
class ExternalInterfacesThroughputTest {
    @TempDir
    Path dir;

    private Daemon daemon(String routing) throws Exception {
        DaemonConfig c = new DaemonConfig();
        c.nodeId = "dtn://node1/";
        c.db = "mem";
        c.workdir = dir.resolve(routing);
        c.clas = List.of();
        c.discoveryDisabled = true;
        c.webPort = 0;
        c.janitorMs = 60_000;
        c.crc = "none";
        c.ecla = true;
        c.routing = routing;
        if (routing.equals("external")) {
            c.routingOptions.put("external.timeout_ms", "5000");
        }
        return Daemon.start(c, new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void bundlesPerSecondToAnEclaModule() throws Exception {
        int n = 5_000;
        byte[] payload = new byte[1024];
        try (Daemon d = daemon("epidemic"); WsClient m = new WsClient("ws://127.0.0.1:" + d.apiPort() + "/ws/ecla")) {
            m.send("{\"type\":\"Register\",\"name\":\"bench\",\"enable_beacon\":false,\"port\":1}");
            assertThat(Json.MAPPER.readTree(m.nextText()).get("type").asText()).isEqualTo("Registered");
            byte[] block = ServiceBlocks.encode(List.of(new ClaAdvertisement("bench", 1)), List.of());
            m.send("{\"type\":\"Beacon\",\"eid\":[1,\"//node2/\"],\"addr\":\"x\",\"service_block\":\""
                    + Base64.getEncoder().encodeToString(block) + "\"}");
            while (d.agent().peers().isEmpty()) {
                Thread.sleep(5);
            }
            long cpu0 = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                d.agent().send(SendRequest.to("dtn://node2/sink").payload(payload).build());
            }
            int got = 0;
            while (got < n) {
                Object o = m.received.poll(30, TimeUnit.SECONDS);
                assertThat(o).as("ForwardData %d of %d", got, n).isNotNull();
                if (((String) o).contains("\"ForwardData\"")) {
                    got++;
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            long cpu = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() - cpu0;
            System.out.printf("ECLA: %d bundles (1 KiB payload) to a module in %.2f s = %.0f bundles/s, %.0f us CPU per bundle "
                    + "(whole JVM, client included), load %s%n", n, s, n / s, cpu / 1e3 / n, loadAverage());
        }
    }

    @Test
    void externalRoutingDecisionRoundTrip() throws Exception {
        int n = 500;
        try (Daemon d = daemon("external");
             WsClient eclaModule = new WsClient("ws://127.0.0.1:" + d.apiPort() + "/ws/ecla");
             WsClient router = new WsClient("ws://127.0.0.1:" + d.apiPort() + "/ws/erouting")) {
            eclaModule.send("{\"type\":\"Register\",\"name\":\"bench\",\"enable_beacon\":false,\"port\":1}");
            assertThat(Json.MAPPER.readTree(eclaModule.nextText()).get("type").asText()).isEqualTo("Registered");
            long[] rtt = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                d.agent().send(SendRequest.to("dtn://node2/sink").payload("x").build());
                JsonNode req;
                do {
                    req = Json.MAPPER.readTree(router.nextText());
                } while (!req.get("type").asText().equals("RequestSenderForBundle"));
                router.send("{\"type\":\"ResponseSenderForBundle\",\"bp\":" + req.get("bp") + ",\"clas\":[{\"remote\":"
                        + "{\"Generic\":\"x\"},\"port\":1,\"agent\":\"bench\",\"next_hop\":[1,\"//node2/\"]}],"
                        + "\"delete_afterwards\":true}");
                Object o;
                do {
                    o = eclaModule.next();
                } while (!((String) o).contains("\"ForwardData\""));
                rtt[i] = System.nanoTime() - t0;
            }
            Arrays.sort(rtt);
            System.out.printf("erouting: send -> RequestSenderForBundle -> answer -> ForwardData, %d bundles: median %.2f ms, "
                    + "p90 %.2f ms, load %s%n", n, rtt[n / 2] / 1e6, rtt[n * 9 / 10] / 1e6, loadAverage());
        }
    }

    private static String loadAverage() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
