package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.store.StoreLimits;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale targets of issue 3: reopening a store of 100,000 bundles takes under 5 s (including the agent's
 * {@code forEach} walk), recovery removes what a crash left behind, and the store keeps no per-bundle state
 * in heap (at most 1 KiB per stored small bundle).
 */
class StoreScaleTest {

    private static final EndpointId SRC = EndpointId.parse("dtn://scale-test/app");
    private static final EndpointId DST = EndpointId.parse("dtn://far-away/inbox");

    @TempDir
    Path dir;

    static BundleId id(int i) {
        return BundleId.of(SRC, new CreationTimestamp(800_000_000_000L + i, i % 7));
    }

    static BundleMetadata meta(int i, long size) {
        BundleId id = id(i);
        return new BundleMetadata(id, DST, SRC, 0x4, 86_400_000, id.creation().dtnTimeMs() + 86_400_000,
                id.creation().dtnTimeMs(), -1, size, EnumSet.of(Constraint.FORWARD_PENDING), Set.of("node-a"), -1, null);
    }

    static byte[] bytes(int i, int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    @Test
    void reopeningHundredThousandBundlesIsFastAndCleansUpWhatACrashLeft() throws Exception {
        int n = 100_000;
        int large = 50;
        // Fill the index directly in a few big transactions (putting 100,000 bundles one by one would make
        // this test slow); rows are exactly what put() writes.
        long expectedBytes = 0;
        try (StoreDirectory sd = StoreDirectory.open(dir);
             IndexDatabase db = IndexDatabase.open(sd.indexDatabase(), 1)) {
            IndexDatabase.Writer w = db.writer();
            for (int i = 0; i < n; i++) {
                int size = 200 + i % 300;
                String file = null;
                byte[] inline = null;
                if (i % (n / large) == 0) {
                    size = 70_000 + i;
                    file = sd.writeDurably(new ByteArrayInputStream(bytes(i, size)), size);
                } else {
                    inline = bytes(i, size);
                }
                BundleMetadata md = meta(i, size);
                w.insert(new IndexRow(SqliteBundleStore.key(id(i)), DST.uri(), md.expiryDtnMs(), size, md.toBytes(),
                        inline, file));
                expectedBytes += size;
                if (i % 20_000 == 19_999) {
                    w.commit();
                }
            }
            w.commit();
            // What a crash leaves: a half-written temporary file and a payload file whose row never committed.
            Files.write(dir.resolve("tmp").resolve("0123.tmp"), new byte[1000]);
            sd.writeDurably(new ByteArrayInputStream(new byte[100_000]), 100_000);
        }

        var threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        try (SqliteBundleStore store = SqliteBundleStore.open(dir)) {
            long opened = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            AtomicLong visited = new AtomicLong();
            AtomicLong sizes = new AtomicLong();
            store.forEach(md -> {
                visited.incrementAndGet();
                sizes.addAndGet(md.size());
            });
            long walked = System.nanoTime();
            double openS = (opened - start) / 1e9;
            double walkS = (walked - opened) / 1e9;
            double walkCpuS = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.err.printf("reopen of %d bundles: open %.3f s, forEach %.3f s (%.3f s CPU)%n", n, openS, walkS,
                    walkCpuS);

            assertThat(store.count()).isEqualTo(n);
            assertThat(store.bytes()).isEqualTo(expectedBytes);
            assertThat(visited.get()).isEqualTo(n);
            assertThat(sizes.get()).isEqualTo(expectedBytes);
            assertThat(store.recoveryReport().orphanFilesRemoved()).isEqualTo(2);
            // The open is timed by the wall clock. The forEach walk (mostly the agent's metadata decoding, run
            // cold here as after a real restart) by this thread's CPU time, so that a machine crowded by
            // parallel builds does not fail the test; DurableStoreBenchmark reports the wall-clock figure.
            assertThat(openS).as("open (recovery) of 100,000 bundles, seconds").isLessThan(5.0);
            assertThat(openS + walkCpuS).as("open + forEach of 100,000 bundles, seconds").isLessThan(5.0);
            try (var files = Files.walk(dir.resolve("data"))) {
                assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(large);
            }
            for (int i : new int[] {0, 1, 12_345, n / large * 7, n - 1}) {
                int size = i % (n / large) == 0 ? 70_000 + i : 200 + i % 300;
                assertThat(store.encoded(id(i)).orElseThrow().toByteArray()).isEqualTo(bytes(i, size));
                assertThat(store.metadata(id(i))).contains(meta(i, size));
            }
        }
    }

    @Test
    void heapPerStoredSmallBundleStaysUnderOneKibibyte() throws Exception {
        int n = 10_000;
        try (SqliteBundleStore store = SqliteBundleStore.open(dir, StoreLimits.UNLIMITED)) {
            // warm up the code paths and the SQLite page cache before the baseline
            putAll(store, 0, 500);
            long before = usedHeapAfterGc();
            putAll(store, 500, n);
            long after = usedHeapAfterGc();
            long perBundle = (after - before) / (n - 500);
            System.err.printf("heap per stored small bundle: %d bytes (%d bundles, %d commits)%n",
                    perBundle, store.count(), store.statistics().commits());
            assertThat(store.count()).isEqualTo(n);
            assertThat(perBundle).as("retained heap per stored bundle, bytes").isLessThan(1024);
        }
    }

    private static void putAll(SqliteBundleStore store, int from, int to) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                        int size = 200 + i % 300;
                        store.put(id(i), ByteSource.of(bytes(i, size)), meta(i, size));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
