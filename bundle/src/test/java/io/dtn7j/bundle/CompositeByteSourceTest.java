package io.dtn7j.bundle;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A source made of parts reads, slices, streams and compares exactly like one array of the same bytes. */
public class CompositeByteSourceTest {

    /** Splits {@code data} at random points into array parts (some of them slices of larger arrays). */
    public static ByteSource split(byte[] data, long seed) {
        Random r = new Random(seed);
        List<ByteSource> parts = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, r.nextInt(Math.max(1, data.length / 3 + 1)) + (r.nextInt(4) == 0 ? 0 : 1));
            int pad = r.nextInt(3);
            byte[] holder = new byte[n + 2 * pad];
            System.arraycopy(data, at, holder, pad, n);
            parts.add(ByteSource.of(holder, pad, n));
            if (r.nextInt(5) == 0) {
                parts.add(ByteSource.empty());
            }
            at += n;
        }
        // nest one level sometimes
        if (parts.size() > 2 && r.nextBoolean()) {
            ByteSource inner = ByteSource.concat(parts.subList(0, 2));
            List<ByteSource> outer = new ArrayList<>();
            outer.add(inner);
            outer.addAll(parts.subList(2, parts.size()));
            return ByteSource.concat(outer);
        }
        return ByteSource.concat(parts);
    }

    @Property(tries = 300)
    void behavesLikeOneArray(@ForAll @Size(max = 300) byte[] data, @ForAll long seed,
                             @ForAll @IntRange(min = 0, max = 300) int from, @ForAll @IntRange(min = 0, max = 300) int len)
            throws IOException {
        ByteSource s = split(data, seed);
        ByteSource whole = ByteSource.of(data);
        assertThat(s.size()).isEqualTo(data.length);
        assertThat(s.toByteArray()).isEqualTo(data);
        assertThat(s.isInHeap()).isTrue();
        assertThat(s).isEqualTo(whole);
        assertThat(whole).isEqualTo(s);
        assertThat(s.hashCode()).isEqualTo(whole.hashCode());
        try (InputStream in = s.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(data);
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        s.forEachChunk(chunks::write);
        assertThat(chunks.toByteArray()).isEqualTo(data);
        assertThat(s.toHeap()).isSameAs(s);
        for (ByteSource seg : s.segments()) {
            assertThat(seg.segments()).containsExactly(seg); // flat
            assertThat(seg.size()).isEqualTo(data.length == 0 ? 0 : seg.size()).isGreaterThanOrEqualTo(data.length == 0 ? 0 : 1);
        }
        int f = Math.min(from, data.length);
        int l = Math.min(len, data.length - f);
        byte[] expected = Arrays.copyOfRange(data, f, f + l);
        ByteSource slice = s.slice(f, l);
        assertThat(slice.toByteArray()).isEqualTo(expected);
        assertThat(slice).isEqualTo(ByteSource.of(expected));
        byte[] dst = new byte[l + 2];
        s.read(f, dst, 1, l);
        assertThat(Arrays.copyOfRange(dst, 1, 1 + l)).isEqualTo(expected);
        // a slice of a slice
        if (l > 2) {
            assertThat(slice.slice(1, l - 2).toByteArray()).isEqualTo(Arrays.copyOfRange(data, f + 1, f + l - 1));
        }
        assertThatThrownBy(() -> s.read(f, new byte[l + 1], 0, l + 1 + data.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.slice(f, data.length - f + 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * Parts of any size around the join limit, written: the bytes come out in order, with no write of a small part
     * on its own next to a large one (only the whole source, when it is small, or a run of small parts at its end
     * may be written in fewer than 4 KiB).
     */
    @Property(tries = 200)
    void writesPartsOfAnySizeInOrder(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 3 * 4096 + 7) Integer> sizes,
                                     @ForAll long seed) throws IOException {
        Random r = new Random(seed);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<ByteSource> parts = new ArrayList<>();
        for (int size : sizes) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            expected.write(b);
            parts.add(ByteSource.of(b));
        }
        ByteSource s = ByteSource.concat(parts);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Integer> writes = writeRecordingLengths(s, all);
        assertThat(all.toByteArray()).isEqualTo(expected.toByteArray());
        if (s.size() >= 4096) {
            assertThat(writes.subList(0, writes.size() - 1)).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(4096));
        }
    }

    @Test
    void writesNoTinyPiecesAroundALargePart() throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(2).nextBytes(data);
        ByteSource s = ByteSource.concat(ByteSource.of(Arrays.copyOf(data, 100)),
                ByteSource.of(data, 100, data.length - 106), ByteSource.of(Arrays.copyOfRange(data, data.length - 6, data.length)));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Integer> writes = writeRecordingLengths(s, all);
        assertThat(all.toByteArray()).isEqualTo(data);
        assertThat(writes).hasSize(3).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(4096));
    }

    /** Writes {@code s} into {@code all} and returns the length of each write (a single-byte write fails). */
    static List<Integer> writeRecordingLengths(ByteSource s, ByteArrayOutputStream all) throws IOException {
        List<Integer> writes = new ArrayList<>();
        s.writeTo(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("single-byte write");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                all.write(b, off, len);
            }
        });
        return writes;
    }

    @Test
    void differentContentIsNotEqual() {
        ByteSource a = ByteSource.concat(ByteSource.of(new byte[] {1, 2}), ByteSource.of(new byte[] {3}));
        assertThat(a).isNotEqualTo(ByteSource.of(new byte[] {1, 2, 4}));
        assertThat(a).isNotEqualTo(ByteSource.of(new byte[] {1, 2}));
        assertThat(ByteSource.of(new byte[] {1, 2, 4})).isNotEqualTo(a);
        assertThat(ByteSource.concat()).isSameAs(ByteSource.empty());
        ByteSource one = ByteSource.of(new byte[] {5});
        assertThat(ByteSource.concat(ByteSource.empty(), one)).isSameAs(one);
    }

    @Test
    void fileParts(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Path f = dir.resolve("data");
        Files.write(f, data);
        ByteSource s = ByteSource.concat(ByteSource.of(Arrays.copyOf(data, 1000)),
                ByteSource.ofFile(f, 1000, data.length - 2000), ByteSource.of(Arrays.copyOfRange(data, data.length - 1000, data.length)));
        assertThat(s.isInHeap()).isFalse();
        assertThat(s.toByteArray()).isEqualTo(data);
        try (InputStream in = s.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        s.forEachChunk(chunks::write);
        assertThat(chunks.toByteArray()).isEqualTo(data);
        assertThat(s.slice(500, 1000).hasArray()).isFalse();
        assertThat(s.slice(1500, 1000).toByteArray()).isEqualTo(Arrays.copyOfRange(data, 1500, 2500));
        // a copy into the heap, in chunks none of which is a humongous object
        ByteSource heap = s.toHeap();
        assertThat(heap.isInHeap()).isTrue();
        assertThat(heap).isEqualTo(ByteSource.of(data));
        assertThat(heap.segments()).allSatisfy(seg -> assertThat(seg.size()).isLessThanOrEqualTo(ByteSource.HEAP_CHUNK));
        assertThat(ByteSource.ofFile(f).toHeap()).isEqualTo(ByteSource.of(data));
        Files.delete(f);
        assertThatThrownBy(s::toByteArray).isInstanceOf(java.io.UncheckedIOException.class);
    }
}
