package io.dtn7j.bundle.crc;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

/**
 * Block CRCs as RFC 9171 §4.2.1 computes them: over the whole encoded block with the CRC value bytes set
 * to zero. In an encoded block the CRC value is the last item, so the CRC covers the block up to the
 * value's first byte, then {@code width} zeros.
 */
public final class BlockCrc {
    private BlockCrc() {}

    /**
     * The CRC of an encoded block held in {@code b[off, off+len)}, whose last {@code type.width()} bytes are
     * the CRC value (their content is ignored: they count as zeros).
     *
     * @param type the CRC type of the block
     * @param b the array holding the encoded block
     * @param off index in {@code b} of the block's first byte
     * @param len length of the encoded block in bytes, CRC value included
     * @return the CRC, unsigned in an int (0 for {@link CrcType#NONE})
     */
    public static int compute(CrcType type, byte[] b, int off, int len) {
        int body = len - type.width();
        return switch (type) {
            case NONE -> 0;
            case CRC16 -> new Crc16X25().update(b, off, body).updateZeros(2).value();
            case CRC32C -> new Crc32c().update(b, off, body).updateZeros(4).value();
        };
    }

    /**
     * The same as {@link #compute(CrcType, byte[], int, int)} over an encoded block in a source, streaming.
     *
     * @param type the CRC type of the block
     * @param block the encoded block, CRC value included (its content ignored)
     * @return the CRC, unsigned in an int (0 for {@link CrcType#NONE})
     * @throws IOException if a file-backed source cannot be read
     */
    public static int compute(CrcType type, ByteSource block) throws IOException {
        if (block.hasArray()) {
            return compute(type, block.array(), block.arrayOffset(), (int) block.size());
        }
        if (type == CrcType.NONE) {
            return 0;
        }
        long body = block.size() - type.width();
        if (type == CrcType.CRC32C) {
            List<ByteSource> parts = block.slice(0, body).segments();
            if (parts.stream().anyMatch(ByteSource::knowsCrc32c)) {
                return combined(parts);
            }
        }
        Crc16X25 c16 = type == CrcType.CRC16 ? new Crc16X25() : null;
        Crc32c c32 = type == CrcType.CRC32C ? new Crc32c() : null;
        // in place for parts held in the heap, through a buffer for a file
        block.slice(0, body).forEachChunk((b, off, n) -> {
            if (c16 != null) {
                c16.update(b, off, n);
            } else {
                c32.update(b, off, n);
            }
        });
        return c16 != null ? c16.updateZeros(2).value() : c32.updateZeros(4).value();
    }

    /**
     * CRC-32C over parts some of which know theirs (computed by a receiver as the bytes arrived): those are
     * combined without reading them, the others computed; then the four zero bytes standing for the CRC value.
     */
    private static int combined(List<ByteSource> parts) throws IOException {
        int crc = 0; // the CRC-32C of no bytes
        for (ByteSource part : parts) {
            OptionalInt known = part.knownCrc32c();
            int c;
            if (known.isPresent()) {
                c = known.getAsInt();
            } else {
                Crc32c direct = new Crc32c();
                part.forEachChunk(direct::update);
                c = direct.value();
            }
            crc = Crc32c.combine(crc, c, part.size());
        }
        return Crc32c.combine(crc, ZEROS_CRC32C, 4);
    }

    /** CRC-32C of four zero bytes (the CRC value's place in a block). */
    private static final int ZEROS_CRC32C = new Crc32c().updateZeros(4).value();

    /**
     * Writes a CRC value big-endian into {@code b[off...]} ({@code type.width()} bytes).
     *
     * @param type the CRC type of the block
     * @param crc the CRC value
     * @param b the destination array
     * @param off index in {@code b} of the first byte to write
     */
    public static void put(CrcType type, int crc, byte[] b, int off) {
        for (int i = type.width() - 1; i >= 0; i--) {
            b[off + i] = (byte) crc;
            crc >>>= 8;
        }
    }

    /**
     * Reads a big-endian CRC value of {@code type.width()} bytes.
     *
     * @param type the CRC type of the block
     * @param b the array holding the value
     * @param off index in {@code b} of the value's first byte
     * @return the CRC value, unsigned in an int
     */
    public static int get(CrcType type, byte[] b, int off) {
        int v = 0;
        for (int i = 0; i < type.width(); i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
