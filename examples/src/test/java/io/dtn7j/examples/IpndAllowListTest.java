package io.dtn7j.examples;

import org.junit.jupiter.api.Test;

import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Two nodes whose IPND is allowed only on the loopback interface find each other; one not allowed there does not. */
class IpndAllowListTest {

    static String loopbackName() throws Exception {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isLoopback() && i.isUp(); } catch (Exception e) { return false; } })
                .map(NetworkInterface::getName).findFirst().orElseThrow();
    }

    static Optional<String> otherInterface() throws Exception {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return !i.isLoopback() && i.isUp(); } catch (Exception e) { return false; } })
                .map(NetworkInterface::getName).findFirst();
    }

    @Test
    void nodesAllowedOnLoopbackDiscoverEachOther() throws Exception {
        int a = Ports.freeUdpPort();
        int b = Ports.freeUdpPort();
        String lo = loopbackName();
        try (JavaProcess n1 = JavaProcess.start(IpndAllowList.class,
                Ports.discoveryOnLoopback(a, b, "examples.count=40", "examples.interval=100"), "node1", lo);
             JavaProcess n2 = JavaProcess.start(IpndAllowList.class,
                     Ports.discoveryOnLoopback(b, a, "examples.count=40", "examples.interval=100"), "node2", lo)) {
            n1.awaitLine("discovering on " + lo, Duration.ofSeconds(15));
            n1.awaitLine("discovered dtn://node2/ at mtcp://127\\.0\\.0\\.1:\\d+", Duration.ofSeconds(15));
            n2.awaitLine("discovered dtn://node1/ at mtcp://127\\.0\\.0\\.1:\\d+", Duration.ofSeconds(15));
        }
    }

    @Test
    void aNodeNotAllowedOnLoopbackIgnoresBeaconsFromThere() throws Exception {
        Optional<String> other = otherInterface();
        assumeTrue(other.isPresent(), "this host has no non-loopback interface that is up");
        int a = Ports.freeUdpPort();
        int b = Ports.freeUdpPort();
        try (JavaProcess open = JavaProcess.start(IpndAllowList.class,
                Ports.discoveryOnLoopback(a, b, "examples.count=25", "examples.interval=100"), "node1");
             JavaProcess closed = JavaProcess.start(IpndAllowList.class,
                     Ports.discoveryOnLoopback(b, a, "examples.count=25", "examples.interval=100"), "node2",
                     other.get())) {
            assertThat(closed.waitFor(Duration.ofSeconds(30))).as(closed.output()).isZero();
            assertThat(closed.lines).as(closed.output()).noneMatch(l -> l.startsWith("discovered"));
            assertThat(closed.lines).contains("discovering on " + other.get());
        }
    }
}
