package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.BundleValidator;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.bundle.codec.DeviationListener;
import io.dtn7j.bundle.codec.ValidationPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The bp7-rs benchmark operations of {@link Bp7Benchmark}, measured in operations per second of <em>CPU time of the
 * measuring thread</em> rather than wall-clock time. On a shared machine where other processes take most of the cores,
 * wall-clock throughput mostly measures the scheduler; CPU-time throughput is what one core does for this work (it
 * still includes cache and memory-bandwidth interference). Run:
 * {@code java -cp bench/target/benchmarks.jar io.dtn7j.bench.bundle.CpuTimeThroughput [seconds per op]}.
 */
public final class CpuTimeThroughput {

    private static volatile Object sink;

    private CpuTimeThroughput() {
    }

    /**
     * Measures every operation for every CRC type and prints operations per CPU second and per wall second.
     *
     * @param args optionally the seconds to measure each operation (default 3)
     */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("%-16s %-7s %16s %16s%n", "operation", "crc", "ops/CPU-s", "ops/wall-s");
        for (CrcType crc : CrcType.values()) {
            Bundle built = Bp7Benchmark.create(crc, DtnTime.now());
            byte[] encoded = BundleCodec.encode(built);
            measure(mx, "baselineCopy", crc, seconds, () -> {
                byte[] copy = new byte[encoded.length];
                System.arraycopy(encoded, 0, copy, 0, encoded.length);
                return copy;
            });
            measure(mx, "create", crc, seconds, () -> {
                Bundle b = Bp7Benchmark.create(crc, DtnTime.now());
                BundleValidator.validate(b, ValidationPolicy.DEFAULT, DeviationListener.IGNORE);
                return BundleCodec.encode(b);
            });
            measure(mx, "encode", crc, seconds, () -> BundleCodec.encode(built));
            measure(mx, "decodeValidate", crc, seconds, () -> BundleCodec.decode(encoded, DecodeOptions.DEFAULT));
        }
    }

    private static void measure(ThreadMXBean mx, String name, CrcType crc, double seconds, Supplier<Object> op) {
        run(op, 200_000); // warm-up: let the JIT compile the path
        long batch = 10_000;
        long ops = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long cpuLimit = (long) (seconds * 1e9);
        while (mx.getCurrentThreadCpuTime() - cpu0 < cpuLimit) {
            run(op, batch);
            ops += batch;
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        System.out.printf("%-16s %-7s %,16.0f %,16.0f%n", name, crc, ops / (cpu / 1e9), ops / (wall / 1e9));
    }

    private static void run(Supplier<Object> op, long n) {
        for (long i = 0; i < n; i++) {
            sink = op.get();
        }
    }
}
