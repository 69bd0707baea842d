package io.dtn7j.examples.extend;

import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.BundleStoreContract;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.core.store.StoreLimits;

/** The example store passes the same contract as the built-in stores. */
class CountingBundleStoreContractTest extends BundleStoreContract {

    @Override
    protected BundleStore newStore(StoreLimits limits) {
        return new CountingBundleStore(new MemoryBundleStore(limits));
    }
}
