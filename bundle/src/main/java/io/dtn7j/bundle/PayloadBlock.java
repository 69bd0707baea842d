package io.dtn7j.bundle;

/**
 * The payload block's content (RFC 9171 §4.3.3): the application data unit, or a fragment of it.
 *
 * @param data the payload bytes
 */
public record PayloadBlock(ByteSource data) {
    /**
     * This content as a canonical block (number 1).
     *
     * @param crcType the CRC type of the block
     * @return a payload block (type 1) holding this content
     */
    public CanonicalBlock toBlock(CrcType crcType) {
        return CanonicalBlock.payload(data, crcType);
    }
}
