package io.dtn7j.bench.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.bench.RawTcpBaseline;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceptionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Convergence-layer throughput and round-trip time on loopback, each next to a raw TCP baseline measured in
 * the same run: a raw socket copy of the same bytes (one write per bundle) and a raw ping-pong of the same
 * size. CLA to CLA (the receiving context accepts without storing), so the figures are the CLA's own cost.
 *
 * <pre>
 * java -cp ... io.dtn7j.bench.cla.ClaBenchmark [--clas tcp,mtcp] [--senders 64] [--rtt-rounds 2000]
 *     [--sizes 1024,65536,1048576,104857600]
 * </pre>
 */
public final class ClaBenchmark {

    private ClaBenchmark() {
    }

    /** Receives and counts; can echo every bundle back through another CLA. */
    static final class CountingContext implements ClaContext {
        final AtomicLong bundles = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        final Path spool;
        volatile ConvergenceLayer echoVia;
        volatile ClaAddress echoTo;
        final ExecutorService echoPool = Executors.newVirtualThreadPerTaskExecutor();

        CountingContext(Path spool) {
            this.spool = spool;
        }

        @Override
        public EndpointId nodeId() {
            return EndpointId.parse("dtn://bench/");
        }

        @Override
        public ReceptionResult bundleReceived(ByteSource encoded, ClaPeer from) {
            bundles.incrementAndGet();
            bytes.addAndGet(encoded.size());
            ConvergenceLayer via = echoVia;
            if (via != null) {
                byte[] copy = encoded.toByteArray();
                echoPool.submit(() -> {
                    via.send(echoTo, new OutgoingBundle(id(0), ByteSource.of(copy)));
                    return null;
                });
            } else {
                arrivals.add(System.nanoTime());
            }
            return new ReceptionResult.Accepted();
        }

        @Override
        public boolean hasBundle(BundleId id) {
            return false;
        }

        @Override
        public void linkUp(ClaPeer peer) {
        }

        @Override
        public void linkDown(ClaPeer peer) {
        }

        @Override
        public Path spoolDirectory() {
            return spool;
        }
    }

    static BundleId id(long seq) {
        return BundleId.of(EndpointId.parse("dtn://src/app"), new CreationTimestamp(800_000_000_000L, seq));
    }

    /** An encoded bundle (primary + payload block, no CRC) whose whole encoding is about {@code size} bytes. */
    static byte[] bundle(int size, long seq) {
        int payload = Math.max(1, size - 64);
        byte[] p = new byte[payload];
        new Random(seq).nextBytes(p);
        CborWriter w = new CborWriter(payload + 80);
        w.writeIndefiniteArray();
        w.writeArrayHeader(8).writeUnsigned(7).writeUnsigned(0).writeUnsigned(0);
        w.writeArrayHeader(2).writeUnsigned(1).writeTextString("//dst/in");
        w.writeArrayHeader(2).writeUnsigned(1).writeTextString("//src/app");
        w.writeArrayHeader(2).writeUnsigned(1).writeTextString("//src/app");
        w.writeArrayHeader(2).writeUnsigned(800_000_000_000L).writeUnsigned(seq);
        w.writeUnsigned(3_600_000);
        w.writeArrayHeader(5).writeUnsigned(1).writeUnsigned(1).writeUnsigned(0).writeUnsigned(0);
        w.writeByteString(p);
        w.writeBreak();
        return w.toByteArray();
    }

