package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.BundleValidator;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.bundle.codec.DeviationListener;
import io.dtn7j.bundle.codec.ValidationPolicy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A port of bp7-rs's {@code benches/benchmark.rs}: the same bundle (destination {@code dtn://node2/inbox},
 * source and
 * report-to {@code dtn://node1/123456}, creation time now, lifetime 3,600,000,000, a bundle age block of 0 and
 * the
 * 3-byte payload "ABC"), for each CRC type:
 * <ul>
 *   <li>{@code create}: build the bundle, validate it, encode it;</li>
 *   <li>{@code encode}: encode a built bundle (every CRC computed afresh);</li>
 *   <li>{@code decodeValidate}: decode the encoding and validate it (default policy: CRC none is waived);</li>
 *   <li>{@code baselineCopy}: allocate an array of the encoding's size and {@code System.arraycopy} the encoding
 * into
 *       it, the floor for any operation that produces those bytes.</li>
 * </ul>
 * One thread: the targets are per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Bp7Benchmark {

    private static final EndpointId DST = EndpointId.parse("dtn://node2/inbox");
    private static final EndpointId SRC = EndpointId.parse("dtn://node1/123456");
    private static final byte[] PAYLOAD = {'A', 'B', 'C'};

    /** The CRC type of every block (a JMH parameter). */
    @Param({"NONE", "CRC16", "CRC32C"})
    public CrcType crc;

    private Bundle built;
    private byte[] encoded;

    /** Creates the benchmark; JMH instantiates it and sets its parameters. */
    public Bp7Benchmark() {
    }

    /** Builds and encodes the bundle for the current CRC type, and checks that it decodes. */
    @Setup
    public void setup() {
        built = create(crc, DtnTime.now());
        encoded = BundleCodec.encode(built);
        Bundle back = BundleCodec.decode(encoded, DecodeOptions.DEFAULT);
        if (!back.equals(built)) {
            throw new IllegalStateException("the benchmark bundle does not round-trip");
        }
    }

    static Bundle create(CrcType crc, long now) {
        return Bundle.builder().destination(DST).source(SRC).reportTo(SRC).creation(now, 0)
                .lifetimeMs(60L * 60 * 1_000_000).bundleAgeMs(0).crcType(crc).payload(PAYLOAD).build();
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

    /**
     * Encode a built bundle (bp7-rs: {@code to_cbor}).
     *
     * @return the encoding
     */
    @Benchmark
    public byte[] encode() {
        return BundleCodec.encode(built);
    }

    /**
     * Decode and validate (bp7-rs: {@code Bundle::try_from} + {@code validation_errors}).
     *
     * @return the decoded bundle
     */
    @Benchmark
    public Bundle decodeValidate() {
        return BundleCodec.decode(encoded, DecodeOptions.DEFAULT);
    }

    /**
     * Same-run baseline: a fresh copy of the encoded bytes.
     *
     * @return the copy
     */
    @Benchmark
    public byte[] baselineCopy() {
        byte[] copy = new byte[encoded.length];
        System.arraycopy(encoded, 0, copy, 0, encoded.length);
        return copy;
    }
}
