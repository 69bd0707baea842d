package io.dtn7j.examples.extend;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.ForwardingBundleStore;
import io.dtn7j.core.store.StoreException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worked example of a bundle store: a decorator that passes everything on to another store (e.g. a
 * {@link io.dtn7j.core.store.MemoryBundleStore}) and counts the bundles put into and removed from it. It extends
 * {@link ForwardingBundleStore}, so it overrides only the two calls it counts; a store of its own (a database, a
 * remote service) implements {@link io.dtn7j.core.store.BundleStore} directly.
 */
public final class CountingBundleStore extends ForwardingBundleStore {

    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong removals = new AtomicLong();

    /**
     * A store counting the puts and removals it passes on to {@code delegate}.
     *
     * @param delegate the store that really holds the bundles
     */
    public CountingBundleStore(BundleStore delegate) {
        super(delegate);
    }

    /** {@return successful puts so far} */
    public long puts() {
        return puts.get();
    }

    /** {@return removals of a stored bundle so far} */
    public long removals() {
        return removals.get();
    }

    @Override
    public void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException {
        super.put(id, encodedBundle, metadata);
        puts.incrementAndGet();
    }

    @Override
    public boolean remove(BundleId id) throws StoreException {
        boolean removed = super.remove(id);
        if (removed) {
            removals.incrementAndGet();
        }
        return removed;
    }
}
