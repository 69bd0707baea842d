package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.PrimaryBlock;
import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.bundle.crc.BlockCrc;
import io.dtn7j.bundle.crc.Crc16X25;
import io.dtn7j.bundle.crc.Crc32c;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** Encoding: received encodings for unchanged blocks, deterministic CBOR and fresh CRCs for the rest. */
final class BundleEncoder {
    /** Data larger than this, or file-backed, is streamed by {@link #encodeTo}. */
    private static final int STREAM_THRESHOLD = 64 * 1024;

    /**
     * {@link #encodeShared}: parts of at most this many bytes held in the heap are copied into the encoding; larger
     * ones (and file ranges) are referenced where they are.
     */
    static final int INLINE_MAX = 16 * 1024;

    private BundleEncoder() {}

    /** Whether {@link #encodeShared} references {@code part} (one segment of a source) instead of copying it. */
    private static boolean referenced(ByteSource part) {
        return !part.isInHeap() || part.size() > INLINE_MAX;
    }

    private static long referencedSize(ByteSource s) {
        if (s.hasArray()) { // the common case, without a look at the segments
            return s.size() > INLINE_MAX ? s.size() : 0;
        }
        long n = 0;
        for (ByteSource part : s.segments()) {
            if (referenced(part)) {
                n += part.size();
            }
        }
        return n;
    }

    /**
     * The encoding as a sequence of parts: everything small is written into one new array; large data (a payload
     * in the heap, a payload in a file, a received block's large encoding) is referenced, not copied. The CRC of a
     * new block is computed over its bytes where they are. The returned bundle remembers its blocks' encodings as
     * slices of the result.
     */
    static EncodedBundle encodeShared(Bundle b) {
        return encodeShared(b, true);
    }

    /** {@link #encodeShared}'s bytes alone; a bundle with nothing to reference is encoded into one array. */
    static ByteSource encodeGathered(Bundle b) {
        if (referencedSize(b) == 0) {
            return ByteSource.of(encode(b));
        }
        return encodeShared(b, false).bytes();
    }

    private static long referencedSize(Bundle b) {
        long referenced = 0;
        ByteSource penc = b.receivedPrimaryEncoding().orElse(null);
        if (penc != null) {
            referenced += referencedSize(penc);
        }
        for (int i = 0; i < b.blocks().size(); i++) {
            ByteSource enc = b.receivedEncoding(i).orElse(null);
            referenced += referencedSize(enc != null ? enc : b.blocks().get(i).data());
        }
        return referenced;
    }

    private static EncodedBundle encodeShared(Bundle b, boolean remember) {
        long total = encodedSize(b);
        long referenced = referencedSize(b);
        ByteSource penc = b.receivedPrimaryEncoding().orElse(null);
        long inline = total - referenced;
        if (inline > ByteSource.MAX_ARRAY_SIZE) {
            throw new IllegalStateException("the encoded bundle has " + inline + " bytes of small blocks, too many");
        }
        Gather g = new Gather((int) inline);
        g.w.writeIndefiniteArray();
        long pStart = g.position();
        if (penc != null) {
            g.append(penc);
        } else {
            writePrimary(g.w, b.primary());
        }
        long[] bounds = new long[b.blocks().size() + 1];
        bounds[0] = g.position();
        for (int i = 0; i < b.blocks().size(); i++) {
            ByteSource enc = b.receivedEncoding(i).orElse(null);
            CanonicalBlock c = b.blocks().get(i);
            if (enc != null) {
                g.append(enc);
            } else if (referencedSize(c.data()) == 0) {
                writeBlock(g.w, c, true);
            } else {
                gatherBlock(g, c);
            }
            bounds[i + 1] = g.position();
        }
        g.w.writeBreak();
        ByteSource bytes = g.finish();
        if (!remember) {
            return new EncodedBundle(b, bytes);
        }
        List<ByteSource> encodings = new ArrayList<>(b.blocks().size());
        for (int i = 0; i < b.blocks().size(); i++) {
            encodings.add(bytes.slice(bounds[i], bounds[i + 1] - bounds[i]));
        }
        Bundle remembering = Bundle.ofReceived(b.primary(), bytes.slice(pStart, bounds[0] - pStart), b.blocks(),
                encodings);
        return new EncodedBundle(remembering, bytes);
    }

