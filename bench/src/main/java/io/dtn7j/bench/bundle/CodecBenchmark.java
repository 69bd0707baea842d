package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixture the bundle-codec benchmarks share: the JMH settings, one bundle built by the subclass
 * ({@link #build()}) and encoded once, and the benchmarks every codec measurement makes of it: {@code encode},
 * {@code decodeValidate} and the same-run floor {@code baselineCopy}. Subclasses add their parameters and any
 * further benchmarks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class CodecBenchmark {

    /** The bundle built by {@link #build()} for the current parameters. */
    protected Bundle built;
    /** Its encoding. */
    protected byte[] encoded;

    /** For subclasses; JMH instantiates them and sets their parameters. */
    protected CodecBenchmark() {
    }

    /**
     * The bundle to measure, for the current JMH parameters.
     *
     * @return the bundle
     */
    protected abstract Bundle build();

    /** Builds and encodes the bundle, and checks that the encoding decodes to the same bundle. */
    @Setup
    public void setup() {
        built = build();
        encoded = BundleCodec.encode(built);
        if (!BundleCodec.decode(encoded, DecodeOptions.DEFAULT).equals(built)) {
            throw new IllegalStateException("the benchmark bundle does not round-trip");
        }
    }

    /**
     * Encode a built bundle to a new array (every CRC computed afresh).
     *
     * @return the encoding (returned so that JMH keeps the work)
     */
    @Benchmark
    public byte[] encode() {
        return BundleCodec.encode(built);
    }

    /**
     * Decode (with CRC checks) and validate with the default policy, from an array; the payload stays a slice of
     * that array.
     *
     * @return the decoded bundle
     */
    @Benchmark
    public Bundle decodeValidate() {
        return BundleCodec.decode(encoded, DecodeOptions.DEFAULT);
    }

    /**
     * Same-run baseline: allocate an array of the encoding's size and {@code System.arraycopy} the encoding into
     * it, the floor for any operation that produces those bytes.
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
