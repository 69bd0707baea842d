package io.dtn7j.core.cla;

import io.dtn7j.bundle.ByteSource;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The receive buffer keeps exactly the bytes that arrived, in heap chunks or in a spool file. */
class ReceiveBufferTest {

    /** A stream that hands out at most {@code step} bytes per read, as a socket does. */
    static InputStream trickle(byte[] data, int step) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    @Property(tries = 60)
    void keepsExactlyTheBytesThatArrived(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 400_000) Integer> pieces,
                                         @ForAll @IntRange(min = 1, max = 70_000) int step, @ForAll boolean spoolEarly,
                                         @ForAll long seed) throws IOException {
        Path dir = Files.createTempDirectory("rb-test");
        Random r = new Random(seed);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        long threshold = spoolEarly ? 300_000 : 64L << 20;
        try (ReceiveBuffer buf = new ReceiveBuffer(dir, threshold)) {
            for (int n : pieces) {
                byte[] piece = new byte[n];
                r.nextBytes(piece);
                expected.write(piece);
                boolean last = n == pieces.getLast() && r.nextBoolean();
                if (last) {
                    buf.appendRest(trickle(piece, step), n);
                } else if (r.nextBoolean()) {
                    buf.appendFrom(trickle(piece, step), n);
                } else {
                    buf.append(piece, 0, n);
                }
                assertThat(buf.size()).isEqualTo(expected.size());
            }
            byte[] all = expected.toByteArray();
            ByteSource s = buf.toByteSource();
            assertThat(s.size()).isEqualTo(all.length);
            assertThat(s.toByteArray()).isEqualTo(all);
            assertThat(buf.head(100)).isEqualTo(Arrays.copyOf(all, Math.min(100, all.length)));
            assertThat(buf.spooled()).isEqualTo(all.length > threshold);
            if (!buf.spooled()) {
                assertThat(s.isInHeap()).isTrue();
                // no part large enough to be a humongous object for G1 (below 8 MiB)
                assertThat(s.segments()).allSatisfy(seg -> assertThat(seg.size())
                        .isLessThanOrEqualTo(ByteSource.HEAP_CHUNK + ByteSource.HEAP_CHUNK / 16));
                // geometric growth: never more than what arrived ahead of it, or the first chunk
                assertThat(buf.heapCapacity()).isLessThanOrEqualTo(2 * all.length + 64 * 1024);
                assertThat(s.segments().size()).isLessThanOrEqualTo(all.length / 64 / 1024 + 2 * pieces.size() + 4);
            }
        } finally {
            try (var files = Files.list(dir)) {
                assertThat(files.count()).as("spool file deleted on close").isZero();
            }
            Files.delete(dir);
        }
    }

    /**
     * A bundle whose end the CLA knows (an MTCP or STCP frame, a TCPCLv4 transfer's final segment) keeps exactly its
     * own size in heap: the chunks used to be sized by growth alone, so a 64 KiB payload's last few dozen bytes took a
     * second 64 KiB chunk and a 1 MiB payload's a fifth 256 KiB one, heap the stored bundle kept for as long as it
     * lived.
     */
    @Test
    void aBundleWhoseEndIsKnownKeepsNoMoreHeapThanItsSize() throws IOException {
        for (int size : new int[] {100, 65_536 + 58, 1_048_576 + 62, 300_000, 9 << 20, (20 << 20) + 77}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            for (int step : new int[] {1_000, 65_536, 1 << 20}) {
                try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 30)) {
                    buf.appendRest(trickle(data, step), size);
                    assertThat(buf.toByteSource()).isEqualTo(ByteSource.of(data));
                    assertThat(buf.heapCapacity()).as("heap kept for %,d bytes read %,d at a time", size, step)
                            .isEqualTo(size);
                }
            }
            // a TCPCLv4 transfer in segments: only the final one says where the bundle ends
            try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 30)) {
                InputStream in = trickle(data, 70_000);
                int segment = 200_000;
                int at = 0;
                for (; size - at > segment; at += segment) {
                    buf.appendFrom(in, segment);
                }
                buf.appendRest(in, size - at);
                assertThat(buf.toByteSource()).isEqualTo(ByteSource.of(data));
                // ahead of the final segment, growth alone sizes the chunks (past 8 MiB, 4 MiB ones)
                assertThat(buf.heapCapacity()).isLessThanOrEqualTo(size + Math.max(2L * segment, ReceiveBuffer.BULK_CHUNK));
            }
        }
        // the stretch for the last few bytes never makes a bulk chunk larger than the G1 regions it fills
        byte[] data = new byte[(8 << 20) + ReceiveBuffer.BULK_CHUNK + 1000];
        try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 30)) {
            buf.appendRest(new ByteArrayInputStream(data), data.length);
            assertThat(buf.toByteSource().segments())
                    .allSatisfy(seg -> assertThat(seg.size()).isLessThanOrEqualTo(ReceiveBuffer.BULK_CHUNK));
            assertThat(buf.heapCapacity()).isEqualTo(data.length);
        }
    }

    @Test
    void heapBytesStayValidAfterClose() throws IOException {
        byte[] data = new byte[1_000_000];
        new Random(3).nextBytes(data);
        ByteSource s;
        try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 30)) {
            buf.appendFrom(trickle(data, 100_000), data.length);
            s = buf.toByteSource();
        }
        assertThat(s).isEqualTo(ByteSource.of(data));
        // a small bundle comes out as one exactly sized array (decoded in place)
        try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 30)) {
            buf.appendFrom(trickle(Arrays.copyOf(data, 1000), 300), 1000);
            ByteSource small = buf.toByteSource();
            assertThat(small.hasArray()).isTrue();
            assertThat(small.array()).hasSize(1000);
        }
    }

    @Test
    void aStreamEndingEarlyIsAnEofAndAllocatesNoMoreThanArrived() throws IOException {
        try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 40)) {
            // a peer announces 1 TiB and sends 10 bytes
            assertThatThrownBy(() -> buf.appendFrom(new ByteArrayInputStream(new byte[10]), 1L << 40))
                    .isInstanceOf(EOFException.class).hasMessageContaining("missing");
            assertThat(buf.size()).isEqualTo(10);
            assertThat(buf.toByteSource().segments()).allSatisfy(seg -> assertThat(seg.size()).isLessThanOrEqualTo(64 * 1024));
        }
    }

    @Test
    void aLargeHeapBundleLandsInChunksThatFillWholeGarbageCollectorRegions() throws IOException {
        byte[] data = new byte[20 << 20];
        new Random(5).nextBytes(data);
        try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 30)) {
            buf.appendFrom(trickle(data, 256 * 1024), data.length);
            ByteSource s = buf.toByteSource();
            assertThat(s).isEqualTo(ByteSource.of(data));
            List<ByteSource> segments = s.segments();
            // past the first 8 MiB, every full chunk is a bulk chunk: with its 16-byte array header it fills two
            // 2 MiB (four 1 MiB, one 4 MiB) G1 regions exactly, where a 4 MiB array would take three 2 MiB regions
            List<ByteSource> bulk = segments.subList(0, segments.size() - 1).stream()
                    .filter(seg -> seg.size() > ByteSource.HEAP_CHUNK).toList();
            assertThat(bulk).isNotEmpty().allSatisfy(seg -> assertThat(seg.size()).isEqualTo(ReceiveBuffer.BULK_CHUNK));
            assertThat((ReceiveBuffer.BULK_CHUNK + 16) % (2 << 20)).isZero();
            assertThat(segments).allSatisfy(seg -> assertThat(seg.size()).isLessThanOrEqualTo(ReceiveBuffer.BULK_CHUNK));
        }
    }

    @Test
    void bytesReadInManyTinyPiecesFillChunksInsteadOfOneChunkEach() throws IOException {
        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        try (ReceiveBuffer buf = new ReceiveBuffer(Path.of("/nonexistent-spool"), 1L << 30)) {
            InputStream in = new ByteArrayInputStream(data);
            for (int i = 0; i < data.length; i += 3) { // as TCPCLv4 segments of 3 bytes each arrive
                buf.appendFrom(in, Math.min(3, data.length - i));
            }
            ByteSource s = buf.toByteSource();
            assertThat(s).isEqualTo(ByteSource.of(data));
            // chunks grow with what arrived (at most that much ahead): a handful, where there were 66,667 of 3 bytes
            assertThat(s.segments().size()).isLessThan(20);
        }
    }
}
