package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Feeds one {@link DiscoveryListener} from several discovery services (IPND and dtn7-go's own discovery) so that
 * they do not undo each other: a node counts as seen while any service sees it, its addresses are the union of
 * what the services report (in the order the services were added, each service's order kept), and it expires only
 * when the last service that saw it lets it expire. Without this, a node both services know would be removed when
 * one of them stops hearing it, and its address list would flip with every beacon.
 *
 * <p>Calls to the downstream listener are made one at a time, in the order the merge decided them.
 */
public final class DiscoveryMerge {

    private final DiscoveryListener downstream;
    private final ReentrantLock lock = new ReentrantLock();
    /** node → (service → its latest addresses); services in the order they were added */
    private final Map<EndpointId, Map<String, List<DiscoveredAddress>>> seen = new HashMap<>();
    private final List<String> services = new ArrayList<>();

    /**
     * Creates a merge in front of {@code downstream}.
     *
     * @param downstream the listener told about the merged view
     */
    public DiscoveryMerge(DiscoveryListener downstream) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
    }

    /**
     * The listener to give one discovery service.
     *
     * @param name a name for the service, unique within this merge (e.g. {@code "ipnd"})
     * @return the service's listener
     */
    public DiscoveryListener service(String name) {
        lock.lock();
        try {
            if (services.contains(name)) {
                throw new IllegalArgumentException("discovery service '" + name + "' was already added");
            }
            services.add(name);
        } finally {
            lock.unlock();
        }
        return new DiscoveryListener() {
            @Override
            public void peerSeen(EndpointId nodeId, List<DiscoveredAddress> addresses) {
                seen(name, nodeId, addresses);
            }

            @Override
            public void peerExpired(EndpointId nodeId) {
                expired(name, nodeId);
            }
        };
    }

    private void seen(String service, EndpointId nodeId, List<DiscoveredAddress> addresses) {
        lock.lock();
        try {
            Map<String, List<DiscoveredAddress>> bySource = seen.computeIfAbsent(nodeId, k -> new LinkedHashMap<>());
            bySource.put(service, List.copyOf(addresses));
            downstream.peerSeen(nodeId, union(bySource));
        } finally {
            lock.unlock();
        }
    }

    private void expired(String service, EndpointId nodeId) {
        lock.lock();
        try {
            Map<String, List<DiscoveredAddress>> bySource = seen.get(nodeId);
            if (bySource == null || bySource.remove(service) == null) {
                return; // this service had not reported it (or already let it expire)
            }
            if (bySource.isEmpty()) {
                seen.remove(nodeId);
                downstream.peerExpired(nodeId);
            } else {
                downstream.peerSeen(nodeId, union(bySource)); // still seen by another service: fewer addresses
            }
        } finally {
            lock.unlock();
        }
    }

    private List<DiscoveredAddress> union(Map<String, List<DiscoveredAddress>> bySource) {
        LinkedHashSet<DiscoveredAddress> all = new LinkedHashSet<>();
        for (String s : services) {
            List<DiscoveredAddress> list = bySource.get(s);
            if (list != null) {
                all.addAll(list);
            }
        }
        return List.copyOf(all);
    }

    /**
     * The nodes some service currently sees (for tests and status pages).
     *
     * @return a snapshot
     */
    public List<EndpointId> seenNodes() {
        lock.lock();
        try {
            return List.copyOf(seen.keySet());
        } finally {
            lock.unlock();
        }
    }
}
