package io.dtn7j.core.store;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the agent keeps bundles and their processing state ({@link BundleMetadata}) while they await
 * dispatch, forwarding, delivery or reassembly.
 *
 * <p>Contract (checked by the abstract {@code BundleStoreContract} test in core's test-jar):
 * <ul>
 *   <li>all methods are thread-safe;</li>
 *   <li>{@link #put} stores bytes and metadata together; a durable store has both on stable storage before it
 *       returns. Putting an ID that is already stored replaces its bytes and metadata;</li>
 *   <li>{@link #put} throws {@link StoreFullException} and changes nothing when a count or byte limit would be
 *       exceeded (the agent then deletes the bundle with reason "depleted storage");</li>
 *   <li>{@link #encoded} of a large bundle is file-backed where the store is, never the whole bundle in heap;</li>
 *   <li>{@link #bytes()} is the sum of the sizes of the stored encoded bundles.</li>
 * </ul>
 */
public interface BundleStore extends AutoCloseable {

    /**
     * Stores a bundle (durably, before returning, in a durable store).
     *
     *
     * @param id the bundle's ID
     * @param encodedBundle the encoded bundle
     * @param metadata its processing state
     * @throws StoreFullException when the count or byte limit would be exceeded (nothing is stored)
     * @throws StoreException     on I/O failure or when the store is closed
     */
    void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException;

    /**
     * The encoded bundle, or empty when it is not stored.
     *
     * @param id the bundle's ID
     * @return the encoding, or empty
     */
    Optional<ByteSource> encoded(BundleId id);

    /**
     * The processing state of a stored bundle, or empty when it is not stored.
     *
     * @param id the bundle's ID
     * @return the state, or empty
     */
    Optional<BundleMetadata> metadata(BundleId id);

    /**
     * Replaces the processing state of a stored bundle (durably in a durable store).
     *
     *
     * @param id the bundle's ID
     * @param metadata the new processing state
     * @throws StoreException when the bundle is not stored, on I/O failure, or when the store is closed
     */
    void updateMetadata(BundleId id, BundleMetadata metadata) throws StoreException;

    /**
     * Removes a bundle and its state.
     *
     *
     * @param id the bundle's ID
     * @return whether it was stored
     * @throws StoreException on I/O failure or when the store is closed
     */
    boolean remove(BundleId id) throws StoreException;

    /**
     * Whether a bundle is stored.
     *
     * @param id the bundle's ID
     * @return true if it is stored
     */
    boolean contains(BundleId id);

    /**
     * Calls {@code action} with the metadata of every stored bundle (e.g. to recover after a restart).
     *
     * @param action called once per stored bundle
     */
    void forEach(Consumer<BundleMetadata> action);

    /** {@return number of stored bundles} */
    long count();

    /** {@return total size of the stored encoded bundles, in bytes} */
    long bytes();

    /** Releases resources; idempotent. Later operations fail with {@link StoreException} or return empty. */
    @Override
    void close();
}
