package io.dtn7j.core.store;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store that passes every call on to another one: the base of a decorator (counting, delaying, keeping its
 * delegate open past {@link #close()}), which overrides only the calls it changes.
 */
public abstract class ForwardingBundleStore implements BundleStore {

    private final BundleStore delegate;

    /**
     * A store passing its calls on to {@code delegate}.
     *
     * @param delegate the store that really holds the bundles
     */
    protected ForwardingBundleStore(BundleStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** {@return the store the calls are passed on to} */
    protected BundleStore delegate() {
        return delegate;
    }

    @Override
    public void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException {
        delegate.put(id, encodedBundle, metadata);
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
        return delegate.remove(id);
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
