package io.dtn7j.core.agent;

import io.dtn7j.bundle.BundleId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounded memory of bundle IDs the agent has seen, for duplicate suppression: holds at most {@code capacity}
 * IDs and forgets the oldest first. Thread-safe.
 */
final class SeenBundles {
    private final int capacity;
    private final LinkedHashMap<BundleId, Boolean> ids;
    private volatile boolean evicted;

    SeenBundles(int capacity) {
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<BundleId, Boolean> eldest) {
                if (size() > SeenBundles.this.capacity) {
                    evicted = true;
                    return true;
                }
                return false;
            }
        };
    }

    /** Records {@code id}; returns false if it was already there. */
    synchronized boolean add(BundleId id) {
        return ids.put(id, Boolean.TRUE) == null;
    }

    synchronized boolean contains(BundleId id) {
        return ids.containsKey(id);
    }

    /** Whether an ID was ever forgotten (until then every ID the agent stored is in here). */
    boolean hasForgotten() {
        return evicted;
    }

    synchronized int size() {
        return ids.size();
    }
}
