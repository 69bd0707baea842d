package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** A discovery listener for tests: the latest addresses of every peer seen and not expired since, and who expired. */
final class PeerRecorder implements DiscoveryListener {
    /** Node ID → the addresses it was last seen at, while it has not expired. */
    final Map<String, List<DiscoveredAddress>> seen = new ConcurrentHashMap<>();
    /** Node IDs that expired. */
    final Set<String> expired = ConcurrentHashMap.newKeySet();

    @Override
    public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
        seen.put(nodeId.uri(), addresses);
    }

    @Override
    public void peerExpired(EndpointId nodeId) {
        seen.remove(nodeId.uri());
        expired.add(nodeId.uri());
    }

    /** The IPND configuration of one of the two services {@link #discoverEachOther} starts. */
    @FunctionalInterface
    interface ConfigFor {
        /**
         * {@return the configuration}
         *
         * @param node the service's node ID
         * @param port the UDP port both services share
         * @param mtcpPort the MTCP port the service advertises
         */
        IpndConfig of(String node, int port, int mtcpPort);
    }

    /**
     * Starts IPND services {@code dtn://<name>-a/} (advertising MTCP port 16170) and {@code dtn://<name>-b/} (16171)
     * on one free UDP port, waits up to 5 s until each has seen someone, and checks that each saw only the other and
     * that both sent beacons without errors.
     *
     * @return what a saw (of b) and what b saw (of a), by node ID
     */
    static List<Map<String, List<DiscoveredAddress>>> discoverEachOther(String name, ConfigFor config)
            throws Exception {
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        String a = "dtn://" + name + "-a/";
        String b = "dtn://" + name + "-b/";
        PeerRecorder recA = new PeerRecorder();
        PeerRecorder recB = new PeerRecorder();
        try (IpndService sa = IpndService.start(config.of(a, port, 16170), recA);
             IpndService sb = IpndService.start(config.of(b, port, 16171), recB)) {
            await(() -> !recA.seen.isEmpty() && !recB.seen.isEmpty(), Duration.ofSeconds(5));
            org.assertj.core.api.Assertions.assertThat(recA.seen).containsOnlyKeys(b);
            org.assertj.core.api.Assertions.assertThat(recB.seen).containsOnlyKeys(a);
            org.assertj.core.api.Assertions.assertThat(sa.statistics().beaconsSent()).isPositive();
            org.assertj.core.api.Assertions.assertThat(sa.statistics().sendErrors()).isZero();
            org.assertj.core.api.Assertions.assertThat(sb.statistics().sendErrors()).isZero();
            return List.of(Map.copyOf(recA.seen), Map.copyOf(recB.seen));
        }
    }

    /**
     * Waits until {@code condition} holds or {@code limit} passed, polling every 20 ms.
     *
     * @return whether it holds
     */
    static boolean await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
