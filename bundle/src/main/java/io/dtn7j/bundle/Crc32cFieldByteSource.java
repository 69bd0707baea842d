package io.dtn7j.bundle;

import io.dtn7j.bundle.crc.Crc32c;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The CRC field of a block with a CRC-32C (the CBOR byte string head {@code 0x44} and the four value bytes, big
 * endian), whose bytes before the field are a head with a known CRC-32C and then large data held in the heap (see
 * {@link ByteSource#crc32cFieldAfter}). Its value is computed when first needed: by a {@link CompositeByteSource}
 * that writes the data right before this field (from the bytes just written, while they are in the CPU's cache),
 * or else in a pass over the data of its own. Either way the bytes are the same, so it is as immutable as any source.
 */
final class Crc32cFieldByteSource implements ByteSource {
    /** The field as the block CRC covers it: the head 0x44, then the value as zeros. */
    private static final byte[] ZEROED_FIELD = {0x44, 0, 0, 0, 0};
    private static final int ZEROED_FIELD_CRC = Crc32c.compute(ZEROED_FIELD, 0, ZEROED_FIELD.length);

    private final int headCrc;
    private final ByteSource data;
    /** The data's parts, compared by identity with the parts a composite writes before this field. */
    private final List<ByteSource> dataParts;
    /** The field's five bytes, once known (never modified after). */
    private volatile byte[] field;

    Crc32cFieldByteSource(int headCrc, ByteSource data) {
        this.headCrc = headCrc;
        this.data = Objects.requireNonNull(data, "data");
        this.dataParts = data.segments();
    }

    /** The parts whose bytes, written in order right before this field, make up the data. */
    List<ByteSource> dataParts() {
        return dataParts;
    }

    boolean known() {
        return field != null;
    }

    /** Sets the value from the CRC-32C of the data, which a writer computed while writing it. */
    void supplyDataCrc(int dataCrc) {
        if (field == null) {
            field = fieldFor(dataCrc);
        }
    }

    private byte[] field() {
        byte[] f = field;
        if (f == null) {
            Crc32c c = new Crc32c();
            try {
                data.forEachChunk(c::update);
            } catch (IOException e) { // data held in the heap does not fail
                throw new java.io.UncheckedIOException(e);
            }
            f = fieldFor(c.value());
            field = f;
        }
        return f;
    }

    private byte[] fieldFor(int dataCrc) {
        int crc = Crc32c.combine(Crc32c.combine(headCrc, dataCrc, data.size()), ZEROED_FIELD_CRC, ZEROED_FIELD.length);
        return new byte[] {0x44, (byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc};
    }

    @Override
    public boolean isDeferred() {
        return true;
    }

    @Override
    public long size() {
        return ZEROED_FIELD.length;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(field());
    }

    @Override
    public ByteSource slice(long offset, long length) {
        Objects.checkFromIndexSize(offset, length, size());
        return offset == 0 && length == size() ? this : new ArrayByteSource(field(), (int) offset, (int) length);
    }

    @Override
    public byte[] toByteArray() {
        return field().clone();
    }

    @Override
    public void read(long position, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(position, length, size());
        System.arraycopy(field(), (int) position, dst, dstOffset, length);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(field());
    }

    @Override
    public void forEachChunk(ChunkConsumer consumer) throws IOException {
        consumer.accept(field(), 0, ZEROED_FIELD.length);
    }

    @Override
    public boolean isInHeap() {
        return true;
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("a deferred CRC field has no array; use read or toByteArray");
    }

    @Override
    public int arrayOffset() {
        throw new UnsupportedOperationException("a deferred CRC field has no array; use read or toByteArray");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteSource other && other.isInHeap() && other.size() == size()
                && Arrays.equals(field(), other.toByteArray());
    }

    @Override
    public int hashCode() {
        return HeapContent.hash(this);
    }

    @Override
    public String toString() {
        byte[] f = field;
        return "ByteSource[CRC-32C field " + (f == null ? "not computed yet" : java.util.HexFormat.of().formatHex(f))
                + "]";
    }
}
