package io.dtn7j.bundle;

import io.dtn7j.bundle.cbor.CborReader;

/**
 * Content of a bundle age block (RFC 9171 §4.4.2): milliseconds elapsed since the bundle's creation.
 *
 * @param ageMs age in milliseconds (unsigned)
 */
public record BundleAgeBlock(long ageMs) {
    static BundleAgeBlock read(ByteSource data) {
        CborReader r = ExtensionData.reader(data, "bundle age block");
        long age = r.readUnsigned("bundle age");
        ExtensionData.requireEnd(r, "bundle age block");
        return new BundleAgeBlock(age);
    }

    /**
     * This content as a canonical block.
     *
     * @param number the block number to give the block
     * @param crcType the CRC type of the block
     * @return a bundle age block (type 7) holding this content
     */
    public CanonicalBlock toBlock(long number, CrcType crcType) {
        return CanonicalBlock.bundleAge(number, ageMs, crcType);
    }
}
