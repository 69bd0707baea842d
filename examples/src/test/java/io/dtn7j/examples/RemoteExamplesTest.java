package io.dtn7j.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the remote examples as dtn7zero meant them, on two "machines": two JVMs on loopback that find each other
 * by IPND (unicast beacons between two ports) and exchange bundles over MTCP.
 */
class RemoteExamplesTest {

    private static final int PINGS = 4;

    private void pingEcho(Class<?> ping, Class<?> echo) throws Exception {
        int a = Ports.freeUdpPort();
        int b = Ports.freeUdpPort();
        try (JavaProcess echoNode = JavaProcess.start(echo, Ports.discoveryOnLoopback(b, a,
                "examples.count=" + PINGS, "examples.interval=300"))) {
            echoNode.awaitLine("node-b listening on MTCP port \\d+", Duration.ofSeconds(15));
            try (JavaProcess pingNode = JavaProcess.start(ping, Ports.discoveryOnLoopback(a, b,
                    "examples.count=" + PINGS, "examples.interval=500"))) {
                assertThat(pingNode.waitFor(Duration.ofSeconds(40))).as(pingNode.output()).isZero();
                for (int i = 1; i <= PINGS; i++) {
                    assertThat(pingNode.lines).as(pingNode.output()).contains("sending ping " + i, "received echo " + i);
                    assertThat(echoNode.lines).as(echoNode.output()).contains("received ping " + i + ", sending back echo");
                }
                assertThat(pingNode.lines).filteredOn(l -> l.startsWith("received echo")).hasSize(PINGS);
            }
        }
    }

    @Test
    void pingCallbackWithEchoCallback() throws Exception {
        pingEcho(RemotePingCallback.class, RemoteEchoCallback.class);
    }

    @Test
    void pingPollWithEchoPoll() throws Exception {
        pingEcho(RemotePingPoll.class, RemoteEchoPoll.class);
    }

    @Test
    void groupAAndB() throws Exception {
        int a = Ports.freeUdpPort();
        int b = Ports.freeUdpPort();
        List<String> quick = List.of("examples.count=6");
        try (JavaProcess nodeA = JavaProcess.start(RemoteGroup.class, Ports.discoveryOnLoopback(a, b, quick.get(0)), "a");
             JavaProcess nodeB = JavaProcess.start(RemoteGroup.class, Ports.discoveryOnLoopback(b, a, quick.get(0)), "b")) {
            nodeA.awaitLine("received group-message hi from node b, from dtn://node-b/", Duration.ofSeconds(20));
            nodeB.awaitLine("received group-message hi from node a, from dtn://node-a/", Duration.ofSeconds(20));
            // each node is itself a member of the group, so it also receives its own message
            nodeA.awaitLine("received group-message hi from node a, from dtn://node-a/", Duration.ofSeconds(5));
            nodeB.awaitLine("received group-message hi from node b, from dtn://node-b/", Duration.ofSeconds(5));
            assertThat(nodeA.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(nodeB.waitFor(Duration.ofSeconds(20))).isZero();
        }
    }

    @Test
    void groupWithoutANodeNameExplainsItsUsage() throws Exception {
        try (JavaProcess p = JavaProcess.start(RemoteGroup.class, List.of())) {
            assertThat(p.waitFor(Duration.ofSeconds(20))).isEqualTo(2);
            assertThat(p.output()).contains("usage: examples/run RemoteGroup <name>");
        }
    }
}
