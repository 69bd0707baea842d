package io.dtn7j.bundle;

import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.codec.EidCodec;

/**
 * Content of a previous node block (RFC 9171 §4.4.1): the node ID of the node that forwarded the bundle.
 *
 * @param node the forwarding node's ID
 */
public record PreviousNodeBlock(EndpointId node) {
    /** Largest block data this view will parse. */
    static final int MAX_DATA = 64 * 1024;

    static PreviousNodeBlock read(ByteSource data) {
        CborReader r = ExtensionData.reader(data, "previous node block");
        EndpointId eid = EidCodec.read(r, "previous node", false);
        ExtensionData.requireEnd(r, "previous node block");
        return new PreviousNodeBlock(eid);
    }

    /**
     * This content as a canonical block.
     *
     * @param number the block number to give the block
     * @param crcType the CRC type of the block
     * @return a previous node block (type 6) holding this content
     */
    public CanonicalBlock toBlock(long number, CrcType crcType) {
        return CanonicalBlock.previousNode(number, node, crcType);
    }
}
