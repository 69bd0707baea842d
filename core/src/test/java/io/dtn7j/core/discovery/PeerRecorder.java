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
