package io.dtn7j.bench.store;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.store.StoreLimits;
import io.dtn7j.store.sqlite.SqliteBundleStore;
import io.dtn7j.store.sqlite.SqliteStoreOptions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end benchmark of the durable store ({@link SqliteBundleStore}), three figures:
 * <ol>
 *   <li><b>durable puts/s</b> with N concurrent writers (virtual threads); a put counts only when it
 *       returned, i.e. after the group commit that made it durable was fsynced; also the latency
 *       percentiles and the average batch (puts per fsync);</li>
 *   <li><b>reopen time</b> of a store holding 100,000 bundles (open + the agent's {@code forEach} walk);</li>
 *   <li><b>heap per stored bundle</b> after 100,000 puts (used heap after GC, minus the empty store's).</li>
 * </ol>
 * Run: {@code java -cp bench/target/benchmarks.jar io.dtn7j.bench.store.DurableStoreBenchmark
 * [--dir D] [--seconds S] [--writers 1,16,64,256] [--size BYTES] [--bundles N]}. The store lives in a
 * temporary directory under {@code --dir} (default: java.io.tmpdir), which is removed afterwards.
 */
public final class DurableStoreBenchmark {

    private static final EndpointId SRC = EndpointId.parse("dtn://bench-source/app");
    private static final EndpointId DST = EndpointId.parse("dtn://bench-destination/inbox");

    private DurableStoreBenchmark() {
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args options: {@code --dir DIR}, {@code --seconds N}, {@code --size BYTES}, {@code --bundles N},
     *     {@code --writers N,N,...}
     * @throws Exception if the store fails
     */
    public static void main(String[] args) throws Exception {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        int seconds = 5;
        int size = 300;
        int bundles = 100_000;
        int[] writers = {1, 16, 64, 256};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> base = Path.of(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--bundles" -> bundles = Integer.parseInt(args[++i]);
                case "--writers" -> writers = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --dir, --seconds, --size, --bundles, --writers)");
            }
        }
        System.out.printf("# durable store benchmark: %d-byte bundles, %d s per run, JDK %s, %d CPUs%n",
                size, seconds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("| writers | durable puts/s | fsyncs (commits)/s | puts per commit | p50 ms | p99 ms | ms per commit |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (int w : writers) {
            Path dir = Files.createTempDirectory(base, "dtn7j-store-bench");
            try {
                putThroughput(dir, w, seconds, size);
            } finally {
                deleteTree(dir);
            }
        }
        Path dir = Files.createTempDirectory(base, "dtn7j-store-bench");
        try {
            reopenAndHeap(dir, bundles, size);
        } finally {
            deleteTree(dir);
        }
    }

    static BundleId id(long i) {
        return BundleId.of(SRC, new CreationTimestamp(800_000_000_000L + i, i % 11));
    }

    static BundleMetadata meta(BundleId id, long size) {
        return new BundleMetadata(id, DST, SRC, 0x4, 86_400_000, id.creation().dtnTimeMs() + 86_400_000,
                id.creation().dtnTimeMs(), -1, size, EnumSet.of(Constraint.FORWARD_PENDING), Set.of(), -1, null);
    }

    private static void putThroughput(Path dir, int writers, int seconds, int size) throws Exception {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 0x5a);
        ByteSource source = ByteSource.of(payload);
        try (SqliteBundleStore store = SqliteBundleStore.open(dir, StoreLimits.UNLIMITED, SqliteStoreOptions.DEFAULTS)) {
            AtomicLong next = new AtomicLong();
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            long[][] latencies = new long[writers][];
            int[] counts = new int[writers];
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < writers; t++) {
                    int tt = t;
                    latencies[t] = new long[1 << 16];
                    futures.add(pool.submit(() -> {
                        while (!stop.get()) {
                            BundleId id = id(next.getAndIncrement());
                            long t0 = System.nanoTime();
                            store.put(id, source, meta(id, size));
                            long t1 = System.nanoTime();
                            if (measuring.get()) {
                                done.incrementAndGet();
                                if (counts[tt] < latencies[tt].length) {
                                    latencies[tt][counts[tt]++] = t1 - t0;
                                }
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(Math.min(2000, seconds * 400L)); // warm-up
                SqliteBundleStore.Statistics s0 = store.statistics();
                measuring.set(true);
                long start = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                measuring.set(false);
                double elapsed = (System.nanoTime() - start) / 1e9;
                SqliteBundleStore.Statistics s1 = store.statistics();
                long commits = s1.commits() - s0.commits();
                double msPerCommit = commits == 0 ? 0 : (double) (s1.commitMillis() - s0.commitMillis()) / commits;
                long puts = done.get();
                stop.set(true);
                for (Future<?> f : futures) {
                    f.get();
                }
                long[] all = merge(latencies, counts);
                System.out.printf("| %d | %,.0f | %,.0f | %.1f | %.2f | %.2f | %.2f |%n", writers, puts / elapsed,
                        commits / elapsed, commits == 0 ? 0.0 : (double) puts / commits,
                        percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, msPerCommit);
            }
        }
    }

    private static void reopenAndHeap(Path dir, int bundles, int size) throws Exception {
        byte[] payload = new byte[size];
        ByteSource source = ByteSource.of(payload);
        long heapEmpty;
        long fillStart = System.nanoTime();
        try (SqliteBundleStore store = SqliteBundleStore.open(dir)) {
            heapEmpty = usedHeapAfterGc();
            AtomicInteger next = new AtomicInteger();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 256; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < bundles; i = next.getAndIncrement()) {
                            BundleId id = id(i);
                            store.put(id, source, meta(id, size));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            double fill = (System.nanoTime() - fillStart) / 1e9;
            long heapFull = usedHeapAfterGc();
            System.out.printf("%nfilled %,d bundles with 256 writers in %.1f s (%,.0f durable puts/s)%n",
                    store.count(), fill, store.count() / fill);
            System.out.printf("heap per stored bundle: %.1f bytes (used heap after GC: empty store %,d, full store %,d)%n",
                    (heapFull - heapEmpty) / (double) bundles, heapEmpty, heapFull);
        }
        var threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (SqliteBundleStore store = SqliteBundleStore.open(dir)) {
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            AtomicLong n = new AtomicLong();
            store.forEach(md -> n.incrementAndGet());
            long t2 = System.nanoTime();
            long c2 = threads.getCurrentThreadCpuTime();
            System.out.printf("reopen with %,d bundles: open %.3f s + forEach %.3f s = %.3f s wall "
                            + "(this thread's CPU: open %.3f s, forEach %.3f s)%n", n.get(),
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, (c1 - c0) / 1e9, (c2 - c1) / 1e9);
        }
    }

    private static long[] merge(long[][] latencies, int[] counts) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < counts.length; t++) {
            System.arraycopy(latencies[t], 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        return all;
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
