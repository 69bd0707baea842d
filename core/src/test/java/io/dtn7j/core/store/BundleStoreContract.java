package io.dtn7j.core.store;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link BundleStore} fulfils. A store implementation's test extends this class and
 * implements {@link #newStore(StoreLimits)}; durable stores also override {@link #supportsReopen()} and
 * {@link #reopen(BundleStore)}. Stores created by {@link #newStore} are closed after each test.
 *
 * <p>Shipped in core's test-jar ({@code dtn7j-core:test-jar}).
 */
public abstract class BundleStoreContract {

    /** A scratch directory for the store and for file-backed test sources. */
    @TempDir
    protected Path tempDir;

    private final List<BundleStore> opened = new ArrayList<>();

    /** A new, empty store with the given limits (may use {@link #tempDir}). */
    protected abstract BundleStore newStore(StoreLimits limits) throws Exception;

    /** Whether {@link #reopen(BundleStore)} is supported (durable stores). */
    protected boolean supportsReopen() {
        return false;
    }

    /** Closes {@code store} and opens the same (durable) store again. */
    protected BundleStore reopen(BundleStore store) throws Exception {
        throw new UnsupportedOperationException("not a durable store");
    }

    private BundleStore open(StoreLimits limits) throws Exception {
        BundleStore s = newStore(limits);
        opened.add(s);
        return s;
    }

    private BundleStore reopened(BundleStore s) throws Exception {
        BundleStore r = reopen(s);
        opened.add(r);
        return r;
    }

    @AfterEach
    void closeStores() {
        for (BundleStore s : opened) {
            s.close();
        }
    }

    /** A distinct bundle ID per {@code n}. */
    protected static BundleId id(int n) {
        return BundleId.of(EndpointId.parse("dtn://src" + (n % 7) + "/app"), new CreationTimestamp(800_000_000_000L + n, n % 3));
    }

    /** Metadata for a bundle of {@code size} bytes with a few fields set. */
    protected static BundleMetadata meta(BundleId id, long size) {
        return new BundleMetadata(id, EndpointId.parse("dtn://dst/inbox"), EndpointId.parse("dtn://src/"),
                0x20004, 3_600_000, id.creation().dtnTimeMs() + 3_600_000, 123_456, -1, size,
                EnumSet.of(Constraint.FORWARD_PENDING), Set.of(), -1, null);
    }

    /** Deterministic pseudo-random bytes. */
    protected static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void putThenReadBackBytesAndMetadata() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        byte[] data = bytes(300, 1);
        BundleId id = id(1);
        BundleMetadata md = meta(id, data.length);
        store.put(id, ByteSource.of(data), md);

        assertThat(store.contains(id)).isTrue();
        assertThat(store.encoded(id)).get().extracting(ByteSource::toByteArray).isEqualTo(data);
        assertThat(store.metadata(id)).contains(md);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(300);
    }

    @Test
    void unknownBundleIsAbsent() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        assertThat(store.contains(id(9))).isFalse();
        assertThat(store.encoded(id(9))).isEmpty();
        assertThat(store.metadata(id(9))).isEmpty();
        assertThat(store.remove(id(9))).isFalse();
        assertThatThrownBy(() -> store.updateMetadata(id(9), meta(id(9), 1))).isInstanceOf(StoreException.class);
    }

    @Test
    void fragmentIdsAreDistinctFromWholeBundleIds() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        BundleId whole = id(3);
        BundleId frag0 = new BundleId(whole.source(), whole.creation(), 0, 100);
        BundleId frag1 = new BundleId(whole.source(), whole.creation(), 100, 100);
        store.put(whole, ByteSource.of(bytes(10, 1)), meta(whole, 10));
        store.put(frag0, ByteSource.of(bytes(11, 2)), meta(frag0, 11));
        store.put(frag1, ByteSource.of(bytes(12, 3)), meta(frag1, 12));
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.encoded(frag1)).get().extracting(ByteSource::size).isEqualTo(12L);
        assertThat(store.metadata(frag0)).get().extracting(BundleMetadata::id).isEqualTo(frag0);
    }

    @Test
    void putOfStoredIdReplacesIt() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        BundleId id = id(2);
        store.put(id, ByteSource.of(bytes(100, 1)), meta(id, 100));
        byte[] second = bytes(50, 2);
        store.put(id, ByteSource.of(second), meta(id, 50));
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(50);
        assertThat(store.encoded(id)).get().extracting(ByteSource::toByteArray).isEqualTo(second);
    }

    @Test
    void updateMetadataReplacesOnlyTheState() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        BundleId id = id(4);
        byte[] data = bytes(64, 4);
        store.put(id, ByteSource.of(data), meta(id, 64));
        BundleMetadata changed = meta(id, 64).with(Constraint.LOCAL_ENDPOINT).without(Constraint.FORWARD_PENDING)
                .withForwardedTo("node2").withForwardedTo("7").withCopies(3);
        store.updateMetadata(id, changed);
        assertThat(store.metadata(id)).contains(changed);
        assertThat(store.encoded(id)).get().extracting(ByteSource::toByteArray).isEqualTo(data);
    }

    @Test
    void removeForgetsTheBundle() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        BundleId id = id(5);
        store.put(id, ByteSource.of(bytes(10, 5)), meta(id, 10));
        assertThat(store.remove(id)).isTrue();
        assertThat(store.remove(id)).isFalse();
        assertThat(store.contains(id)).isFalse();
        assertThat(store.count()).isZero();
        assertThat(store.bytes()).isZero();
    }

    @Test
    void forEachVisitsEveryStoredBundle() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        Set<BundleId> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            BundleId id = id(100 + i);
            ids.add(id);
            store.put(id, ByteSource.of(bytes(20, i)), meta(id, 20));
        }
        store.remove(id(100));
        ids.remove(id(100));
        Set<BundleId> seen = new HashSet<>();
        store.forEach(md -> seen.add(md.id()));
        assertThat(seen).isEqualTo(ids);
        assertThat(store.count()).isEqualTo(49);
        assertThat(store.bytes()).isEqualTo(49 * 20);
    }

    @Test
    void fullByCountRefusesWithStoreFullAndKeepsWhatItHas() throws Exception {
        BundleStore store = open(new StoreLimits(3, Long.MAX_VALUE));
        for (int i = 0; i < 3; i++) {
            store.put(id(i), ByteSource.of(bytes(10, i)), meta(id(i), 10));
        }
        assertThatThrownBy(() -> store.put(id(3), ByteSource.of(bytes(10, 3)), meta(id(3), 10)))
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining("depleted storage");
        assertThat(store.contains(id(3))).isFalse();
        assertThat(store.count()).isEqualTo(3);
        // replacing a stored bundle does not count twice
        store.put(id(1), ByteSource.of(bytes(5, 9)), meta(id(1), 5));
        assertThat(store.count()).isEqualTo(3);
        // room again after a removal
        store.remove(id(0));
        store.put(id(3), ByteSource.of(bytes(10, 3)), meta(id(3), 10));
        assertThat(store.contains(id(3))).isTrue();
    }

    @Test
    void fullByBytesRefusesWithStoreFull() throws Exception {
        BundleStore store = open(new StoreLimits(Long.MAX_VALUE, 1000));
        store.put(id(1), ByteSource.of(bytes(600, 1)), meta(id(1), 600));
        assertThatThrownBy(() -> store.put(id(2), ByteSource.of(bytes(401, 2)), meta(id(2), 401)))
                .isInstanceOf(StoreFullException.class);
        assertThat(store.bytes()).isEqualTo(600);
        store.put(id(3), ByteSource.of(bytes(400, 3)), meta(id(3), 400));
        assertThat(store.bytes()).isEqualTo(1000);
    }

    @Test
    void largeFileBackedBundleRoundTrips() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        byte[] data = bytes(3 * 1024 * 1024 + 17, 77);
        Path spool = tempDir.resolve("spooled.bundle");
        Files.write(spool, data);
        BundleId id = id(7);
        store.put(id, ByteSource.ofFile(spool), meta(id, data.length));
        Files.delete(spool); // a CLA may delete its spool file once put returned
        assertThat(store.bytes()).isEqualTo(data.length);
        ByteSource read = store.encoded(id).orElseThrow();
        assertThat(read.size()).isEqualTo(data.length);
        assertThat(read.toByteArray()).isEqualTo(data);
    }

    @Test
    void concurrentPutsAndRemovesKeepAccountsRight() throws Exception {
        BundleStore store = open(StoreLimits.UNLIMITED);
        int threads = 4;
        int perThread = 200;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = 10_000 + t * perThread;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        BundleId id = id(base + i);
                        store.put(id, ByteSource.of(bytes(10, i)), meta(id, 10));
                        if (i % 2 == 0) {
                            store.remove(id);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(store.count()).isEqualTo(threads * perThread / 2);
        assertThat(store.bytes()).isEqualTo(threads * perThread / 2 * 10L);
    }

    @Test
    void closeIsIdempotentAndLaterPutsFail() throws Exception {
        BundleStore store = newStore(StoreLimits.UNLIMITED);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.put(id(1), ByteSource.of(bytes(1, 1)), meta(id(1), 1)))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void durableStoreKeepsBundlesAndStateAcrossReopen() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsReopen(), "not a durable store");
        BundleStore store = open(StoreLimits.UNLIMITED);
        List<BundleId> kept = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            BundleId id = id(500 + i);
            store.put(id, ByteSource.of(bytes(30 + i, i)), meta(id, 30 + i));
            kept.add(id);
        }
        BundleMetadata changed = meta(kept.get(3), 33).withForwardedTo("node9").with(Constraint.CONTRAINDICATED);
        store.updateMetadata(kept.get(3), changed);
        store.remove(kept.remove(0));

        BundleStore again = reopened(store);
        assertThat(again.count()).isEqualTo(19);
        for (BundleId id : kept) {
            int i = kept.indexOf(id) + 1;
            assertThat(again.encoded(id)).get().extracting(ByteSource::toByteArray).isEqualTo(bytes(30 + i, i));
        }
        assertThat(again.metadata(kept.get(2))).contains(changed);
        Set<BundleId> seen = new HashSet<>();
        again.forEach(md -> seen.add(md.id()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(kept);
    }
}
