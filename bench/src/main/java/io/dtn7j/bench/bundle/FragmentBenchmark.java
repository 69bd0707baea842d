package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.fragment.Fragmenter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
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
 * Fragmentation of a bundle with a 64 MiB payload (in the heap) into fragments of at most 1 MiB encoded:
 * <ul>
 *   <li>{@code fragment}: compute the fragments (payload slices, nothing copied);</li>
 *   <li>{@code fragmentAndEncode}: compute them and encode every fragment into one preallocated buffer;</li>
 *   <li>{@code baselineCopy}: {@code System.arraycopy} of the 64 MiB payload into a preallocated buffer, in 1
 * MiB
 *       pieces, the floor for producing the fragments' bytes.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class FragmentBenchmark {

    /** The CRC type of every block (a JMH parameter). */
    @Param({"NONE", "CRC32C"})
    public CrcType crc;

    /** Payload size in bytes (a JMH parameter). */
    @Param({"67108864"})
    public int payloadSize;

    /** Largest encoded fragment in bytes (a JMH parameter). */
    @Param({"1048576"})
    public int maxFragment;

    private Bundle bundle;
    private byte[] payload;
    private byte[] sink;
    private ArraySink out;

    /** Creates the benchmark; JMH instantiates it and sets its parameters. */
    public FragmentBenchmark() {
    }

    /** Builds the bundle with a random payload and allocates the output buffers. */
    @Setup
    public void setup() {
        payload = BenchBundles.randomPayload(payloadSize, 2);
        bundle = BenchBundles.large(crc, payload).bundleAgeMs(0).build();
        List<Bundle> fragments = Fragmenter.fragment(bundle, maxFragment);
        long total = 0;
        for (Bundle f : fragments) {
            total += BundleCodec.encodedSize(f);
        }
        sink = new byte[(int) total];
        out = new ArraySink(sink);
    }

    /**
     * Computes the fragments (slices of the payload).
     *
     * @return the fragments
     */
    @Benchmark
    public List<Bundle> fragment() {
        return Fragmenter.fragment(bundle, maxFragment);
    }

    /**
     * Computes the fragments and encodes them all into one buffer.
     *
     * @return the number of bytes encoded
     * @throws IOException never in practice: the fragments are encoded into memory
     */
    @Benchmark
    public int fragmentAndEncode() throws IOException {
        out.position = 0;
        for (Bundle f : Fragmenter.fragment(bundle, maxFragment)) {
            BundleCodec.encodeTo(f, out);
        }
        return out.position;
    }

    /**
     * Same-run baseline: copies the payload into the buffer in pieces of the fragment size.
     *
     * @return the number of bytes copied
     */
    @Benchmark
    public int baselineCopy() {
        int pos = 0;
        for (int off = 0; off < payload.length; off += maxFragment) {
            int n = Math.min(maxFragment, payload.length - off);
            System.arraycopy(payload, off, sink, pos, n);
            pos += n;
        }
        return pos;
    }

    /** An output stream into a preallocated array. */
    static final class ArraySink extends OutputStream {
        final byte[] buf;
        int position;

        ArraySink(byte[] buf) {
            this.buf = buf;
        }

        @Override
        public void write(int b) {
            buf[position++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, buf, position, len);
            position += len;
        }
    }
}
