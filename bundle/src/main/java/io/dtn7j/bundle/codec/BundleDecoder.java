package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.BlockFlags;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.PrimaryBlock;
import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.crc.BlockCrc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parse step: CBOR, structure and CRCs (over the bytes as received). Produces a bundle whose blocks
 * remember their received encodings; data are slices of the source (no copy, and no read of a file-backed
 * payload beyond its CRC).
 */
final class BundleDecoder {
    private BundleDecoder() {}

    static Bundle parse(ByteSource source, boolean lenientEids) {
        CborReader r = CborReader.over(source);
        byte[] array = r.array();
        if (r.remaining() == 0) {
            throw new BundleDecodeException(Reason.TRUNCATED, "empty input", 0);
        }
        if (r.peekMajorType() != CborReader.ARRAY) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, "a bundle is a CBOR array; the input starts with byte 0x"
                    + Integer.toHexString(r.peekByte()), 0);
        }
        long outer = r.readArrayHeader("bundle", true);
        if (outer >= 0) {
            throw new BundleDecodeException(Reason.NON_CANONICAL_CBOR,
                    "a bundle must be an indefinite-length array (RFC 9171 4.1), found a definite array of " + outer, 0);
        }
        if (r.peekBreak()) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, "the bundle array is empty: no primary block", r.position());
        }
        long pStart = r.position();
        PrimaryBlock primary;
        try {
            primary = readPrimary(r, lenientEids);
        } catch (BundleDecodeException e) {
            throw e.withContext("primary block");
        }
        long pEnd = r.position();
        checkCrc(source, array, r, primary.crcType(), pStart, pEnd, -1);
        ByteSource primaryEnc = source.slice(pStart, pEnd - pStart);

        List<CanonicalBlock> blocks = new ArrayList<>(4);
        List<ByteSource> encodings = new ArrayList<>(4);
        while (!r.peekBreak()) {
            long bStart = r.position();
            CanonicalBlock b;
            try {
                b = readCanonical(r, source);
            } catch (BundleDecodeException e) {
                throw e.withContext("canonical block " + (blocks.size() + 1));
            }
            long bEnd = r.position();
            checkCrc(source, array, r, b.crcType(), bStart, bEnd, b.number());
            blocks.add(b);
            encodings.add(source.slice(bStart, bEnd - bStart));
        }
        r.readBreak();
        if (!r.atEnd()) {
            throw new BundleDecodeException(Reason.TRAILING_BYTES, r.remaining() + " bytes follow the end of the bundle",
                    r.position());
        }
        if (blocks.isEmpty()) {
            throw new BundleDecodeException(Reason.NO_BLOCKS, "the bundle has a primary block but no canonical block", pEnd);
        }
        return Bundle.ofReceived(primary, primaryEnc, blocks, encodings);
    }

    private static CrcType readCrcType(CborReader r) {
        long at = r.position();
        long code = r.readUnsigned("CRC type");
        if (Long.compareUnsigned(code, 2) > 0) {
            throw new BundleDecodeException(Reason.UNKNOWN_CRC_TYPE, "unknown CRC type "
                    + Long.toUnsignedString(code) + " (known: 0 none, 1 CRC-16, 2 CRC-32C)", at);
        }
        return CrcType.ofCode(code);
    }

    private static PrimaryBlock readPrimary(CborReader r, boolean lenientEids) {
        long start = r.position();
        if (r.peekMajorType() != CborReader.ARRAY) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, "the primary block must be an array", start);
        }
        long n = r.readArrayHeader("primary block", false);
        if (n < 8 || n > 11) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, "primary block has " + Long.toUnsignedString(n)
                    + " elements, expected 8 to 11", start);
        }
        long vAt = r.position();
        long version = r.readUnsigned("version");
        if (version != PrimaryBlock.VERSION) {
            throw new BundleDecodeException(Reason.UNSUPPORTED_VERSION, "bundle protocol version "
                    + Long.toUnsignedString(version) + "; only version 7 is supported", vAt);
        }
        BundleFlags flags = BundleFlags.of(r.readUnsigned("bundle flags"));
        CrcType crc = readCrcType(r);
        long expected = 8 + (flags.isFragment() ? 2 : 0) + (crc == CrcType.NONE ? 0 : 1);
        if (n != expected) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, "primary block has " + n + " elements, expected "
                    + expected + " (fragment: " + flags.isFragment() + ", CRC type: " + crc.code() + ")", start);
        }
        EndpointId dst = EidCodec.read(r, "destination", lenientEids);
        EndpointId src = EidCodec.read(r, "source", lenientEids);
        EndpointId rpt = EidCodec.read(r, "report-to", lenientEids);
        r.readArrayHeader("creation timestamp", 2);
        long time = r.readUnsigned("creation time");
        long seq = r.readUnsigned("sequence number");
        long lifetime = r.readUnsigned("lifetime");
        FragmentInfo frag = null;
        if (flags.isFragment()) {
            long off = r.readUnsigned("fragment offset", Long.MAX_VALUE);
            long total = r.readUnsigned("total ADU length", Long.MAX_VALUE);
            frag = new FragmentInfo(off, total);
        }
        if (crc != CrcType.NONE) {
            readCrcField(r, crc);
        }
        return new PrimaryBlock(PrimaryBlock.VERSION, flags, crc, dst, src, rpt, new CreationTimestamp(time, seq),
                lifetime, frag);
    }

    private static void readCrcField(CborReader r, CrcType crc) {
        long at = r.position();
        if (r.peekMajorType() != CborReader.BYTES) {
            throw new BundleDecodeException(Reason.BAD_CRC_FIELD, "the CRC must be a byte string", at);
        }
        long len = r.readByteStringHeader("CRC");
        if (len != crc.width()) {
            throw new BundleDecodeException(Reason.BAD_CRC_FIELD, "CRC of " + len + " bytes, CRC type "
                    + crc.code() + " needs " + crc.width(), at);
        }
        r.skipBytes(len);
    }

    private static CanonicalBlock readCanonical(CborReader r, ByteSource source) {
        long start = r.position();
        String what = "block";
        if (r.peekMajorType() != CborReader.ARRAY) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + " must be an array", start);
        }
        long n = r.readArrayHeader(what, false);
        if (n != 5 && n != 6) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + " has " + Long.toUnsignedString(n)
                    + " elements, expected 5 or 6", start);
        }
        long type = r.readUnsigned("block type");
        long number = r.readUnsigned("block number");
        BlockFlags flags = BlockFlags.of(r.readUnsigned("block flags"));
        CrcType crc = readCrcType(r);
        if (n != (crc == CrcType.NONE ? 5 : 6)) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + " has " + n + " elements but CRC type "
                    + crc.code() + " needs " + (crc == CrcType.NONE ? 5 : 6), start);
        }
        long dAt = r.position();
        if (r.peekMajorType() != CborReader.BYTES) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + ": block-type-specific data must be a byte string",
                    dAt);
        }
        long len = r.readByteStringHeader("block-type-specific data");
        long dataStart = r.position();
        r.skipBytes(len);
        if (crc != CrcType.NONE) {
            readCrcField(r, crc);
        }
        return new CanonicalBlock(type, number, flags, crc, source.slice(dataStart, len));
    }

    /** Checks a block's CRC; {@code number} is the block number, -1 for the primary block. */
    private static void checkCrc(ByteSource source, byte[] array, CborReader r, CrcType crc, long start, long end,
                                 long number) {
        if (crc == CrcType.NONE) {
            return;
        }
        int len = crc.width();
        int computed;
        int received;
        if (array != null) {
            int s = r.arrayIndex(start);
            int e = r.arrayIndex(end);
            computed = BlockCrc.compute(crc, array, s, e - s);
            received = BlockCrc.get(crc, array, e - len);
        } else {
            byte[] tail = new byte[len];
            try {
                source.read(end - len, tail, 0, len);
                computed = BlockCrc.compute(crc, source.slice(start, end - start));
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new BundleDecodeException(Reason.IO_ERROR, blockName(number) + ": cannot read for CRC check: " + e.getMessage(), start, e);
            }
            received = BlockCrc.get(crc, tail, 0);
        }
        if (computed != received) {
            throw new BundleDecodeException(Reason.CRC_MISMATCH, String.format("%s: CRC received %0" + (2 * len)
                    + "x, computed %0" + (2 * len) + "x", blockName(number), received, computed), start);
        }
    }

    private static String blockName(long number) {
        return number < 0 ? "primary block" : "block " + Long.toUnsignedString(number);
    }
}
