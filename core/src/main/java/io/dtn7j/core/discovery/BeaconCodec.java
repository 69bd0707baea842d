package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.EidCodec;
import io.dtn7j.core.discovery.BeaconDecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Encodes and decodes IPND beacons in the CBOR layout of dtn7-rs ({@code rs:src/ipnd/beacon.rs}):
 * a definite array {@code [7, flags, nodeEID, sequenceNumber, [serviceBlock], [periodSeconds]]} where the service
 * block is {@code [[[claName, port|null], ...], {tag: [uint, ...], ...}]}.
 *
 * <p>Encoding is byte-exact with dtn7-rs (shortest integer forms, definite lengths). Decoding is strict about
 * well-formedness (never trusts a length, limits nesting, rejects trailing bytes) and tolerant about what other
 * implementations send: element order after the flags may vary as dtn7zero allows, service values may be byte
 * strings (dtn7zero) or arrays of uints (dtn7-rs), arrays may be indefinite.
 */
public final class BeaconCodec {

    /** Default largest datagram the decoder accepts (dtn7-rs reads into a 64 KiB buffer). */
    public static final int DEFAULT_MAX_BEACON_SIZE = 64 * 1024;
    private static final int MAX_DEPTH = 8;

    private BeaconCodec() {
    }

    // ------------------------------------------------------------------------------------------ encoding

    /**
     * The CBOR bytes of a beacon, as dtn7-rs would send it.
     *
     * @param beacon the beacon
     * @return its encoding
     */
    public static byte[] encode(Beacon beacon) {
        Writer w = new Writer();
        boolean hasServices = beacon.hasServiceBlock();
        boolean hasPeriod = beacon.periodSeconds().isPresent();
        w.head(4, 4 + (hasServices ? 1 : 0) + (hasPeriod ? 1 : 0));
        w.head(0, Beacon.VERSION);
        w.head(0, beacon.flags());
        writeEid(w, beacon.nodeId());
        w.head(0, beacon.sequenceNumber());
        if (hasServices) {
            w.head(4, 2);
            w.head(4, beacon.clas().size());
            for (ClaAdvertisement cla : beacon.clas()) {
                w.head(4, 2);
                w.text(cla.name());
                if (cla.port() == null) {
                    w.raw(0xf6);
                } else {
                    w.head(0, cla.port());
                }
            }
            w.head(5, beacon.services().size());
            for (BeaconService s : beacon.services()) {
                w.head(0, s.tag());
                w.head(4, s.length());
                for (int i = 0; i < s.length(); i++) {
                    w.head(0, s.byteAt(i));
                }
            }
        }
        if (hasPeriod) {
            w.head(0, beacon.periodSeconds().getAsLong());
        }
        return w.toByteArray();
    }

    /** Writes an EID in its RFC 9171 CBOR form, exactly as the bundle codec does. */
    static void writeEid(Writer w, EndpointId eid) {
        w.raw(EidCodec.encode(eid));
    }

    /** Minimal CBOR writer: shortest-form heads, text, raw bytes. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        void head(int major, long value) {
            int mt = major << 5;
            if (Long.compareUnsigned(value, 24) < 0) {
                out.write(mt | (int) value);
            } else if (Long.compareUnsigned(value, 0xff) <= 0) {
                out.write(mt | 24);
                out.write((int) value);
            } else if (Long.compareUnsigned(value, 0xffff) <= 0) {
                out.write(mt | 25);
                bigEndian(value, 2);
            } else if (Long.compareUnsigned(value, 0xffff_ffffL) <= 0) {
                out.write(mt | 26);
                bigEndian(value, 4);
            } else {
                out.write(mt | 27);
                bigEndian(value, 8);
            }
        }

        private void bigEndian(long value, int n) {
            for (int i = n - 1; i >= 0; i--) {
                out.write((int) (value >>> (8 * i)));
            }
        }

        void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(3, b.length);
            out.writeBytes(b);
        }

        void raw(int b) {
            out.write(b);
        }

        void raw(byte[] b) {
            out.writeBytes(b);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------------ decoding

    /**
     * Decodes a whole datagram with the default size limit.
     *
     * @param datagram the received datagram
     * @return the beacon
     * @throws BeaconDecodeException with a reason when the bytes are not a usable beacon
     */
    public static Beacon decode(byte[] datagram) throws BeaconDecodeException {
        return decode(datagram, 0, datagram.length, DEFAULT_MAX_BEACON_SIZE);
    }

