package io.dtn7j.core.store;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A bundle store in the heap, bounded by bundle count and bytes ({@link StoreLimits}); contents are lost when
 * the process ends (dtn7-rs's {@code mem} store). File-backed sources handed to {@link #put} are copied into the
 * heap, because their file may be removed once the put returns. Thread-safe.
 */
public final class MemoryBundleStore implements BundleStore {

    private record Entry(ByteSource encoded, BundleMetadata metadata) {
    }

    private final StoreLimits limits;
    private final Map<BundleId, Entry> entries = new ConcurrentHashMap<>();
    private final Object accounting = new Object();
    private long bytes; // guarded by accounting
    private volatile boolean closed;

    /** A store with the given limits. */
    public MemoryBundleStore(StoreLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A store without practical limits. */
    public MemoryBundleStore() {
        this(StoreLimits.UNLIMITED);
    }

    /** The limits of this store. */
    public StoreLimits limits() {
        return limits;
    }

    @Override
    public void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(encodedBundle, "encodedBundle");
        Objects.requireNonNull(metadata, "metadata");
        checkOpen();
        ByteSource held = encodedBundle.hasArray() ? encodedBundle : ByteSource.of(encodedBundle.toByteArray());
        long size = held.size();
        synchronized (accounting) {
            Entry old = entries.get(id);
            long count = entries.size() - (old == null ? 0 : 1);
            long current = bytes - (old == null ? 0 : old.encoded.size());
            if (!limits.admits(count, current, size)) {
                throw new StoreFullException(limits.refusal(count, current, size));
            }
            entries.put(id, new Entry(held, metadata));
            bytes = current + size;
        }
    }

    @Override
    public Optional<ByteSource> encoded(BundleId id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(e.encoded);
    }

    @Override
    public Optional<BundleMetadata> metadata(BundleId id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(e.metadata);
    }

    @Override
    public void updateMetadata(BundleId id, BundleMetadata metadata) throws StoreException {
        Objects.requireNonNull(metadata, "metadata");
        checkOpen();
        Entry updated = entries.computeIfPresent(id, (k, e) -> new Entry(e.encoded, metadata));
        if (updated == null) {
            throw new StoreException("cannot update metadata of bundle " + id + ": it is not stored");
        }
    }

    @Override
    public boolean remove(BundleId id) throws StoreException {
        checkOpen();
        synchronized (accounting) {
            Entry e = entries.remove(id);
            if (e == null) {
                return false;
            }
            bytes -= e.encoded.size();
            return true;
        }
    }

    @Override
    public boolean contains(BundleId id) {
        return entries.containsKey(id);
    }

    @Override
    public void forEach(Consumer<BundleMetadata> action) {
        for (Entry e : entries.values()) {
            action.accept(e.metadata);
        }
    }

    @Override
    public long count() {
        return entries.size();
    }

    @Override
    public long bytes() {
        synchronized (accounting) {
            return bytes;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException("the in-memory bundle store is closed");
        }
    }

    @Override
    public String toString() {
        return "MemoryBundleStore[" + count() + " bundles, " + bytes() + " bytes, " + limits + "]";
    }
}
