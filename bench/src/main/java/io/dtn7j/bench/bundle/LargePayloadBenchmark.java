package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.util.Random;
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
 * Encode and decode of a bundle with a 1 MiB payload (in the heap), against a same-run baseline that allocates
 * an
 * array of the encoding's size and {@code System.arraycopy}s the encoding into it. With CRC-32C every block's
 * CRC is
 * computed (encode) or checked (decode) over the bytes; with CRC none only the CBOR work remains.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class LargePayloadBenchmark {

    /** The CRC type of every block (a JMH parameter). */
    @Param({"NONE", "CRC32C"})
    public CrcType crc;

    /** Payload size in bytes (a JMH parameter). */
    @Param({"1048576"})
    public int payloadSize;

    private Bundle built;
    private byte[] encoded;

    /** Creates the benchmark; JMH instantiates it and sets its parameters. */
    public LargePayloadBenchmark() {
    }

    /** Builds the bundle with a random payload and encodes it once for the decode benchmark. */
    @Setup
    public void setup() {
        byte[] payload = new byte[payloadSize];
        new Random(1).nextBytes(payload);
        built = Bundle.builder().destination("dtn://node2/inbox").source("dtn://node1/123456").creation(700_000_000_000L, 0)
                .lifetimeMs(3_600_000).hopLimit(32).crcType(crc).payload(payload).build();
        encoded = BundleCodec.encode(built);
    }

    /**
     * Encode to a new array.
     *
     * @return the encoding (returned so that JMH keeps the work)
     */
    @Benchmark
    public byte[] encode() {
        return BundleCodec.encode(built);
    }

    /**
     * Decode (with CRC checks) and validate, from an array; the payload stays a slice of that array.
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
