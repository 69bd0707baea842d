package io.dtn7j.core.store;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A bundle store in the heap, bounded by bundle count and bytes ({@link StoreLimits}); contents are lost when
 * the process ends (dtn7-rs's {@code mem} store). Sources held in the heap are kept without copying; file-backed
 * sources handed to {@link #put} are copied into the heap (in chunks, see {@link ByteSource#toHeap()}), because
 * their file may be removed once the put returns. Thread-safe.
 */
public final class MemoryBundleStore implements BundleStore {

    private record Entry(ByteSource encoded, BundleMetadata metadata) {
    }

    private final StoreLimits limits;
    private final Map<BundleId, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean closed;

    /**
     * A store with the given limits.
     *
     * @param limits the count and byte limits to enforce
     */
    public MemoryBundleStore(StoreLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A store without practical limits. */
    public MemoryBundleStore() {
        this(StoreLimits.UNLIMITED);
    }

    /** {@return the limits of this store} */
    public StoreLimits limits() {
        return limits;
    }

    @Override
    public void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(encodedBundle, "encodedBundle");
        Objects.requireNonNull(metadata, "metadata");
        checkOpen();
        // bytes in the heap (one array, or parts such as a CLA's receive chunks) are kept as they are; anything with a
        // file in it is copied into the heap in chunks, as the file may go once the put returns
        ByteSource held = encodedBundle.toHeap();
        long size = held.size();
        String[] refusal = {null};
        // compute() swaps the entry atomically per key; the totals are reserved with atomics, so puts and removes of
        // different bundles never wait for each other
        entries.compute(id, (k, old) -> {
            long oldSize = old == null ? 0 : old.encoded.size();
            int newCount = old == null ? 1 : 0;
            if (!reserve(newCount, size - oldSize)) {
                refusal[0] = limits.refusal(count.get() - (old == null ? 0 : 1), bytes.get() - oldSize, size);
                return old;
            }
            return new Entry(held, metadata);
        });
        if (refusal[0] != null) {
            throw new StoreFullException(refusal[0]);
        }
    }

    private boolean reserve(int addCount, long addBytes) {
        if (addCount > 0 && count.addAndGet(addCount) > limits.maxBundles()) {
            count.addAndGet(-addCount);
            return false;
        }
        if (addBytes > 0 && bytes.addAndGet(addBytes) > limits.maxBytes()) {
            bytes.addAndGet(-addBytes);
            count.addAndGet(-addCount);
            return false;
        }
        if (addBytes < 0) {
            bytes.addAndGet(addBytes);
        }
        return true;
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
        Entry e = entries.remove(id);
        if (e == null) {
            return false;
        }
        bytes.addAndGet(-e.encoded.size());
        count.decrementAndGet();
        return true;
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
        return count.get();
    }

    @Override
    public long bytes() {
        return bytes.get();
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