    /** A new block whose data is (partly) referenced: head and CRC written, data referenced, CRC over all of it. */
    private static void gatherBlock(Gather g, CanonicalBlock c) {
        int start = g.w.size();
        writeBlock(g.w, c, false);
        CrcType crc = c.crcType();
        Crc16X25 c16 = crc == CrcType.CRC16 ? new Crc16X25() : null;
        Crc32c c32 = crc == CrcType.CRC32C ? new Crc32c() : null;
        if (crc != CrcType.NONE) {
            update(c16, c32, g.w.buffer(), start, g.w.size() - start);
            try {
                c.data().forEachChunk((bytes, off, len) -> update(c16, c32, bytes, off, len));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the data of block " + c.number() + " for its CRC",
                        e);
            }
        }
        g.append(c.data());
        if (crc != CrcType.NONE) {
            int at = g.w.size();
            g.w.writeByteStringHeader(crc.width());
            update(c16, c32, g.w.buffer(), at, g.w.size() - at);
            int value = c16 != null ? c16.updateZeros(2).value() : c32.updateZeros(4).value();
            int valueAt = g.w.size();
            g.w.writeZeros(crc.width());
            BlockCrc.put(crc, value, g.w.buffer(), valueAt);
        }
    }

    /** Collects an encoding as runs of one writer's buffer interleaved with referenced sources. */
    private static final class Gather {
        final CborWriter w;
        /** int[]{from, to} ranges of the writer's buffer, or referenced ByteSources, in order. */
        private final List<Object> runs = new ArrayList<>(4);
        private int runStart;
        private long referencedBytes;

        Gather(int inlineBytes) {
            w = new CborWriter(inlineBytes);
        }

        long position() {
            return referencedBytes + w.size();
        }

        void append(ByteSource s) {
            for (ByteSource part : s.segments()) {
                if (referenced(part)) {
                    closeRun();
                    runs.add(part);
                    referencedBytes += part.size();
                } else {
                    writeSource(w, part);
                }
            }
        }

        private void closeRun() {
            if (w.size() > runStart) {
                runs.add(new int[] {runStart, w.size()});
                runStart = w.size();
            }
        }

        ByteSource finish() {
            closeRun();
            byte[] buf = w.toByteArrayShared();
            List<ByteSource> parts = new ArrayList<>(runs.size());
            for (Object r : runs) {
                if (r instanceof int[] range) {
                    parts.add(ByteSource.of(buf, range[0], range[1] - range[0]));
                } else {
                    parts.add((ByteSource) r);
                }
            }
            return ByteSource.concat(parts);
        }
    }

    static long encodedSize(Bundle b) {
        long size = 2 + primarySize(b);
        for (int i = 0; i < b.blocks().size(); i++) {
            size += blockSize(b, i);
        }
        return size;
    }

    private static long primarySize(Bundle b) {
        ByteSource enc = b.receivedPrimaryEncoding().orElse(null);
        if (enc != null) {
            return enc.size();
        }
        PrimaryBlock p = b.primary();
        long n = 1 + 1 + CborWriter.headSize(p.flags().bits()) + 1
                + EidCodec.encodedSize(p.destination()) + EidCodec.encodedSize(p.source())
                + EidCodec.encodedSize(p.reportTo())
                + 1 + CborWriter.headSize(p.creation().dtnTimeMs()) + CborWriter.headSize(p.creation().sequence())
                + CborWriter.headSize(p.lifetimeMs());
        if (p.fragment() != null) {
            n += CborWriter.headSize(p.fragment().offset()) + CborWriter.headSize(p.fragment().totalAduLength());
        }
        return n + crcFieldSize(p.crcType());
    }

    private static int crcFieldSize(CrcType c) {
        return c == CrcType.NONE ? 0 : 1 + c.width();
    }

    private static int blockHeadSize(CanonicalBlock c) {
        return 1 + CborWriter.headSize(c.type()) + CborWriter.headSize(c.number()) + CborWriter.headSize(c.flags().bits())
                + 1 + CborWriter.headSize(c.data().size());
    }

    private static long blockSize(Bundle b, int i) {
        ByteSource enc = b.receivedEncoding(i).orElse(null);
        if (enc != null) {
            return enc.size();
        }
        CanonicalBlock c = b.blocks().get(i);
        return blockHeadSize(c) + c.data().size() + crcFieldSize(c.crcType());
    }

    static byte[] encode(Bundle b) {
        long size = encodedSize(b);
        if (size > ByteSource.MAX_ARRAY_SIZE) {
            throw new IllegalStateException("the encoded bundle has " + size + " bytes, too many for an array; use encodeTo");
        }
        CborWriter w = new CborWriter((int) size);
        w.writeIndefiniteArray();
        ByteSource penc = b.receivedPrimaryEncoding().orElse(null);
        if (penc != null) {
            writeSource(w, penc);
        } else {
            writePrimary(w, b.primary());
        }
        for (int i = 0; i < b.blocks().size(); i++) {
            ByteSource enc = b.receivedEncoding(i).orElse(null);
            if (enc != null) {
                writeSource(w, enc);
            } else {
                writeBlock(w, b.blocks().get(i), true);
            }
        }
        w.writeBreak();
        return w.toByteArrayShared();
    }

    private static void writeSource(CborWriter w, ByteSource s) {
        if (s.hasArray()) {
            w.writeRaw(s.array(), s.arrayOffset(), (int) s.size());
        } else {
            int at = w.size();
            w.writeZeros((int) s.size());
            s.read(0, w.buffer(), at, (int) s.size());
        }
    }

    private static void writePrimary(CborWriter w, PrimaryBlock p) {
        int start = w.size();
        CrcType crc = p.crcType();
        w.writeArrayHeader(8 + (p.fragment() != null ? 2 : 0) + (crc == CrcType.NONE ? 0 : 1));
        w.writeUnsigned(p.version()).writeUnsigned(p.flags().bits()).writeUnsigned(crc.code());
        EidCodec.write(w, p.destination());
        EidCodec.write(w, p.source());
        EidCodec.write(w, p.reportTo());
        w.writeArrayHeader(2).writeUnsigned(p.creation().dtnTimeMs()).writeUnsigned(p.creation().sequence());
        w.writeUnsigned(p.lifetimeMs());
        if (p.fragment() != null) {
            w.writeUnsigned(p.fragment().offset()).writeUnsigned(p.fragment().totalAduLength());
        }
        finishCrc(w, crc, start);
    }

    /** Writes a block; with {@code withData} false, only up to and including the data's byte string head. */
    private static void writeBlock(CborWriter w, CanonicalBlock c, boolean withData) {
        int start = w.size();
        CrcType crc = c.crcType();
        w.writeArrayHeader(crc == CrcType.NONE ? 5 : 6);
        w.writeUnsigned(c.type()).writeUnsigned(c.number()).writeUnsigned(c.flags().bits()).writeUnsigned(crc.code());
        w.writeByteStringHeader(c.data().size());
        if (!withData) {
            return;
        }
        writeSource(w, c.data());
        finishCrc(w, crc, start);
    }

    private static void finishCrc(CborWriter w, CrcType crc, int start) {
        if (crc == CrcType.NONE) {
            return;
        }
        w.writeByteStringHeader(crc.width());
        int valueAt = w.size();
        w.writeZeros(crc.width());
        int value = BlockCrc.compute(crc, w.buffer(), start, w.size() - start);
        BlockCrc.put(crc, value, w.buffer(), valueAt);
    }

    static void encodeTo(Bundle b, OutputStream out) throws IOException {
        CborWriter w = new CborWriter(256);
        w.writeIndefiniteArray();
        ByteSource penc = b.receivedPrimaryEncoding().orElse(null);
        if (penc != null) {
            flush(w, out);
            penc.writeTo(out);
        } else {
            writePrimary(w, b.primary());
        }
        for (int i = 0; i < b.blocks().size(); i++) {
            ByteSource enc = b.receivedEncoding(i).orElse(null);
            CanonicalBlock c = b.blocks().get(i);
            if (enc != null && (enc.hasArray() || enc.size() <= STREAM_THRESHOLD)) {
                writeSource(w, enc);
            } else if (enc != null) {
                flush(w, out);
                enc.writeTo(out);
            } else if (c.data().hasArray() && c.data().size() <= STREAM_THRESHOLD) {
                writeBlock(w, c, true);
            } else {
                streamBlock(w, c, out);
            }
            if (w.size() >= STREAM_THRESHOLD) {
                flush(w, out);
            }
        }
        w.writeBreak();
        flush(w, out);
    }

    private static void flush(CborWriter w, OutputStream out) throws IOException {
        if (w.size() > 0) {
            out.write(w.buffer(), 0, w.size());
            w.reset();
        }
    }

    /** Writes a block with large data: head, then data streamed with the CRC computed on the way. */
    private static void streamBlock(CborWriter w, CanonicalBlock c, OutputStream out) throws IOException {
        flush(w, out);
        writeBlock(w, c, false);
        CrcType crc = c.crcType();
        Crc16X25 c16 = crc == CrcType.CRC16 ? new Crc16X25() : null;
        Crc32c c32 = crc == CrcType.CRC32C ? new Crc32c() : null;
        update(c16, c32, w.buffer(), 0, w.size());
        flush(w, out);
        byte[] buf = new byte[64 * 1024];
        long left = c.data().size();
        try (InputStream in = c.data().openStream()) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new java.io.EOFException("block " + c.number() + " data ended " + left + " bytes early");
                }
                update(c16, c32, buf, 0, n);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        if (crc != CrcType.NONE) {
            w.writeByteStringHeader(crc.width());
            update(c16, c32, w.buffer(), 0, w.size());
            int value = c16 != null ? c16.updateZeros(2).value() : c32.updateZeros(4).value();
            int at = w.size();
            w.writeZeros(crc.width());
            BlockCrc.put(crc, value, w.buffer(), at);
        }
    }

    private static void update(Crc16X25 c16, Crc32c c32, byte[] b, int off, int len) {
        if (c16 != null) {
            c16.update(b, off, len);
        } else if (c32 != null) {
            c32.update(b, off, len);
        }
    }
}
