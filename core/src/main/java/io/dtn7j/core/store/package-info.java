/**
 * The bundle store SPI ({@link io.dtn7j.core.store.BundleStore}, {@link io.dtn7j.core.store.BundleMetadata}) and
 * the in-memory store. The durable SQLite store lives in module {@code store-sqlite}.
 */
package io.dtn7j.core.store;
