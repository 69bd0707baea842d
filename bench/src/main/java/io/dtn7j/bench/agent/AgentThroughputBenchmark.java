package io.dtn7j.bench.agent;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.store.sqlite.SqliteBundleStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bundles per second through one agent: receive (decode, validate, duplicate check) → store → route (epidemic,
 * one peer that is the destination: direct delivery) → forward (previous node, hop count, re-encode) to a CLA
 * that counts and drops; and heap per stored bundle (bundles kept, no peer).
 *
 * <pre>
 * java -Xmx2g -cp ... io.dtn7j.bench.agent.AgentThroughputBenchmark [--store memory|sqlite] [--bundles 800000]
 *      [--payload 64] [--receivers 2] [--keep 100000]
 * </pre>
 */
public final class AgentThroughputBenchmark {

    /** A CLA that counts what it is given. */
    static final class CountingCla implements ConvergenceLayer {
        final AtomicLong sent = new AtomicLong();

        @Override public String name() { return "count"; }
        @Override public void start(ClaContext context) { }
        @Override public int port() { return 0; }
        @Override public long maxBundleSize() { return Long.MAX_VALUE; }
        @Override public void send(ClaAddress to, OutgoingBundle bundle) { sent.incrementAndGet(); }
        @Override public void close() { }
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args options: {@code --store memory|sqlite}, {@code --bundles N}, {@code --payload BYTES}, {@code
     *     --receivers N}, {@code --keep N}
     * @throws Exception if the agent or its store fails
     */
    public static void main(String[] args) throws Exception {
        String storeKind = "memory";
        int bundles = 800_000;
        int payload = 64;
        int receivers = 2;
        int keep = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> storeKind = args[++i];
                case "--bundles" -> bundles = Integer.parseInt(args[++i]);
                case "--payload" -> payload = Integer.parseInt(args[++i]);
                case "--receivers" -> receivers = Integer.parseInt(args[++i]);
                case "--keep" -> keep = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --store memory|sqlite --bundles N --payload BYTES --receivers N --keep N");
            }
        }
        System.out.printf("agent benchmark: store=%s payload=%d B receivers=%d cpus=%d%n", storeKind, payload,
                receivers, Runtime.getRuntime().availableProcessors());
        throughput(storeKind, bundles / 4, payload, receivers, "warm-up");
        throughput(storeKind, bundles, payload, receivers, "measured");
        if (keep > 0) { // --keep 0 skips the heap measurement
            heapPerBundle(storeKind, keep, payload);
        }
    }

    static BundleStore store(String kind) throws Exception {
        return switch (kind) {
            case "memory" -> new MemoryBundleStore();
            case "sqlite" -> SqliteBundleStore.open(Files.createTempDirectory("dtn7j-bench-store-"));
            default -> throw new IllegalArgumentException("store must be memory or sqlite, got " + kind);
        };
    }

    static List<byte[]> bundles(int n, int payload, long salt) {
        List<byte[]> out = new ArrayList<>(n);
        byte[] data = new byte[payload];
        long now = System.currentTimeMillis() - 946_684_800_000L;
        for (int i = 0; i < n; i++) {
            out.add(BundleCodec.encode(Bundle.builder().source("dtn://sender/app").destination("dtn://sink/inbox")
                    .reportTo("dtn://sender/app").creation(now - salt, i).lifetimeMs(3_600_000).crcType(CrcType.CRC32C)
                    .hopLimit(32).payload(data).build()));
        }
        return out;
    }

    static void throughput(String storeKind, int n, int payload, int receivers, String label) throws Exception {
        CountingCla cla = new CountingCla();
        BundleProtocolAgent agent = BundleProtocolAgent.start(AgentConfig.builder("dtn://relay/")
                .store(store(storeKind)).janitorInterval(Duration.ZERO).convergenceLayer(cla).build());
        agent.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://sink/"), new ClaAddress("count", "sink", 1)));
        List<byte[]> input = bundles(n, payload, label.hashCode() & 0xffff);
        ClaPeer from = new ClaPeer(new ClaAddress("count", "sender", 1), EndpointId.parse("dtn://sender/"));
        AtomicLong rejected = new AtomicLong();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (ExecutorService pool = receivers > 8 ? Executors.newVirtualThreadPerTaskExecutor()
                : Executors.newFixedThreadPool(receivers)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int r = 0; r < receivers; r++) {
                int first = r;
                int step = receivers;
                fs.add(pool.submit(() -> {
                    for (int i = first; i < n; i += step) {
                        if (!(agent.receive(ByteSource.of(input.get(i)), from) instanceof ReceptionResult.Accepted)) {
                            rejected.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        long received = System.nanoTime();
        while (cla.sent.get() < n - rejected.get()) {
            Thread.sleep(1);
        }
        long done = System.nanoTime();
        double cpuPerBundleUs = (processCpuNanos() - cpu0) / 1e3 / n;
        System.out.printf("%-9s %,9d bundles: accepted %,.0f/s, received->forwarded end to end %,.0f/s "
                        + "(%.2f s), process CPU %.1f us/bundle (= %,.0f bundles/s per fully available core), "
                        + "rejected %d, left in store %d%n", label, n, n / ((received - t0) / 1e9),
                n / ((done - t0) / 1e9), (done - t0) / 1e9, cpuPerBundleUs, 1e6 / cpuPerBundleUs, rejected.get(),
                agent.store().count());
        agent.close();
    }

    static void heapPerBundle(String storeKind, int n, int payload) throws Exception {
        BundleProtocolAgent agent = BundleProtocolAgent.start(AgentConfig.builder("dtn://relay/")
                .store(store(storeKind)).janitorInterval(Duration.ZERO).build());
        List<byte[]> input = bundles(n, payload, 7);
        ClaPeer from = new ClaPeer(new ClaAddress("count", "sender", 1), EndpointId.parse("dtn://sender/"));
        long before = usedHeap();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int writers = storeKind.equals("memory") ? 2 : 64;
            for (int w = 0; w < writers; w++) {
                int first = w;
                pool.submit(() -> {
                    for (int i = first; i < n; i += writers) {
                        agent.receive(ByteSource.of(input.get(i)), from);
                    }
                });
            }
        }
        agent.awaitIdle(Duration.ofSeconds(60));
        long after = usedHeap(); // the input list was there for "before" too, so it cancels out
        if (input.size() != n) {
            throw new AssertionError("input list changed");
        }
        System.out.printf("heap per stored bundle (%s store, %d-byte payload, encoded %d B): %,.0f bytes "
                        + "(%,d bundles stored)%n", storeKind, payload, bundles(1, payload, 0).get(0).length,
                (after - before) / (double) agent.store().count(), agent.store().count());
        agent.close();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return mem.getUsed();
    }

    private AgentThroughputBenchmark() {
    }
}
