package io.dtn7j.examples.extend;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.StoreException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Worked example of a bundle store: a decorator that delegates everything to another store (e.g. a
 * {@link io.dtn7j.core.store.MemoryBundleStore}) and counts the bundles put into and removed from it.
 */
public final class CountingBundleStore implements BundleStore {

    private final BundleStore delegate;
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong removals = new AtomicLong();

    /**
     * A store counting the puts and removals it passes on to {@code delegate}.
     *
     * @param delegate the store that really holds the bundles
     */
    public CountingBundleStore(BundleStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
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
        delegate.put(id, encodedBundle, metadata);
        puts.incrementAndGet();
    }

    @Override
    public Optional<ByteSource> encoded(BundleId id) {
        return delegate.encoded(id);
    }

    @Override
    public Optional<BundleMetadata> metadata(BundleId id) {
        return delegate.metadata(id);
    }

    @Override
    public void updateMetadata(BundleId id, BundleMetadata metadata) throws StoreException {
        delegate.updateMetadata(id, metadata);
    }

    @Override
    public boolean remove(BundleId id) throws StoreException {
        boolean removed = delegate.remove(id);
        if (removed) {
            removals.incrementAndGet();
        }
        return removed;
    }

    @Override
    public boolean contains(BundleId id) {
        return delegate.contains(id);
    }

    @Override
    public void forEach(Consumer<BundleMetadata> action) {
        delegate.forEach(action);
    }

    @Override
    public long count() {
        return delegate.count();
    }

    @Override
    public long bytes() {
        return delegate.bytes();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
