package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** {@link TimedInput}'s own buffer hands on exactly the bytes of the stream, however reads and chunks fall. */
class TimedInputPropertiesTest {

    /** A source that returns at most {@code chunk} bytes per read, as a socket does with what has arrived. */
    static final class Chunked extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int at;

        Chunked(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return at < data.length ? data[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }
    }

    @Property(tries = 300)
    void readsSkipsAndFrameWaitsReassembleTheStream(@ForAll @Size(max = 300_000) byte[] data,
                                                    @ForAll @IntRange(min = 1, max = 100_000) int chunk,
                                                    @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 140_000) Integer> ops)
            throws IOException {
        try (Socket unconnected = new Socket()) {
            TimedInput in = new TimedInput(unconnected, new Chunked(data, chunk), Duration.ofSeconds(5));
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int at = 0;
            for (int op : ops) {
                if (at >= data.length) {
                    break;
                }
                switch (op % 4) {
                    case 0 -> { // single byte
                        got.write(in.read());
                        expected.write(data[at++]);
                    }
                    case 1 -> { // an array read: some bytes, at most the length asked for
                        byte[] b = new byte[op + 1];
                        int n = in.read(b, 0, b.length);
                        assertThat(n).isBetween(1, b.length);
                        got.write(b, 0, n);
                        expected.write(data, at, n);
                        at += n;
                    }
                    case 2 -> { // skip
                        long s = in.skip(op);
                        assertThat(s).isBetween(op == 0 ? 0L : 1L, (long) op);
                        at += (int) s;
                    }
                    default -> { // wait for a frame: never consumes
                        assertThat(in.awaitFrame(Duration.ofSeconds(1))).isTrue();
                        assertThat(in.available()).isPositive();
                    }
                }
            }
            byte[] rest = in.readAllBytes();
            got.write(rest);
            expected.write(data, at, data.length - at);
            assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.awaitFrame(Duration.ofSeconds(1))).isFalse();
        }
    }
}
