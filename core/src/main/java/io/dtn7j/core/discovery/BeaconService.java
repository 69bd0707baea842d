package io.dtn7j.core.discovery;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One entry of a beacon's service map: an 8-bit tag and its value bytes. dtn7-rs writes the value as a CBOR
 * array of unsigned integers (that is how serde writes a {@code Vec<u8>}); dtn7zero writes a byte string. The
 * codec writes the former and reads both. Known tags: 63 free text, 127 geo location (two big-endian f32),
 * 191 battery percent, 255 postal address; dtn7zero uses 42 = {@code "unicast"} for its unicast replies.
 *
 * @param tag 0..255
 * @param value the value bytes (copied; never exposed mutably)
 */
public record BeaconService(int tag, byte[] value) {

    /** Free text (UTF-8, up to 64 characters). */
    public static final int TAG_TEXT = 63;
    /** Geo location: latitude and longitude as big-endian f32. */
    public static final int TAG_GEO_LOCATION = 127;
    /** Battery level in percent (one byte). */
    public static final int TAG_BATTERY = 191;
    /** Postal address (UTF-8). */
    public static final int TAG_ADDRESS = 255;
    /** dtn7zero's marker for a beacon sent as a unicast reply. */
    public static final int TAG_DTN7ZERO_UNICAST = 42;

    /** Validates the tag and copies the value. */
    public BeaconService {
        if (tag < 0 || tag > 255) {
            throw new IllegalArgumentException("service tag " + tag + " is outside 0..255");
        }
        value = value.clone();
    }

    /** {@return a copy of the value bytes} */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** {@return number of value bytes} */
    public int length() {
        return value.length;
    }

    int byteAt(int i) {
        return value[i] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BeaconService s && s.tag == tag && Arrays.equals(s.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "BeaconService[tag=" + tag + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
