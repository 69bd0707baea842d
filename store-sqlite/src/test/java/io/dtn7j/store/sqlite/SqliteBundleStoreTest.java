package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.store.StoreException;
import io.dtn7j.core.store.StoreFullException;
import io.dtn7j.core.store.StoreLimits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the durable store beyond the shared contract. */
class SqliteBundleStoreTest {

    @TempDir
    Path dir;

    private static final SqliteStoreOptions SMALL_INLINE = SqliteStoreOptions.DEFAULTS.withInlineThreshold(100);

    @Test
    void bundlesAboveTheInlineThresholdLiveInFilesAndReplacingOrRemovingDeletesThem() throws Exception {
        try (SqliteBundleStore store = SqliteBundleStore.open(dir, StoreLimits.UNLIMITED, SMALL_INLINE)) {
            BundleId id = CrashWorkload.id(1);
            store.put(id, ByteSource.of(new byte[100]), CrashWorkload.metadata(1));
            assertThat(payloadFiles()).isZero();
            store.put(id, ByteSource.of(new byte[101]), CrashWorkload.metadata(1));
            assertThat(payloadFiles()).isEqualTo(1);
            ByteSource read = store.encoded(id).orElseThrow();
            assertThat(read.hasArray()).as("large bundles are file-backed").isFalse();
            byte[] other = CrashWorkload.bytes(7);
            store.put(id, ByteSource.of(other), CrashWorkload.metadata(1));
            assertThat(payloadFiles()).as("the replaced file is gone").isEqualTo(1);
            assertThat(store.encoded(id).orElseThrow().toByteArray()).isEqualTo(other);
            assertThat(store.remove(id)).isTrue();
            assertThat(payloadFiles()).isZero();
            assertThat(store.bytes()).isZero();
        }
    }

    @Test
    void aPayloadFileLostBehindTheStoresBackIsDroppedFromTheIndexAtOpen() throws Exception {
        try (SqliteBundleStore store = SqliteBundleStore.open(dir, StoreLimits.UNLIMITED, SMALL_INLINE)) {
            store.put(CrashWorkload.id(1), ByteSource.of(new byte[500]), CrashWorkload.metadata(1));
            store.put(CrashWorkload.id(2), ByteSource.of(new byte[600]), CrashWorkload.metadata(2));
            store.put(CrashWorkload.id(3), ByteSource.of(new byte[50]), CrashWorkload.metadata(3));
        }
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            Path victim = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            Files.delete(victim);
        }
        try (SqliteBundleStore store = SqliteBundleStore.open(dir, StoreLimits.UNLIMITED, SMALL_INLINE)) {
            assertThat(store.recoveryReport().brokenRowsRemoved()).isEqualTo(1);
            assertThat(store.count()).isEqualTo(2);
            assertThat(store.contains(CrashWorkload.id(3))).isTrue();
            assertThat(store.contains(CrashWorkload.id(1)) ^ store.contains(CrashWorkload.id(2))).isTrue();
            assertThat(store.bytes()).isIn(550L, 650L);
        }
    }

    @Test
    void aDirectoryInUseIsRefusedWithAClearMessage() throws Exception {
        try (SqliteBundleStore store = SqliteBundleStore.open(dir)) {
            assertThatThrownBy(() -> SqliteBundleStore.open(dir))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("already open");
        }
        SqliteBundleStore.open(dir).close();
    }

    @Test
    void anIndexFromANewerVersionIsRefused() throws Exception {
        SqliteBundleStore.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("index.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version=99");
        }
        assertThatThrownBy(() -> SqliteBundleStore.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99");
        // and the refusal released the directory
        assertThatThrownBy(() -> SqliteBundleStore.open(dir)).hasMessageContaining("schema version 99");
    }

    @Test
    void concurrentPutsIntoAnAlmostFullStoreStopExactlyAtTheLimit() throws Exception {
        int limit = 150;
        try (SqliteBundleStore store = SqliteBundleStore.open(dir, new StoreLimits(limit, Long.MAX_VALUE));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger refused = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int base = t * 10;
                futures.add(pool.submit(() -> {
                    for (int i = base; i < base + 10; i++) {
                        try {
                            store.put(CrashWorkload.id(i), ByteSource.of(new byte[10]), CrashWorkload.metadata(i));
                        } catch (StoreFullException e) {
                            assertThat(e).hasMessageContaining("depleted storage");
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            assertThat(store.count()).isEqualTo(limit);
            assertThat(refused.get()).isEqualTo(320 - limit);
            AtomicInteger seen = new AtomicInteger();
            store.forEach(md -> seen.incrementAndGet());
            assertThat(seen.get()).isEqualTo(limit);
        }
    }

    @Test
    void forEachMayRemoveWhatItVisits() throws Exception {
        try (SqliteBundleStore store = SqliteBundleStore.open(dir)) {
            for (int i = 0; i < 600; i++) {
                store.put(CrashWorkload.id(i), ByteSource.of(new byte[8]), CrashWorkload.metadata(i));
            }
            AtomicInteger visited = new AtomicInteger();
            store.forEach(md -> {
                visited.incrementAndGet();
                try {
                    if (CrashWorkload.indexOf(md.id()) % 2 == 0) {
                        assertThat(store.remove(md.id())).isTrue();
                    }
                } catch (StoreException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(visited.get()).isEqualTo(600);
            assertThat(store.count()).isEqualTo(300);
        }
    }

    @Test
    void closingWhileWritersRunNeitherHangsNorLosesAnAcknowledgedBundle() throws Exception {
        List<Integer> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        SqliteBundleStore store = SqliteBundleStore.open(dir);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                pool.submit(() -> {
                    while (true) {
                        int i = next.getAndIncrement();
                        try {
                            store.put(CrashWorkload.id(i), ByteSource.of(new byte[20]), CrashWorkload.metadata(i));
                            acked.add(i);
                        } catch (StoreException e) {
                            assertThat(e).hasMessageContaining("closed");
                            failures.incrementAndGet();
                            return;
                        }
                    }
                });
            }
            Thread.sleep(300);
            store.close();
        }
        assertThat(failures.get()).isEqualTo(16);
        assertThat(store.contains(CrashWorkload.id(0))).as("a closed store answers reads with 'absent'").isFalse();
        try (SqliteBundleStore again = SqliteBundleStore.open(dir)) {
            assertThat(acked).isNotEmpty();
            for (int i : acked) {
                assertThat(again.contains(CrashWorkload.id(i))).as("acknowledged %d", i).isTrue();
            }
        }
    }

    @Test
    void keysAreUnambiguousWhereTheDtn7rsStringIsNot() {
        BundleId a = BundleId.of(EndpointId.parse("dtn://node/x-1"), new CreationTimestamp(2, 3));
        BundleId b = new BundleId(EndpointId.parse("dtn://node/x"), new CreationTimestamp(1, 2), 3, 10);
        assertThat(a.toString()).isEqualTo(b.toString());
        assertThat(SqliteBundleStore.key(a)).isNotEqualTo(SqliteBundleStore.key(b));
        BundleId c = new BundleId(EndpointId.parse("dtn://node/x"), new CreationTimestamp(1, 2), 3, 11);
        assertThat(SqliteBundleStore.key(b)).isNotEqualTo(SqliteBundleStore.key(c));
    }

    private long payloadFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
