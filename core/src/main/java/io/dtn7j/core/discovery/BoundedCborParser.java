package io.dtn7j.core.discovery;

import io.dtn7j.core.discovery.BeaconDecodeException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one CBOR data item from a byte range into {@link CborValue}s. It never trusts a length: a byte or text
 * string is only allocated after checking that the input holds it, and an array or map is only pre-sized up to
 * what the remaining input could possibly contain (every item takes at least one byte). Nesting is limited.
 */
final class BoundedCborParser {

    private static final int BREAK = 0xff;

    private final byte[] data;
    private final int end;
    private final int maxDepth;
    private int pos;

    private BoundedCborParser(byte[] data, int offset, int length, int maxDepth) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
        this.maxDepth = maxDepth;
    }

    /** Parses exactly one item filling {@code data[offset, offset+length)}. */
    static CborValue parseSingle(byte[] data, int offset, int length, int maxDepth) throws BeaconDecodeException {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside array of " + data.length);
        }
        BoundedCborParser p = new BoundedCborParser(data, offset, length, maxDepth);
        if (length == 0) {
            throw new BeaconDecodeException(Reason.TRUNCATED, "empty datagram");
        }
        CborValue v = p.item(0);
        if (p.pos != p.end) {
            throw new BeaconDecodeException(Reason.TRAILING_BYTES,
                    (p.end - p.pos) + " byte(s) after the beacon at offset " + (p.pos - offset));
        }
        return v;
    }

    private int remaining() {
        return end - pos;
    }

    private int u8() throws BeaconDecodeException {
        if (pos >= end) {
            throw new BeaconDecodeException(Reason.TRUNCATED, "input ends at offset " + pos);
        }
        return data[pos++] & 0xff;
    }

    private long argument(int info) throws BeaconDecodeException {
        if (info < 24) {
            return info;
        }
        int n = switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw new BeaconDecodeException(Reason.MALFORMED_CBOR,
                    "reserved additional information " + info + " at offset " + (pos - 1));
        };
        if (remaining() < n) {
            throw new BeaconDecodeException(Reason.TRUNCATED, "a " + n + "-byte argument is cut off at offset " + pos);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    /** Checks a claimed byte length against the remaining input and returns it as an int. */
    private int claimedLength(long claimed, String what) throws BeaconDecodeException {
        if (Long.compareUnsigned(claimed, remaining()) > 0) {
            throw new BeaconDecodeException(Reason.LENGTH_EXCEEDS_INPUT, what + " claims "
                    + Long.toUnsignedString(claimed) + " bytes but only " + remaining() + " remain at offset " + pos);
        }
        return (int) claimed;
    }

    /** Checks a claimed item count: each item needs at least {@code minBytesPerItem} bytes. */
    private int claimedCount(long claimed, int minBytesPerItem, String what) throws BeaconDecodeException {
        if (Long.compareUnsigned(claimed, remaining() / minBytesPerItem) > 0) {
            throw new BeaconDecodeException(Reason.LENGTH_EXCEEDS_INPUT, what + " claims "
                    + Long.toUnsignedString(claimed) + " items but only " + remaining() + " bytes remain at offset " + pos);
        }
        return (int) claimed;
    }

    private CborValue item(int depth) throws BeaconDecodeException {
        if (depth > maxDepth) {
            throw new BeaconDecodeException(Reason.TOO_DEEP, "nesting deeper than " + maxDepth + " at offset " + pos);
        }
        int start = pos;
        int ib = u8();
        int major = ib >>> 5;
        int info = ib & 0x1f;
        if (info == 31) {
            return indefinite(major, depth, start);
        }
        long arg = argument(info);
        return switch (major) {
            case 0 -> new CborValue.UInt(arg);
            case 1 -> new CborValue.NegInt(arg);
            case 2 -> new CborValue.Bytes(take(claimedLength(arg, "byte string")));
            case 3 -> new CborValue.Text(utf8(take(claimedLength(arg, "text string")), start));
            case 4 -> {
                int n = claimedCount(arg, 1, "array");
                List<CborValue> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(item(depth + 1));
                }
                yield new CborValue.Array(items);
            }
            case 5 -> {
                int n = claimedCount(arg, 2, "map");
                List<CborValue.Entry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(new CborValue.Entry(item(depth + 1), item(depth + 1)));
                }
                yield new CborValue.MapValue(entries);
            }
            case 6 -> new CborValue.Tagged(arg, item(depth + 1));
            default -> simpleOrFloat(info, arg);
        };
    }

    private CborValue simpleOrFloat(int info, long arg) throws BeaconDecodeException {
        return switch (info) {
            case 25 -> new CborValue.FloatValue(Float.float16ToFloat((short) arg));
            case 26 -> new CborValue.FloatValue(Float.intBitsToFloat((int) arg));
            case 27 -> new CborValue.FloatValue(Double.longBitsToDouble(arg));
            case 24 -> {
                if (arg < 32) {
                    throw new BeaconDecodeException(Reason.MALFORMED_CBOR, "two-byte simple value " + arg + " below 32");
                }
                yield new CborValue.Simple((int) arg);
            }
            default -> new CborValue.Simple((int) arg);
        };
    }

    private CborValue indefinite(int major, int depth, int start) throws BeaconDecodeException {
        switch (major) {
            case 2, 3 -> {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                while (true) {
                    if (peekBreak()) {
                        pos++;
                        break;
                    }
                    int ib = u8();
                    if (ib >>> 5 != major || (ib & 0x1f) == 31) {
                        throw new BeaconDecodeException(Reason.MALFORMED_CBOR,
                                "indefinite string holds a chunk of another type at offset " + (pos - 1));
                    }
                    int n = claimedLength(argument(ib & 0x1f), "string chunk");
                    out.write(data, pos, n);
                    pos += n;
                }
                byte[] all = out.toByteArray();
                return major == 2 ? new CborValue.Bytes(all) : new CborValue.Text(utf8(all, start));
            }
            case 4 -> {
                List<CborValue> items = new ArrayList<>();
                while (!peekBreak()) {
                    items.add(item(depth + 1));
                }
                pos++;
                return new CborValue.Array(items);
            }
            case 5 -> {
                List<CborValue.Entry> entries = new ArrayList<>();
                while (!peekBreak()) {
                    entries.add(new CborValue.Entry(item(depth + 1), item(depth + 1)));
                }
                pos++;
                return new CborValue.MapValue(entries);
            }
            case 7 -> throw new BeaconDecodeException(Reason.MALFORMED_CBOR, "unexpected break at offset " + start);
            default -> throw new BeaconDecodeException(Reason.MALFORMED_CBOR,
                    "major type " + major + " cannot have indefinite length (offset " + start + ")");
        }
    }

    private boolean peekBreak() throws BeaconDecodeException {
        if (pos >= end) {
            throw new BeaconDecodeException(Reason.TRUNCATED, "indefinite-length item not terminated");
        }
        return (data[pos] & 0xff) == BREAK;
    }

    private byte[] take(int n) {
        byte[] b = new byte[n];
        System.arraycopy(data, pos, b, 0, n);
        pos += n;
        return b;
    }

    private static String utf8(byte[] bytes, int offset) throws BeaconDecodeException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BeaconDecodeException(Reason.MALFORMED_CBOR, "text string at offset " + offset + " is not UTF-8");
        }
    }
}