    static ClaOptions options() {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).maxBundleSize(1L << 30)
                .spoolThreshold(256L << 20).build();
    }

    static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    /** CPU nanoseconds per bundle of the last {@link #claCopy} run. */
    static double lastCpuPerBundle;

    /** Bytes per second through the CLA: {@code count} bundles of {@code size} from {@code senders} threads. */
    static double claCopy(String cla, int size, int count, int senders, Path tmp) throws Exception {
        CountingContext rx = new CountingContext(tmp);
        byte[][] bundles = new byte[Math.max(1, Math.min(Math.min(count, 64), (64 << 20) / size))][];
        for (int i = 0; i < bundles.length; i++) {
            bundles[i] = bundle(size, i);
        }
        try (ConvergenceLayer a = ConvergenceLayers.create(cla, options());
             ConvergenceLayer b = ConvergenceLayers.create(cla, options())) {
            a.start(new CountingContext(tmp));
            b.start(rx);
            ClaAddress to = new ClaAddress(cla, "127.0.0.1", b.port());
            a.send(to, new OutgoingBundle(id(0), ByteSource.of(bundles[0]))); // connect
            long before = rx.bytes.get();
            Semaphore window = new Semaphore(senders);
            long c0 = RawTcpBaseline.cpuNanos();
            long t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> fs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    byte[] e = bundles[i % bundles.length];
                    window.acquire();
                    fs.add(pool.submit(() -> {
                        try {
                            a.send(to, new OutgoingBundle(id(1), ByteSource.of(e)));
                        } finally {
                            window.release();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            }
            long expected = 0;
            for (int i = 0; i < count; i++) {
                expected += bundles[i % bundles.length].length;
            }
            while (rx.bytes.get() - before < expected) { // mtcp: "sent" means written, not yet received
                Thread.sleep(1);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            lastCpuPerBundle = (double) (RawTcpBaseline.cpuNanos() - c0) / count;
            return expected / secs;
        }
    }

    /** Median RTT (µs) of a small bundle echoed by the other side. */
    static double claRtt(String cla, int size, int rounds, Path tmp) throws Exception {
        CountingContext ca = new CountingContext(tmp);
        CountingContext cb = new CountingContext(tmp);
        try (ConvergenceLayer a = ConvergenceLayers.create(cla, options());
             ConvergenceLayer b = ConvergenceLayers.create(cla, options())) {
            a.start(ca);
            b.start(cb);
            cb.echoVia = b;
            cb.echoTo = new ClaAddress(cla, "127.0.0.1", a.port());
            ClaAddress to = new ClaAddress(cla, "127.0.0.1", b.port());
            byte[] e = bundle(size, 1);
            long[] rtt = new long[rounds];
            for (int i = -200; i < rounds; i++) { // 200 warm-up rounds
                long t0 = System.nanoTime();
                Thread.ofVirtual().start(() -> {
                    try {
                        a.send(to, new OutgoingBundle(id(1), ByteSource.of(e)));
                    } catch (Exception ex) {
                        throw new RuntimeException(ex);
                    }
                });
                Long arrived = ca.arrivals.poll(10, TimeUnit.SECONDS);
                if (arrived == null) {
                    throw new IllegalStateException(cla + ": echo did not come back");
                }
                if (i >= 0) {
                    rtt[i] = arrived - t0;
                }
            }
            return median(rtt) / 1e3;
        }
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args options: {@code --clas tcp,mtcp,...}, {@code --senders N}, {@code --rtt-rounds N},
     *     {@code --sizes BYTES,...} (a subset of 1024, 65536, 1048576, 104857600)
     * @throws Exception if a convergence layer or a temporary file fails
     */
    public static void main(String[] args) throws Exception {
        List<String> clas = List.of("tcp", "mtcp");
        int senders = 64;
        int rttRounds = 2000;
        List<String> sizes = List.of("1024", "65536", "1048576", "104857600");
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--clas" -> clas = List.of(args[i + 1].split(","));
                case "--senders" -> senders = Integer.parseInt(args[i + 1]);
                case "--rtt-rounds" -> rttRounds = Integer.parseInt(args[i + 1]);
                case "--sizes" -> sizes = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path tmp = Files.createTempDirectory("cla-bench");
        int[][] all = {{1 << 10, 50_000}, {64 << 10, 4_000}, {1 << 20, 400}, {100 << 20, 4}};
        List<int[]> cases = new ArrayList<>();
        for (int[] c : all) {
            if (sizes.contains(Integer.toString(c[0]))) {
                cases.add(c);
            }
        }
        System.out.println("| CLA | bundle | bundles | CLA MiB/s | bundles/s | raw TCP MiB/s | ratio | CPU µs/bundle |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String cla : clas) {
            for (int[] c : cases) {
                int size = c[0];
                int count = c[1];
                claCopy(cla, size, Math.max(1, count / 10), senders, tmp); // warm-up
                double raw = RawTcpBaseline.rawCopy(size, count).bytesPerSecond();
                double got = claCopy(cla, size, count, senders, tmp);
                System.out.printf("| %s | %s | %d | %.0f | %.0f | %.0f | %.2f | %.1f |%n", cla, human(size), count,
                        got / (1 << 20), got / size, raw / (1 << 20), got / raw, lastCpuPerBundle / 1e3);
            }
        }
        System.out.println();
        System.out.println("| CLA | bundle | median RTT µs | raw TCP ping-pong µs | ratio |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String cla : clas) {
            int size = 200;
            double raw = RawTcpBaseline.rawPingPong(bundle(size, 1).length, rttRounds);
            double rtt = claRtt(cla, size, rttRounds, tmp);
            System.out.printf("| %s | %d B | %.0f | %.0f | %.1f |%n", cla, bundle(size, 1).length, rtt, raw, rtt / raw);
        }
    }

    static String human(int size) {
        return size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    }
}
