package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.BundleValidator;
import io.dtn7j.bundle.codec.DeviationListener;
import io.dtn7j.bundle.codec.ValidationPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * A port of bp7-rs's {@code benches/benchmark.rs}: the same bundle (destination {@code dtn://node2/inbox},
 * source and
 * report-to {@code dtn://node1/123456}, creation time now, lifetime 3,600,000,000, a bundle age block of 0 and
 * the
 * 3-byte payload "ABC"), for each CRC type:
 * <ul>
 *   <li>{@code create}: build the bundle, validate it, encode it;</li>
 *   <li>{@code encode}, {@code decodeValidate}, {@code baselineCopy}: as in {@link CodecBenchmark} (default
 *       validation policy: CRC none is waived).</li>
 * </ul>
 * One thread: the targets are per core.
 */
public class Bp7Benchmark extends CodecBenchmark {

    private static final byte[] PAYLOAD = {'A', 'B', 'C'};

    /** The CRC type of every block (a JMH parameter). */
    @Param({"NONE", "CRC16", "CRC32C"})
    public CrcType crc;

    /** Creates the benchmark; JMH instantiates it and sets its parameters. */
    public Bp7Benchmark() {
    }

    @Override
    protected Bundle build() {
        return create(crc, DtnTime.now());
    }

    static Bundle create(CrcType crc, long now) {
        return Bundle.builder().destination(BenchBundles.DST).source(BenchBundles.SRC).reportTo(BenchBundles.SRC)
                .creation(now, 0).lifetimeMs(60L * 60 * 1_000_000).bundleAgeMs(0).crcType(crc).payload(PAYLOAD).build();
    }

    /**
     * Build, validate, encode (bp7-rs: {@code bench_bundle_create}).
     *
     * @return the encoding of the new bundle
     */
    @Benchmark
    public byte[] create() {
        Bundle b = create(crc, DtnTime.now());
        BundleValidator.validate(b, ValidationPolicy.DEFAULT, DeviationListener.IGNORE);
        return BundleCodec.encode(b);
    }
}
