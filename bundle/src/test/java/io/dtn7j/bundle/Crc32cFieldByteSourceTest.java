package io.dtn7j.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.crc.Crc32c;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link ByteSource#crc32cFieldAfter}: a CRC field whose value is computed when first needed gives the same bytes
 * however it is read (whole, in ranges that follow each other, in ranges with gaps, directly), and a composite writing
 * the data right before it computes the value from the bytes it writes, not in a pass of its own.
 */
class Crc32cFieldByteSourceTest {

    /** The field as an encoder computes it eagerly: CRC over head, data, 0x44 and four zero bytes. */
    static byte[] eagerField(byte[] head, byte[] data) {
        int crc = new Crc32c().update(head, 0, head.length).update(data, 0, data.length)
                .update(new byte[] {0x44}, 0, 1).updateZeros(4).value();
        return new byte[] {0x44, (byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc};
    }

    /** head, data cut into {@code pieces} parts, the deferred field, a one-byte tail; and the data's parts. */
    record Layout(ByteSource whole, Crc32cFieldByteSource field, byte[] expected) {
        static Layout of(byte[] head, byte[] data, int pieces) {
            List<ByteSource> dataParts = new ArrayList<>();
            int step = Math.max(1, data.length / pieces);
            for (int at = 0; at < data.length; at += step) {
                dataParts.add(ByteSource.of(data, at, Math.min(step, data.length - at)));
            }
            ByteSource payload = ByteSource.concat(dataParts);
            Crc32cFieldByteSource field = (Crc32cFieldByteSource) ByteSource.crc32cFieldAfter(
                    Crc32c.compute(head, 0, head.length), payload);
            ByteSource whole = ByteSource.concat(ByteSource.of(head), payload, field, ByteSource.of(new byte[] {-1}));
            byte[] f = eagerField(head, data);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(head);
            expected.writeBytes(data);
            expected.writeBytes(f);
            expected.write(0xff);
            return new Layout(whole, field, expected.toByteArray());
        }
    }

    @Property(tries = 200)
    void rangesThatFollowEachOtherWriteTheBytesAndComputeTheField(
            @ForAll @IntRange(min = 1, max = 300_000) int dataSize, @ForAll @IntRange(min = 1, max = 5) int pieces,
            @ForAll @IntRange(min = 1, max = 100_000) int rangeSize, @ForAll boolean gap, @ForAll long seed)
            throws IOException {
        Random r = new Random(seed);
        byte[] head = new byte[1 + r.nextInt(20)];
        byte[] data = new byte[dataSize];
        r.nextBytes(head);
        r.nextBytes(data);
        Layout l = Layout.of(head, data, pieces);
        assertThat(l.field().known()).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSource.RangeWriter w = l.whole().rangeWriter();
        long size = l.whole().size();
        List<long[]> ranges = new ArrayList<>();
        for (long at = 0; at < size; at += rangeSize) {
            ranges.add(new long[] {at, Math.min(rangeSize, size - at)});
        }
        if (gap && ranges.size() > 2) { // the second range first: no longer in order, the field reads the data itself
            ranges.add(0, ranges.remove(1));
        }
        byte[] written = new byte[(int) size];
        for (long[] range : ranges) {
            out.reset();
            w.write(out, range[0], range[1]);
            assertThat(out.size()).isEqualTo(range[1]);
            System.arraycopy(out.toByteArray(), 0, written, (int) range[0], (int) range[1]);
        }
        assertThat(written).isEqualTo(l.expected());
        assertThat(l.field().known()).isTrue();
        assertThat(l.whole().toByteArray()).isEqualTo(l.expected());
    }

    @Property(tries = 50)
    void anyReadGivesTheSameBytes(@ForAll @IntRange(min = 0, max = 50_000) int dataSize, @ForAll long seed) {
        Random r = new Random(seed);
        byte[] head = new byte[7];
        byte[] data = new byte[dataSize];
        r.nextBytes(head);
        r.nextBytes(data);
        Layout l = Layout.of(head, data, 3);
        byte[] f = eagerField(head, data);
        assertThat(l.field().toByteArray()).isEqualTo(f);
        assertThat(l.field().slice(1, 4).toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(f, 1, 5));
        byte[] got = new byte[2];
        l.field().read(3, got, 0, 2);
        assertThat(got).containsExactly(f[3], f[4]);
        assertThat(l.field()).isEqualTo(ByteSource.of(f)).hasSameHashCodeAs(ByteSource.of(f));
        assertThat(ByteSource.of(f)).isEqualTo(l.field());
        assertThat(l.whole()).isEqualTo(ByteSource.of(l.expected()));
        assertThat(l.field().isDeferred()).isTrue();
        assertThat(l.field().isInHeap()).isTrue();
        assertThat(l.field().hasArray()).isFalse();
    }

    @Test
    void theFieldComesFromTheBytesAsWrittenNotFromAPassOfItsOwn() throws IOException {
        // a writer that changes the first data byte as soon as it has gone out: a value computed on the way covers
        // the byte as written; a pass of its own afterwards would see the changed byte
        byte[] head = {1, 2, 3};
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        byte[] original = data.clone();
        Layout l = Layout.of(head, data, 1);
        OutputStream changing = new OutputStream() {
            long seen;
            boolean changed;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                seen += len;
                if (seen > head.length && !changed) {
                    data[0] ^= 1;
                    changed = true;
                }
            }
        };
        l.whole().writeTo(changing);
        assertThat(l.field().toByteArray()).isEqualTo(eagerField(head, original));
    }

    @Test
    void dataOutsideTheHeapIsRefused() throws IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("crc-field", ".bin");
        try {
            java.nio.file.Files.write(f, new byte[10]);
            assertThatThrownBy(() -> ByteSource.crc32cFieldAfter(0, ByteSource.ofFile(f)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap");
        } finally {
            java.nio.file.Files.delete(f);
        }
    }
}
