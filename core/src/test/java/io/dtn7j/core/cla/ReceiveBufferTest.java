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
                if (r.nextBoolean()) {
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
                assertThat(s.segments()).allSatisfy(seg -> assertThat(seg.size()).isLessThanOrEqualTo(ByteSource.HEAP_CHUNK));
                assertThat(s.segments().size()).isLessThanOrEqualTo(all.length / 64 / 1024 + 2 * pieces.size() + 4);
            }
        } finally {
            try (var files = Files.list(dir)) {
                assertThat(files.count()).as("spool file deleted on close").isZero();
            }
            Files.delete(dir);
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