    /**
     * Decodes {@code data[offset, offset+length)} as one beacon.
     *
     *
     * @param data the array holding the datagram
     * @param offset index in {@code data} of the first byte
     * @param length number of bytes
     * @param maxBeaconSize the largest length accepted
     * @throws BeaconDecodeException with a reason when the bytes are not a usable beacon; never anything else
     *                               for any input
     * @return the beacon
     */
    public static Beacon decode(byte[] data, int offset, int length, int maxBeaconSize) throws BeaconDecodeException {
        if (length > maxBeaconSize) {
            throw new BeaconDecodeException(Reason.TOO_LARGE,
                    "datagram of " + length + " bytes exceeds the maximum beacon size of " + maxBeaconSize);
        }
        CborValue top = BoundedCborParser.parseSingle(data, offset, length, MAX_DEPTH);
        if (!(top instanceof CborValue.Array arr)) {
            throw new BeaconDecodeException(Reason.NOT_A_BEACON, "top-level item is " + kind(top) + ", not an array");
        }
        List<CborValue> items = arr.items();
        if (items.size() < 4 || items.size() > 6) {
            throw new BeaconDecodeException(Reason.NOT_A_BEACON,
                    "beacon array has " + items.size() + " elements, expected 4 to 6");
        }
        if (!(items.get(0) instanceof CborValue.UInt version)) {
            throw new BeaconDecodeException(Reason.NOT_A_BEACON, "version is " + kind(items.get(0)) + ", not an unsigned integer");
        }
        if (version.value() != Beacon.VERSION) {
            throw new BeaconDecodeException(Reason.WRONG_VERSION,
                    "version " + version + ", only " + Beacon.VERSION + " is understood");
        }
        if (!(items.get(1) instanceof CborValue.UInt flagsValue)) {
            throw new BeaconDecodeException(Reason.NOT_A_BEACON, "flags are " + kind(items.get(1)) + ", not an unsigned integer");
        }
        if (!flagsValue.fitsIn(0xff)) {
            throw new BeaconDecodeException(Reason.VALUE_OUT_OF_RANGE, "flags " + flagsValue + " do not fit in 8 bits");
        }
        int flags = (int) flagsValue.value();

        // Order-tolerant like dtn7zero: the EID is the array starting with a scheme number, the service block the
        // array whose first element is an array (or an empty array), the first integer the sequence number and a
        // second integer the period.
        EndpointId eid = null;
        Long sequence = null;
        Long period = null;
        List<ClaAdvertisement> clas = null;
        List<BeaconService> services = null;
        for (int i = 2; i < items.size(); i++) {
            CborValue v = items.get(i);
            if (v instanceof CborValue.UInt u) {
                if (sequence == null) {
                    if (!u.fitsIn(Beacon.MAX_SEQUENCE_NUMBER)) {
                        throw new BeaconDecodeException(Reason.VALUE_OUT_OF_RANGE,
                                "sequence number " + u + " does not fit in 32 bits");
                    }
                    sequence = u.value();
                } else if (period == null) {
                    if (!u.fitsIn(0xffff_ffffL)) {
                        throw new BeaconDecodeException(Reason.VALUE_OUT_OF_RANGE, "beacon period " + u + " s is absurd");
                    }
                    period = u.value();
                } else {
                    throw new BeaconDecodeException(Reason.NOT_A_BEACON, "element " + i + " is a third integer");
                }
            } else if (v instanceof CborValue.Array a && isEidShape(a)) {
                if (eid != null) {
                    throw new BeaconDecodeException(Reason.NOT_A_BEACON, "element " + i + " is a second endpoint ID");
                }
                eid = readEid(a);
            } else if (v instanceof CborValue.Array a) {
                if (clas != null) {
                    throw new BeaconDecodeException(Reason.NOT_A_BEACON, "element " + i + " is a second service block");
                }
                clas = new ArrayList<>();
                services = new ArrayList<>();
                readServiceBlock(a, clas, services);
            } else {
                throw new BeaconDecodeException(Reason.NOT_A_BEACON, "element " + i + " is " + kind(v)
                        + ", expected the node EID, sequence number, service block or period");
            }
        }
        if (eid == null) {
            throw new BeaconDecodeException(Reason.INVALID_EID, "the beacon carries no node EID");
        }
        if (sequence == null) {
            throw new BeaconDecodeException(Reason.NOT_A_BEACON, "the beacon carries no sequence number");
        }
        return new Beacon(flags, eid, sequence, clas == null ? List.of() : clas,
                services == null ? List.of() : services, period == null ? OptionalLong.empty() : OptionalLong.of(period));
    }

    static boolean isEidShape(CborValue.Array a) {
        return a.items().size() == 2 && a.items().get(0) instanceof CborValue.UInt;
    }

