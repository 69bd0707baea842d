package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * Encode and decode of a bundle with a 1 MiB payload (in the heap), against the same-run copy baseline of
 * {@link CodecBenchmark}. With CRC-32C every block's CRC is computed (encode) or checked (decode) over the bytes;
 * with CRC none only the CBOR work remains.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class LargePayloadBenchmark extends CodecBenchmark {

    /** The CRC type of every block (a JMH parameter). */
    @Param({"NONE", "CRC32C"})
    public CrcType crc;

    /** Payload size in bytes (a JMH parameter). */
    @Param({"1048576"})
    public int payloadSize;

    /** Creates the benchmark; JMH instantiates it and sets its parameters. */
    public LargePayloadBenchmark() {
    }

    @Override
    protected Bundle build() {
        return BenchBundles.large(crc, BenchBundles.randomPayload(payloadSize, 1)).build();
    }
}
