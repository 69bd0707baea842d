package io.dtn7j.bundle;

import io.dtn7j.bundle.cbor.CborReader;

/**
 * Content of a hop count block (RFC 9171 §4.4.3): {@code [hop limit, hop count]}.
 *
 * @param limit hop limit (RFC 9171: 1..255)
 * @param count hops so far
 */
public record HopCountBlock(long limit, long count) {
    static HopCountBlock read(ByteSource data) {
        CborReader r = ExtensionData.reader(data, "hop count block");
        r.readArrayHeader("hop count", 2);
        long limit = r.readUnsigned("hop limit");
        long count = r.readUnsigned("hop count");
        ExtensionData.requireEnd(r, "hop count block");
        return new HopCountBlock(limit, count);
    }

    /**
     * {@return whether the count exceeds the limit (RFC 9171 §4.4.3: the bundle is then to be deleted)}
     */
    public boolean isExceeded() {
        return Long.compareUnsigned(count, limit) > 0;
    }

    /** {@return the content after one more hop} */
    public HopCountBlock incremented() {
        return new HopCountBlock(limit, count + 1);
    }

    /**
     * This content as a canonical block.
     *
     * @param number the block number to give the block
     * @param crcType the CRC type of the block
     * @return a hop count block (type 10) holding this content
     */
    public CanonicalBlock toBlock(long number, CrcType crcType) {
        return CanonicalBlock.hopCount(number, limit, count, crcType);
    }
}
