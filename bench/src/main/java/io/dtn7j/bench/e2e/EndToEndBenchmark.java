package io.dtn7j.bench.e2e;

import io.dtn7j.bench.RawTcpBaseline;
import io.dtn7j.bench.RawTcpBaseline.Rate;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.Delivery;
import io.dtn7j.core.agent.SendRequest;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.peer.Peer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End to end between two {@link BundleProtocolAgent}s in one JVM (in-memory stores) over a convergence layer on
 * loopback: (1) round trip of a small bundle to an echo registration on the other agent, next to a raw TCP
 * ping-pong of the bundle's encoded size; (2) throughput of bundles of several sizes sent by agent A and delivered
 * to a registration on agent B, next to a raw TCP copy of the same bytes measured in the same run.
 *
 * <pre>
 * java -Xmx3g -cp ... io.dtn7j.bench.e2e.EndToEndBenchmark [--clas mtcp,tcp,stcp,udp] [--rtt-rounds 2000]
 *     [--sizes 1024,65536,1048576] [--mib 64] [--small 100000] [--repeat 1]
 *     [--warm-up true|false] [--profile DIR] [--crc none|16|32] [--interleave SLICES]
 * </pre>
 *
 * <p>{@code --interleave N} measures each round's agents and raw copy in N alternating slices over one pair of
 * agents and one raw connection (fewer when a slice would hold under four windows of bundles), instead of a whole
 * agent run followed by a whole raw copy: see {@link #interleaved}.
 *
 * <p>{@code --repeat N} measures every throughput row N times in the same JVM, each round an agent run followed by
 * a raw copy of the same bytes, with fresh agents each time: on a shared VM the raw copy alone varies by a factor
 * of two from second to second, so one pair of runs says little. With N &ge; 3 a summary row gives the median of
 * rounds 2 to N (round 1 carries most of the JIT compilation), with the range of their ratios. "JIT ms" is the
 * compilers' elapsed time, which stretches when they compete with the run for the two cores; CPU spent compiling
 * shows in a profile ({@code --profile}).
 *
 * <p>Before the throughput rows of each convergence layer, an untimed warm-up ({@code --warm-up true}, the default)
 * sends 60,000 small, 4,000 medium and 400 1 MiB bundles through it, so that the per-bundle code is compiled before
 * large bundles are measured, and repeats that until the JIT compilers are quiet (less than 2 % of a pass's wall time,
 * five passes at most); each row also has its own untimed warm-up of a quarter of its bundles.
 */
public final class EndToEndBenchmark {

    private EndToEndBenchmark() {
    }


    /** Two agents a and b, each with one CLA of the given kind, each a static peer of the other. */
    record Pair(BundleProtocolAgent a, BundleProtocolAgent b) implements AutoCloseable {
        static Pair start(String cla, CrcType crc) throws Exception {
            ConvergenceLayer ca = ConvergenceLayers.create(cla, options());
            ConvergenceLayer cb = ConvergenceLayers.create(cla, options());
            BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://a/").convergenceLayer(ca)
                    .statusReports(false).maxBundleSize(1L << 30).defaultLifetime(Duration.ofHours(1)).crcType(crc).build());
            BundleProtocolAgent b = BundleProtocolAgent.start(AgentConfig.builder("dtn://b/").convergenceLayer(cb)
                    .statusReports(false).maxBundleSize(1L << 30).defaultLifetime(Duration.ofHours(1)).crcType(crc).build());
            a.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://b/"), new ClaAddress(cla, "127.0.0.1", cb.port())));
            b.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://a/"), new ClaAddress(cla, "127.0.0.1", ca.port())));
            return new Pair(a, b);
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    static ClaOptions options() {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).maxBundleSize(1L << 30)
                .spoolThreshold(256L << 20).build();
    }

    /** Median and p99 round trip (µs) of a {@code payload}-byte bundle from a to b's echo endpoint and back. */
    static double[] rtt(String cla, CrcType crc, int payload, int rounds) throws Exception {
        try (Pair p = Pair.start(cla, crc)) {
            // echo on b: an active registration that sends each payload back to the source
            p.b().register("dtn://b/echo", d -> {
                try {
                    p.b().send(SendRequest.to(d.source()).source(EndpointId.parse("dtn://b/echo"))
                            .payload(d.payload()).build());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            LinkedBlockingQueue<Long> replies = new LinkedBlockingQueue<>();
            p.a().register("dtn://a/ping", d -> replies.add(System.nanoTime()));
            byte[] data = new byte[payload];
            int warm = Math.max(50, rounds / 10);
            long[] rtt = new long[rounds];
            for (int i = -warm; i < rounds; i++) {
                long t0 = System.nanoTime();
                p.a().send(SendRequest.to("dtn://b/echo").source(EndpointId.parse("dtn://a/ping")).payload(data).build());
                Long t1 = replies.poll(10, TimeUnit.SECONDS);
                if (t1 == null) {
                    throw new IllegalStateException(cla + ": no echo reply within 10 s (round " + i + ")");
                }
                if (i >= 0) {
                    rtt[i] = t1 - t0;
                }
            }
            Arrays.sort(rtt);
            return new double[] {rtt[rounds / 2] / 1e3, rtt[(int) (rounds * 0.99)] / 1e3};
        }
    }

    /**
     * Optional CPU profile of a measured window with async-profiler (its jar on the class path, found by reflection,
     * so the bench does not depend on it): {@code --profile DIR} writes one collapsed-stack file per row's last
     * round into DIR.
     */
    record Profiler(Object instance, java.lang.reflect.Method execute, String dir) {
        static Profiler load(String dir) throws ReflectiveOperationException {
            Class<?> c = Class.forName("one.profiler.AsyncProfiler");
            return new Profiler(c.getMethod("getInstance").invoke(null), c.getMethod("execute", String.class), dir);
        }

        void start() throws ReflectiveOperationException {
            execute.invoke(instance, "start,event=cpu,interval=1ms");
        }

        void stop(String name) throws ReflectiveOperationException {
            execute.invoke(instance, "stop,collapsed,file=" + dir + "/" + name + ".collapsed");
        }
    }

    /** Throughput of {@code count} bundles of {@code payload} bytes from a to a registration on b. */
    static Rate throughput(String cla, CrcType crc, ByteSource data, int count, int window) throws Exception {
        return throughput(cla, crc, data, count, window, null, null);
    }

    /** As above, profiling the measured window into {@code profileName} when {@code profiler} is not null. */
    static Rate throughput(String cla, CrcType crc, ByteSource data, int count, int window, Profiler profiler,
                           String profileName)
            throws Exception {
        long payload = data.size();
        try (Pair p = Pair.start(cla, crc)) {
            Sink sink = new Sink(cla, p, payload, window);
            // warm-up, not timed: connection set-up and JIT compilation of this size's path (a quarter of the run)
            sink.deliver(data, Math.max(1, count / 4));
            if (profiler != null) {
                profiler.start();
            }
            long j0 = RawTcpBaseline.jitMillis();
            long c0 = RawTcpBaseline.cpuNanos();
            long t0 = System.nanoTime();
            sink.deliver(data, count);
            double secs = (System.nanoTime() - t0) / 1e9;
            long cpu = RawTcpBaseline.cpuNanos() - c0;
            if (profiler != null) {
                profiler.stop(profileName);
            }
            return new Rate((double) payload * count / secs, count / secs, (double) cpu / ((double) payload * count),
                    RawTcpBaseline.jitMillis() - j0);
        }
    }

    /**
     * A registration {@code dtn://b/sink} on b that checks each payload's size, and the sending side of a's bundles to
     * it with at most {@code window} in flight. The sink hands the window back a quarter at a time and signals only
     * the last bundle of each {@link #deliver} call, so the sending thread wakes once per quarter window, not once
     * per bundle: the harness's own park/unpark per bundle would otherwise be charged to the agents' CPU.
     */
    static final class Sink {
        private final String cla;
        private final BundleProtocolAgent a;
        private final AtomicLong got = new AtomicLong();
        private final AtomicLong lastOfCall = new AtomicLong(-1);
        private final Semaphore callDone = new Semaphore(0);
        private final Semaphore inFlight;
        private final int batch;
        private final AtomicInteger sinceRelease = new AtomicInteger();

        Sink(String cla, Pair p, long payload, int window) {
            this.cla = cla;
            this.a = p.a();
            this.inFlight = new Semaphore(window);
            this.batch = Math.max(1, window / 4);
            p.b().register("dtn://b/sink", d -> {
                if (d.payload().size() != payload) {
                    throw new IllegalStateException("payload size " + d.payload().size() + " != " + payload);
                }
                long n = got.incrementAndGet();
                if (sinceRelease.incrementAndGet() == batch) {
                    sinceRelease.addAndGet(-batch);
                    inFlight.release(batch);
                }
                if (n == lastOfCall.get()) {
                    callDone.release();
                }
            });
        }

        /** Sends {@code count} bundles of {@code data} from a and returns once the sink has them all. */
        void deliver(ByteSource data, int count) throws Exception {
            long before = got.get();
            lastOfCall.set(before + count);
            sendAll(a, data, count, batch, inFlight);
            if (!callDone.tryAcquire(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException(cla + ": only " + (got.get() - before) + " of " + count
                        + " bundles delivered in 600 s");
            }
        }
    }

    /** The agents' rate and the raw copy's, measured in alternating slices of one run. */
    record Paired(Rate agent, Rate raw) {
    }

    /**
     * Throughput of {@code count} bundles of {@code payload} bytes from a to a registration on b, and of a raw copy
     * of the same bytes, measured in {@code slices} alternating slices (agents, raw, agents, raw, ...) over one pair
     * of agents and one raw connection, each side's time and CPU summed over its slices: on a shared VM the raw copy's
     * speed drifts by a factor of two within seconds, so a ratio of two runs measured one after the other is as much
     * the drift as the agents; alternating slices of a fraction of a second puts both sides in the same states. Each
     * slice holds at least four windows of bundles, so that filling and draining the pipeline at its ends weighs
     * little, and an untimed pause of {@link #QUIET_MS} follows each slice, so that work the agents finish after
     * their last delivery (a collection, a store removal) is not charged to the raw copy.
     */
    static Paired interleaved(String cla, CrcType crc, ByteSource data, int count, int window, int slices)
            throws Exception {
        long payload = data.size();
        int n = Math.max(1, Math.min(slices, count / (4 * window)));
        int per = count / n;
        try (Pair p = Pair.start(cla, crc); RawTcpBaseline.Pipe raw = RawTcpBaseline.Pipe.open((int) payload)) {
            Sink sink = new Sink(cla, p, payload, window);
            int warm = Math.max(1, count / 4); // not timed, as in throughput(): connections and this size's path
            sink.deliver(data, warm);
            raw.copy(warm);
            long agentNanos = 0;
            long agentCpu = 0;
            long rawNanos = 0;
            long rawCpu = 0;
            long jit = 0;
            for (int i = 0; i < n; i++) {
                long j0 = RawTcpBaseline.jitMillis();
                long c0 = RawTcpBaseline.cpuNanos();
                long t0 = System.nanoTime();
                sink.deliver(data, per);
                long t1 = System.nanoTime();
                long c1 = RawTcpBaseline.cpuNanos();
                jit += RawTcpBaseline.jitMillis() - j0;
                agentNanos += t1 - t0;
                agentCpu += c1 - c0;
                Thread.sleep(QUIET_MS); // what the agents still do after the last delivery does not land on the raw copy
                long c2 = RawTcpBaseline.cpuNanos();
                long t2 = System.nanoTime();
                raw.copy(per);
                rawNanos += System.nanoTime() - t2;
                rawCpu += RawTcpBaseline.cpuNanos() - c2;
                Thread.sleep(QUIET_MS);
            }
            double bytes = (double) payload * per * n;
            double bundles = (double) per * n;
            return new Paired(new Rate(bytes * 1e9 / agentNanos, bundles * 1e9 / agentNanos, agentCpu / bytes, jit),
                    new Rate(bytes * 1e9 / rawNanos, bundles * 1e9 / rawNanos, rawCpu / bytes, 0));
        }
    }

    /**
     * Untimed pause between an agents' slice and a raw one, and after a raw one, in {@link #interleaved}: 50 ms, or
     * the system property {@code dtn7j.bench.quietMs}.
     */
    static final long QUIET_MS = Long.getLong("dtn7j.bench.quietMs", 50);

    /** Sends {@code count} bundles to b's sink, taking {@code batch} window permits before each {@code batch} sends. */
    static void sendAll(BundleProtocolAgent a, ByteSource data, int count, int batch, Semaphore inFlight)
            throws Exception {
        for (int i = 0; i < count; i += batch) {
            int n = Math.min(batch, count - i);
            inFlight.acquire(n);
            for (int k = 0; k < n; k++) {
                a.send(SendRequest.to("dtn://b/sink").payload(data).build());
            }
        }
    }

    /** Median of the values after the first (the first round is the JIT warm-up). */
    static double median(double[] values) {
        double[] v = Arrays.copyOfRange(values, 1, values.length);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values, 1, values.length).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values, 1, values.length).max().orElse(Double.NaN);
    }

    static String human(int size) {
        return size >= (1 << 20) && size % (1 << 20) == 0 ? (size >> 20) + " MiB"
                : size >= 1024 && size % 1024 == 0 ? (size >> 10) + " KiB" : size + " B";
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args options: {@code --clas mtcp,tcp,...}, {@code --rtt-rounds N}, {@code --sizes BYTES,BYTES,...},
     *     {@code --mib N}, {@code --small N}, {@code --repeat N},
     *     {@code --warm-up true|false}, {@code --profile DIR} (async-profiler's jar on the class path),
     *     {@code --crc none|16|32}, {@code --interleave SLICES}
     * @throws Exception if an agent or a convergence layer fails
     */
    public static void main(String[] args) throws Exception {
        List<String> clas = List.of("mtcp", "tcp", "stcp", "udp");
        int rounds = 2000;
        List<Integer> sizes = List.of(1024, 65536, 1 << 20, 100 << 20);
        long mib = 64;
        int small = 100_000;
        int repeat = 1;
        boolean warmUp = true;
        CrcType crc = CrcType.CRC32C; // --crc none|16|32: the CRC type of the bundles the agents create
        int interleave = 0; // --interleave N: agents and raw copy in N alternating slices of each round
        Profiler profiler = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--clas" -> clas = List.of(args[i + 1].split(","));
                case "--rtt-rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
                case "--mib" -> mib = Long.parseLong(args[i + 1]);
                case "--small" -> small = Integer.parseInt(args[i + 1]);
                case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
                case "--warm-up" -> warmUp = Boolean.parseBoolean(args[i + 1]);
                case "--profile" -> profiler = Profiler.load(args[i + 1]);
                case "--interleave" -> interleave = Integer.parseInt(args[i + 1]);
                case "--crc" -> crc = switch (args[i + 1]) {
                    case "none" -> CrcType.NONE;
                    case "16" -> CrcType.CRC16;
                    default -> CrcType.CRC32C;
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("nproc %d, JDK %s, load %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
        System.out.println("| CLA | RTT 64 B payload: median µs | p99 µs | raw TCP ping-pong median µs | ratio |");
        for (String cla : clas) {
            double[] r = rtt(cla, crc, 64, rounds);
            double raw = RawTcpBaseline.rawPingPong(160, rounds);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.1f |%n", cla, r[0], r[1], raw, r[0] / raw);
        }
        System.out.println("| CLA | bundle payload | bundles | agent→agent MiB/s | bundles/s | raw TCP MiB/s | ratio"
                + " | agent CPU ms/MiB | raw CPU ms/MiB | CPU ratio (raw/agent) | JIT ms in agent run"
                + " | raw copy keeping each message MiB/s (agent ratio to it) |");
        for (String cla : clas) {
            if (warmUp) {
                // the per-bundle code (decode, store, route, deliver) reaches C2 only after some 10,000 bundles: with
                // 1 MiB bundles that would be 10 GiB inside the measured rows, so run small ones through it first;
                // the paths only bundles past 64 KiB take see fewer calls, so the mix repeats until the compilers are
                // quiet (a pass with less than 2 % of its wall time compiling), or five times at most: otherwise the
                // first convergence layer measured pays for compiling the code the later ones share
                for (int pass = 1; pass <= 5; pass++) {
                    long j0 = RawTcpBaseline.jitMillis();
                    long t0 = System.nanoTime();
                    throughput(cla, crc, ByteSource.of(new byte[1024]), 60_000, 256);
                    throughput(cla, crc, ByteSource.of(new byte[cla.equals("udp") ? 16 << 10 : 64 << 10]), 4_000, 16);
                    if (!cla.equals("udp")) { // and the paths of bundles that span several receive chunks
                        throughput(cla, crc, ByteSource.of(new byte[1 << 20]), 400, 16);
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    long jit = RawTcpBaseline.jitMillis() - j0;
                    System.out.printf(Locale.ROOT, "(%s warm-up pass %d, not measured: 60,000 x 1 KiB, 4,000 x 64 KiB"
                            + " (UDP 16 KiB) and 400 x 1 MiB (not UDP) bundles in %.1f s, JIT %d ms)%n",
                            cla, pass, secs, jit);
                    if (jit < secs * 1000 * 0.02) {
                        break;
                    }
                }
            }
            for (int size : sizes) {
                if (cla.equals("udp") && size > 60_000) {
                    continue; // one datagram per bundle
                }
                int count = (int) Math.max(size >= (64 << 20) ? 10 : 20, Math.min(small, (mib << 20) / size));
                int window = size <= 4096 ? 256 : size <= (1 << 20) ? 16 : 2;
                ByteSource data = ByteSource.of(new byte[size]);
                double[] ratios = new double[repeat];
                double[] agentMiBs = new double[repeat];
                double[] rawMiBs = new double[repeat];
                double[] agentCpu = new double[repeat];
                double[] rawCpu = new double[repeat];
                double[] keepMiBs = new double[repeat];
                for (int round = 0; round < repeat; round++) {
                    boolean last = round == repeat - 1;
                    Rate t;
                    Rate raw;
                    if (interleave > 0) {
                        Paired paired = interleaved(cla, crc, data, count, window, interleave);
                        t = paired.agent();
                        raw = paired.raw();
                    } else {
                        t = throughput(cla, crc, data, count, window, last ? profiler : null, cla + "-" + size);
                        if (last && profiler != null) {
                            profiler.start();
                        }
                        raw = RawTcpBaseline.rawCopy(size, count);
                        if (last && profiler != null) {
                            profiler.stop("raw-" + cla + "-" + size);
                        }
                    }
                    Rate keep = size >= (64 << 10) ? RawTcpBaseline.rawCopy(size, count, true) : null;
                    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %s |%n",
                            cla, human(size), count, t.bytesPerSecond() / (1 << 20), t.bundlesPerSecond(),
                            raw.bytesPerSecond() / (1 << 20), t.bytesPerSecond() / raw.bytesPerSecond(),
                            t.cpuNanosPerByte() * (1 << 20) / 1e6, raw.cpuNanosPerByte() * (1 << 20) / 1e6,
                            raw.cpuNanosPerByte() / t.cpuNanosPerByte(), t.jitMillis(), keep == null ? "-"
                                    : String.format(Locale.ROOT, "%.0f (%.2f)", keep.bytesPerSecond() / (1 << 20),
                                            t.bytesPerSecond() / keep.bytesPerSecond()));
                    keepMiBs[round] = keep == null ? Double.NaN : keep.bytesPerSecond() / (1 << 20);
                    ratios[round] = t.bytesPerSecond() / raw.bytesPerSecond();
                    agentMiBs[round] = t.bytesPerSecond() / (1 << 20);
                    rawMiBs[round] = raw.bytesPerSecond() / (1 << 20);
                    agentCpu[round] = t.cpuNanosPerByte() * (1 << 20) / 1e6;
                    rawCpu[round] = raw.cpuNanosPerByte() * (1 << 20) / 1e6;
                }
                if (repeat >= 3) {
                    // the first round carries most of the JIT compilation: the summary is over the later ones
                    System.out.printf(Locale.ROOT, "| %s | %s | median of rounds 2-%d | %.0f | | %.0f | **%.2f** (%.2f-%.2f)"
                            + " | %.2f | %.2f | | | %s |%n", cla, human(size), repeat, median(agentMiBs),
                            median(rawMiBs), median(ratios), min(ratios), max(ratios), median(agentCpu), median(rawCpu),
                            Double.isNaN(keepMiBs[0]) ? "-" : String.format(Locale.ROOT, "%.0f", median(keepMiBs)));
                }
            }
        }
        System.out.printf("load after: %s%n",
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
    }
}
