package io.dtn7j.store.sqlite;

import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.BundleStoreContract;
import io.dtn7j.core.store.StoreLimits;

import java.util.IdentityHashMap;
import java.util.Map;

/** The durable store against the same contract suite as the in-memory store, including reopening. */
class SqliteBundleStoreContractTest extends BundleStoreContract {

    private final Map<BundleStore, StoreLimits> limitsOf = new IdentityHashMap<>();
    private int stores;

    @Override
    protected BundleStore newStore(StoreLimits limits) throws Exception {
        SqliteBundleStore store = SqliteBundleStore.open(tempDir.resolve("store-" + stores++), limits);
        limitsOf.put(store, limits);
        return store;
    }

    @Override
    protected boolean supportsReopen() {
        return true;
    }

    @Override
    protected BundleStore reopen(BundleStore store) throws Exception {
        SqliteBundleStore sqlite = (SqliteBundleStore) store;
        sqlite.close();
        SqliteBundleStore again = SqliteBundleStore.open(sqlite.directory(), limitsOf.get(store));
        limitsOf.put(again, limitsOf.get(store));
        return again;
    }
}
