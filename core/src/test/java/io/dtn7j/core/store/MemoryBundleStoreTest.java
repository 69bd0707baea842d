package io.dtn7j.core.store;

/** The in-memory store against the store contract. */
class MemoryBundleStoreTest extends BundleStoreContract {
    @Override
    protected BundleStore newStore(StoreLimits limits) {
        return new MemoryBundleStore(limits);
    }
}