    static EndpointId readEid(CborValue.Array a) throws BeaconDecodeException {
        long scheme = ((CborValue.UInt) a.items().get(0)).value();
        CborValue ssp = a.items().get(1);
        String text;
        if (scheme == 1 && ssp instanceof CborValue.UInt u && u.value() == 0) {
            text = "dtn:none";
        } else if (scheme == 1 && ssp instanceof CborValue.Text t) {
            if (!t.value().startsWith("//")) {
                throw new BeaconDecodeException(Reason.INVALID_EID, "dtn SSP \"" + t.value() + "\" does not start with //");
            }
            text = "dtn:" + t.value();
        } else if (scheme == 2 && ssp instanceof CborValue.Array nums && (nums.items().size() == 2 || nums.items().size() == 3)
                && nums.items().stream().allMatch(x -> x instanceof CborValue.UInt)) {
            StringBuilder sb = new StringBuilder("ipn:");
            for (int i = 0; i < nums.items().size(); i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(nums.items().get(i));
            }
            text = sb.toString();
        } else {
            throw new BeaconDecodeException(Reason.INVALID_EID,
                    "node EID [" + Long.toUnsignedString(scheme) + ", " + kind(ssp) + "] is neither dtn nor ipn");
        }
        EndpointId eid;
        try {
            eid = EndpointId.parse(text);
        } catch (Exception e) {
            throw new BeaconDecodeException(Reason.INVALID_EID, "node EID " + text + " is invalid: " + e.getMessage());
        }
        if (eid.isNone()) {
            throw new BeaconDecodeException(Reason.INVALID_EID, "node EID is dtn:none");
        }
        return eid;
    }

    private static void readServiceBlock(CborValue.Array block, List<ClaAdvertisement> clas, List<BeaconService> services)
            throws BeaconDecodeException {
        if (block.items().isEmpty()) {
            return;
        }
        if (block.items().size() != 2 || !(block.items().get(0) instanceof CborValue.Array claList)) {
            throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK,
                    "service block must be [clas, services], found an array of " + block.items().size());
        }
        for (CborValue c : claList.items()) {
            if (!(c instanceof CborValue.Array pair) || pair.items().size() != 2
                    || !(pair.items().get(0) instanceof CborValue.Text name)) {
                throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK, "a CLA entry is not [name, port]");
            }
            if (name.value().isEmpty()) {
                throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK, "a CLA entry has an empty name");
            }
            CborValue port = pair.items().get(1);
            if (port instanceof CborValue.Simple s && s.value() == CborValue.Simple.NULL) {
                clas.add(new ClaAdvertisement(name.value(), null));
            } else if (port instanceof CborValue.UInt u) {
                if (!u.fitsIn(65535)) {
                    throw new BeaconDecodeException(Reason.VALUE_OUT_OF_RANGE, "CLA " + name.value() + " port " + u + " exceeds 65535");
                }
                clas.add(new ClaAdvertisement(name.value(), (int) u.value()));
            } else {
                throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK,
                        "CLA " + name.value() + " port is " + kind(port) + ", not an integer or null");
            }
        }
        if (!(block.items().get(1) instanceof CborValue.MapValue map)) {
            throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK,
                    "services are " + kind(block.items().get(1)) + ", not a map");
        }
        for (CborValue.Entry e : map.entries()) {
            if (!(e.key() instanceof CborValue.UInt tag) || !tag.fitsIn(255)) {
                throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK, "a service tag is not an integer 0..255");
            }
            byte[] value;
            if (e.value() instanceof CborValue.Bytes b) {
                value = b.value();
            } else if (e.value() instanceof CborValue.Array a) {
                value = new byte[a.items().size()];
                for (int i = 0; i < value.length; i++) {
                    if (!(a.items().get(i) instanceof CborValue.UInt u) || !u.fitsIn(255)) {
                        throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK,
                                "service " + tag + " value element " + i + " is not a byte 0..255");
                    }
                    value[i] = (byte) u.value();
                }
            } else {
                throw new BeaconDecodeException(Reason.INVALID_SERVICE_BLOCK,
                        "service " + tag + " value is " + kind(e.value()) + ", not bytes or an array of bytes");
            }
            services.add(new BeaconService((int) tag.value(), value));
        }
    }

    private static String kind(CborValue v) {
        return switch (v) {
            case CborValue.UInt u -> "the integer " + u;
            case CborValue.NegInt n -> "a negative integer";
            case CborValue.Bytes b -> "a byte string";
            case CborValue.Text t -> "a text string";
            case CborValue.Array a -> "an array of " + a.items().size();
            case CborValue.MapValue m -> "a map";
            case CborValue.Tagged t -> "a tagged item";
            case CborValue.Simple s -> "the simple value " + s.value();
            case CborValue.FloatValue f -> "a float";
        };
    }
}
