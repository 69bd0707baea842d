package io.dtn7j.bundle;

import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.bundle.codec.EidCodec;

import java.util.Objects;

/**
 * A canonical block (RFC 9171 §4.3.2): type code, block number, flags, CRC type and the block-type-specific
 * data (the content of the block's byte string). Blocks of unknown type are kept as they are; the codec
 * re-encodes a decoded block from its received bytes as long as it is unchanged.
 *
 * <p>Typed views read the data of the known extension blocks: {@link #asPreviousNode()},
 * {@link #asBundleAge()}, {@link #asHopCount()}; the factories {@link #payload}, {@link #previousNode},
 * {@link #bundleAge} and {@link #hopCount} create them.
 *
 * @param type     block type code (see {@link BlockType})
 * @param number   block number, unique within the bundle; 1 for the payload block
 * @param flags    block processing control flags
 * @param crcType  CRC type
 * @param data     block-type-specific data
 */
public record CanonicalBlock(long type, long number, BlockFlags flags, CrcType crcType, ByteSource data) {

    /** Checks that no field is null. */
    public CanonicalBlock {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(crcType, "crcType");
        Objects.requireNonNull(data, "data");
    }

    /**
     * A payload block (type 1, number 1, no flags).
     *
     * @param data the payload
     * @param crcType the CRC type of the block
     * @return the block
     */
    public static CanonicalBlock payload(ByteSource data, CrcType crcType) {
        return new CanonicalBlock(BlockType.PAYLOAD, 1, BlockFlags.NONE, crcType, data);
    }

    /**
     * A previous node block (type 6) naming {@code node}.
     *
     * @param number the block number
     * @param node the previous node's endpoint ID
     * @param crcType the CRC type of the block
     * @return the block
     */
    public static CanonicalBlock previousNode(long number, EndpointId node, CrcType crcType) {
        return new CanonicalBlock(BlockType.PREVIOUS_NODE, number, BlockFlags.NONE, crcType,
                ByteSource.of(EidCodec.encode(node)));
    }

    /**
     * A bundle age block (type 7) with the age in milliseconds.
     *
     * @param number the block number
     * @param ageMs the bundle's age in milliseconds
     * @param crcType the CRC type of the block
     * @return the block
     */
    public static CanonicalBlock bundleAge(long number, long ageMs, CrcType crcType) {
        CborWriter w = new CborWriter(9);
        w.writeUnsigned(ageMs);
        return new CanonicalBlock(BlockType.BUNDLE_AGE, number, BlockFlags.NONE, crcType, ByteSource.of(w.toByteArray()));
    }

    /**
     * A hop count block (type 10): {@code [limit, count]}.
     *
     * @param number the block number
     * @param limit the hop limit
     * @param count the hops taken so far
     * @param crcType the CRC type of the block
     * @return the block
     */
    public static CanonicalBlock hopCount(long number, long limit, long count, CrcType crcType) {
        CborWriter w = new CborWriter(10);
        w.writeArrayHeader(2).writeUnsigned(limit).writeUnsigned(count);
        return new CanonicalBlock(BlockType.HOP_COUNT, number, BlockFlags.NONE, crcType, ByteSource.of(w.toByteArray()));
    }

    /** {@return whether this is the payload block (type 1)} */
    public boolean isPayload() {
        return type == BlockType.PAYLOAD;
    }

    /**
     * A copy with other data (and so without the received encoding).
     *
     * @param d the new block-type-specific data
     * @return the copy
     */
    public CanonicalBlock withData(ByteSource d) {
        return new CanonicalBlock(type, number, flags, crcType, d);
    }

    /**
     * A copy with another block number.
     *
     * @param n the new block number
     * @return the copy
     */
    public CanonicalBlock withNumber(long n) {
        return new CanonicalBlock(type, n, flags, crcType, data);
    }

    /**
     * A copy with other flags.
     *
     * @param f the new block processing control flags
     * @return the copy
     */
    public CanonicalBlock withFlags(BlockFlags f) {
        return new CanonicalBlock(type, number, f, crcType, data);
    }

    /**
     * A copy with another CRC type.
     *
     * @param c the new CRC type
     * @return the copy
     */
    public CanonicalBlock withCrcType(CrcType c) {
        return new CanonicalBlock(type, number, flags, c, data);
    }

    /**
     * {@return the previous node block's content}
     *
     * @throws IllegalStateException if this is not a previous node block
     * @throws BundleDecodeException if the data is not exactly one valid EID
     */
    public PreviousNodeBlock asPreviousNode() {
        requireType(BlockType.PREVIOUS_NODE);
        return PreviousNodeBlock.read(data);
    }

    /**
     * {@return the bundle age block's content}
     *
     * @throws IllegalStateException if this is not a bundle age block
     * @throws BundleDecodeException if the data is not exactly one unsigned integer
     */
    public BundleAgeBlock asBundleAge() {
        requireType(BlockType.BUNDLE_AGE);
        return BundleAgeBlock.read(data);
    }

    /**
     * {@return the hop count block's content}
     *
     * @throws IllegalStateException if this is not a hop count block
     * @throws BundleDecodeException if the data is not exactly {@code [limit, count]}
     */
    public HopCountBlock asHopCount() {
        requireType(BlockType.HOP_COUNT);
        return HopCountBlock.read(data);
    }

    private void requireType(long t) {
        if (type != t) {
            throw new IllegalStateException("block " + number + " is a " + BlockType.name(type) + " block, not "
                    + BlockType.name(t));
        }
    }
}
