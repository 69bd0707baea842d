package io.dtn7j.daemon.cli.tools;

import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.cbor.CborWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The CBOR messages of the {@code /ws} data mode (dtn7-compat.md §6.4): {@code WsSendData} that a client sends and
 * {@code WsRecvData} that the daemon delivers, both CBOR maps with text keys as serde writes them.
 */
final class WsData {

    private WsData() {
    }

    /** What a client sends in data mode. */
    record Send(String src, String dst, boolean deliveryNotification, long lifetimeMs, byte[] data) {
        /** The CBOR map {@code {src, dst, delivery_notification, lifetime, data}} in serde's field order. */
        byte[] encode() {
            CborWriter w = new CborWriter(64 + data.length);
            w.writeHead(5, 5);
            w.writeTextString("src").writeTextString(src);
            w.writeTextString("dst").writeTextString(dst);
            w.writeTextString("delivery_notification");
            w.writeHead(7, deliveryNotification ? 21 : 20);
            w.writeTextString("lifetime").writeUnsigned(lifetimeMs);
            w.writeTextString("data").writeByteString(data);
            return w.toByteArray();
        }
    }

    /** What the daemon delivers in data mode. */
    record Recv(String bid, String src, String dst, long creationTime, long sequence, long lifetimeMs, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Recv r && r.bid.equals(bid) && r.src.equals(src) && r.dst.equals(dst)
                    && r.creationTime == creationTime && r.sequence == sequence && r.lifetimeMs == lifetimeMs
                    && Arrays.equals(r.data, data);
        }

        @Override
        public int hashCode() {
            return bid.hashCode();
        }

        /** Encodes it as dtnd does (used by tests' fake daemon). */
        byte[] encode() {
            CborWriter w = new CborWriter(96 + data.length);
            w.writeHead(5, 6);
            w.writeTextString("bid").writeTextString(bid);
            w.writeTextString("src").writeTextString(src);
            w.writeTextString("dst").writeTextString(dst);
            w.writeTextString("cts").writeArrayHeader(2).writeUnsigned(creationTime).writeUnsigned(sequence);
            w.writeTextString("lifetime").writeUnsigned(lifetimeMs);
            w.writeTextString("data").writeByteString(data);
            return w.toByteArray();
        }
    }

    /** Decodes a {@code WsSendData} map (used by tests' fake daemon and the echo service's checks). */
    static Send decodeSend(byte[] cbor) throws ApiException {
        String[] src = {null};
        String[] dst = {null};
        boolean[] dn = {false};
        long[] lifetime = {-1};
        byte[][] data = {null};
        readMap(cbor, "WsSendData", (key, r) -> {
            switch (key) {
                case "src" -> src[0] = r.readTextString("src");
                case "dst" -> dst[0] = r.readTextString("dst");
                case "delivery_notification" -> dn[0] = readBool(r);
                case "lifetime" -> lifetime[0] = r.readUnsigned("lifetime");
                case "data" -> data[0] = readData(r);
                default -> r.skipItem();
            }
        });
        if (src[0] == null || dst[0] == null || lifetime[0] < 0 || data[0] == null) {
            throw ApiException.failure("WsSendData lacks src, dst, lifetime or data", null);
        }
        return new Send(src[0], dst[0], dn[0], lifetime[0], data[0]);
    }

    /** Decodes a {@code WsRecvData} map as dtnd sends it. */
    static Recv decodeRecv(byte[] cbor) throws ApiException {
        String[] s = new String[3];
        long[] n = {0, 0, 0};
        byte[][] data = {null};
        readMap(cbor, "WsRecvData", (key, r) -> {
            switch (key) {
                case "bid" -> s[0] = r.readTextString("bid");
                case "src" -> s[1] = r.readTextString("src");
                case "dst" -> s[2] = r.readTextString("dst");
                case "cts" -> {
                    r.readArrayHeader("cts", 2);
                    n[0] = r.readUnsigned("cts time");
                    n[1] = r.readUnsigned("cts sequence");
                }
                case "lifetime" -> n[2] = r.readUnsigned("lifetime");
                case "data" -> data[0] = readData(r);
                default -> r.skipItem();
            }
        });
        if (s[0] == null || s[1] == null || s[2] == null || data[0] == null) {
            throw ApiException.failure("WsRecvData from the daemon lacks bid, src, dst or data", null);
        }
        return new Recv(s[0], s[1], s[2], n[0], n[1], n[2], data[0]);
    }

    private interface FieldReader {
        void read(String key, CborReader r);
    }

    private static void readMap(byte[] cbor, String what, FieldReader fields) throws ApiException {
        try {
            CborReader r = new CborReader(cbor);
            long count = mapHeader(r, what);
            for (long i = 0; count < 0 ? !r.peekBreak() : i < count; i++) {
                if (r.peekMajorType() != CborReader.TEXT) {
                    r.skipItem();
                    r.skipItem();
                    continue;
                }
                fields.read(r.readTextString("key"), r);
            }
            if (count < 0) {
                r.readBreak();
            }
            if (!r.atEnd()) {
                throw ApiException.failure(what + " has " + r.remaining() + " trailing bytes", null);
            }
        } catch (BundleException | IllegalArgumentException e) {
            throw ApiException.failure("cannot decode " + what + ": " + e.getMessage(), e);
        }
    }

    /** Reads a map head; -1 for an indefinite map. */
    private static long mapHeader(CborReader r, String what) throws ApiException {
        int ib = r.peekByte();
        if (ib >>> 5 != CborReader.MAP) {
            throw ApiException.failure(what + " is not a CBOR map", null);
        }
        int ai = ib & 0x1f;
        if (ai == 31) {
            r.skipBytes(1);
            return -1;
        }
        if (ai < 24) {
            r.skipBytes(1);
            return ai;
        }
        int len = switch (ai) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            default -> throw ApiException.failure(what + " has an absurd number of entries", null);
        };
        byte[] head = r.readBytes("map head", 1 + len);
        long n = 0;
        for (int i = 1; i < head.length; i++) {
            n = (n << 8) | (head[i] & 0xff);
        }
        if (n > r.remaining()) {
            throw ApiException.failure(what + " claims " + n + " entries in " + r.remaining() + " bytes", null);
        }
        return n;
    }

    private static boolean readBool(CborReader r) {
        int b = r.peekByte();
        if (b == 0xf4 || b == 0xf5) {
            r.skipBytes(1);
            return b == 0xf5;
        }
        r.skipItem();
        return false;
    }

    /** A byte string, or (as serde_bytes also accepts) an array of uints or a text string. */
    private static byte[] readData(CborReader r) {
        return switch (r.peekMajorType()) {
            case CborReader.TEXT -> r.readTextString("data").getBytes(StandardCharsets.UTF_8);
            case CborReader.ARRAY -> {
                long n = r.readArrayHeader("data", false);
                if (n > r.remaining()) {
                    throw new IllegalArgumentException("data array claims " + n + " elements");
                }
                byte[] out = new byte[(int) n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) r.readUnsigned("data byte", 255);
                }
                yield out;
            }
            default -> r.readByteString("data");
        };
    }
}
