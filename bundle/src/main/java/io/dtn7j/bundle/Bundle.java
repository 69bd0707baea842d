package io.dtn7j.bundle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bundle: the primary block and the canonical blocks in wire order (the payload block last).
 *
 * <p>Immutable. A bundle made by the codec also remembers the exact bytes each block was received in; an
 * unchanged block (the same {@link CanonicalBlock} instance, or the same primary block) is re-encoded from
 * those bytes, so unknown blocks and lenient encodings are forwarded byte-exact. Withers keep the received
 * bytes of the blocks they keep.
 *
 * <p>Equality compares the primary block and the blocks, not the received bytes.
 */
public final class Bundle {
    private final PrimaryBlock primary;
    private final List<CanonicalBlock> blocks;
    private final ByteSource primaryEncoding;
    private final ByteSource[] blockEncodings;

    private Bundle(PrimaryBlock primary, List<CanonicalBlock> blocks, ByteSource primaryEncoding, ByteSource[] encodings) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.blocks = blocks;
        this.primaryEncoding = primaryEncoding;
        this.blockEncodings = encodings;
    }

    /**
     * A bundle of the given blocks, in the given wire order. No RFC rule is checked here.
     *
     * @param primary the primary block
     * @param blocks the canonical blocks, in wire order
     * @return the bundle
     */
    public static Bundle of(PrimaryBlock primary, List<CanonicalBlock> blocks) {
        List<CanonicalBlock> copy = List.copyOf(blocks);
        return new Bundle(primary, copy, null, new ByteSource[copy.size()]);
    }

    /**
     * For codecs: a bundle that remembers the exact encodings its blocks were received in. The caller
     * vouches that each encoding is exactly the encoding of the corresponding block; a null entry means
     * "not known".
     *
     * @param primary the primary block
     * @param primaryEncoding the exact received encoding of the primary block, or null if not known
     * @param blocks the canonical blocks, in wire order
     * @param blockEncodings the received encoding of each block, index for index, null entries where not known
     * @return the bundle
     */
    public static Bundle ofReceived(PrimaryBlock primary, ByteSource primaryEncoding, List<CanonicalBlock> blocks,
                                    List<ByteSource> blockEncodings) {
        if (blocks.size() != blockEncodings.size()) {
            throw new IllegalArgumentException(blocks.size() + " blocks but " + blockEncodings.size() + " encodings");
        }
        return new Bundle(primary, List.copyOf(blocks), primaryEncoding, blockEncodings.toArray(new ByteSource[0]));
    }

    /** {@return a builder for new bundles} */
    public static BundleBuilder builder() {
        return new BundleBuilder();
    }

    /** {@return the primary block} */
    public PrimaryBlock primary() {
        return primary;
    }

    /** {@return the canonical blocks in wire order (unmodifiable)} */
    public List<CanonicalBlock> blocks() {
        return blocks;
    }

    /**
     * {@return the received encoding of the primary block, if this bundle was decoded and the block not
     * replaced}
     */
    public Optional<ByteSource> receivedPrimaryEncoding() {
        return Optional.ofNullable(primaryEncoding);
    }

    /**
     * The received encoding of the block at {@code index} in {@link #blocks()}, if known.
     *
     * @param index the block's index in {@link #blocks()}
     * @return the encoding the block was received in, or empty if not known
     */
    public Optional<ByteSource> receivedEncoding(int index) {
        return Optional.ofNullable(blockEncodings[index]);
    }

    /** {@return the source EID} */
    public EndpointId source() {
        return primary.source();
    }

    /** {@return the destination EID} */
    public EndpointId destination() {
        return primary.destination();
    }

    /** {@return the report-to EID} */
    public EndpointId reportTo() {
        return primary.reportTo();
    }

    /** {@return the bundle processing control flags} */
    public BundleFlags flags() {
        return primary.flags();
    }

    /** {@return the creation timestamp} */
    public CreationTimestamp creation() {
        return primary.creation();
    }

    /** {@return the bundle's ID (with fragment offset and payload length for fragments)} */
    public BundleId id() {
        FragmentInfo f = primary.fragment();
        if (f == null) {
            return BundleId.of(primary.source(), primary.creation());
        }
        long len = block(BlockType.PAYLOAD).map(b -> b.data().size()).orElse(0L);
        return new BundleId(primary.source(), primary.creation(), f.offset(), len);
    }

    /** {@return whether the bundle is a fragment} */
    public boolean isFragment() {
        return primary.isFragment();
    }

    /** {@return whether the payload is an administrative record} */
    public boolean isAdministrativeRecord() {
        return primary.flags().isAdministrativeRecord();
    }

    /** {@return whether the bundle has a payload block} */
    public boolean hasPayload() {
        return block(BlockType.PAYLOAD).isPresent();
    }

    /**
     * {@return the payload block}
     *
     * @throws IllegalStateException if there is none (only possible for bundles decoded parse-only or built by hand)
     */
    public CanonicalBlock payloadBlock() {
        return block(BlockType.PAYLOAD).orElseThrow(() -> new IllegalStateException("bundle " + id() + " has no payload block"));
    }

    /** {@return the payload data; see {@link #payloadBlock()}} */
    public ByteSource payload() {
        return payloadBlock().data();
    }

    /** {@return the payload as UTF-8 text (for small payloads)} */
    public String payloadText() {
        return new String(payload().toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * The first block of the given type.
     *
     * @param type the block type code
     * @return the block, or empty if there is none of that type
     */
    public Optional<CanonicalBlock> block(long type) {
        for (CanonicalBlock b : blocks) {
            if (b.type() == type) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /**
     * All blocks of the given type, in wire order.
     *
     * @param type the block type code
     * @return the blocks of that type, possibly none
     */
    public List<CanonicalBlock> blocks(long type) {
        List<CanonicalBlock> out = new ArrayList<>(2);
        for (CanonicalBlock b : blocks) {
            if (b.type() == type) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * The block with the given number.
     *
     * @param number the block number
     * @return the block, or empty if no block has that number
     */
    public Optional<CanonicalBlock> blockByNumber(long number) {
        for (CanonicalBlock b : blocks) {
            if (b.number() == number) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /**
     * {@return the content of the hop count block, if any}
     *
     * @throws BundleDecodeException if it is malformed
     */
    public Optional<HopCountBlock> hopCount() {
        return block(BlockType.HOP_COUNT).map(CanonicalBlock::asHopCount);
    }

    /**
     * {@return the content of the bundle age block, if any}
     *
     * @throws BundleDecodeException if it is malformed
     */
    public Optional<BundleAgeBlock> bundleAge() {
        return block(BlockType.BUNDLE_AGE).map(CanonicalBlock::asBundleAge);
    }

    /**
     * {@return the node named by the previous node block, if any}
     *
     * @throws BundleDecodeException if it is malformed
     */
    public Optional<EndpointId> previousNode() {
        return block(BlockType.PREVIOUS_NODE).map(b -> b.asPreviousNode().node());
    }

    /** {@return one more than the highest block number in use (at least 2)} */
    public long nextBlockNumber() {
        long max = 1;
        for (CanonicalBlock b : blocks) {
            max = Math.max(max, b.number());
        }
        return max + 1;
    }

    /**
     * A copy with another primary block (the blocks keep their received encodings).
     *
     * @param p the new primary block
     * @return the copy
     */
    public Bundle withPrimary(PrimaryBlock p) {
        return new Bundle(p, blocks, p.equals(primary) ? primaryEncoding : null, blockEncodings);
    }

    /**
     * A copy with {@code block} added: it replaces the block with the same number in place; otherwise it is
     * inserted before the payload block (or appended if there is none).
     *
     * @param block the block to add or replace
     * @return the copy
     */
    public Bundle withBlock(CanonicalBlock block) {
        List<CanonicalBlock> list = new ArrayList<>(blocks.size() + 1);
        List<ByteSource> enc = new ArrayList<>(blocks.size() + 1);
        boolean placed = false;
        for (int i = 0; i < blocks.size(); i++) {
            CanonicalBlock b = blocks.get(i);
            if (!placed && b.number() == block.number()) {
                list.add(block);
                enc.add(b == block ? blockEncodings[i] : null);
                placed = true;
                continue;
            }
            if (!placed && b.isPayload() && !block.isPayload()) {
                list.add(block);
                enc.add(null);
                placed = true;
            }
            list.add(b);
            enc.add(blockEncodings[i]);
        }
        if (!placed) {
            list.add(block);
            enc.add(null);
        }
        return new Bundle(primary, Collections.unmodifiableList(list), primaryEncoding, enc.toArray(new ByteSource[0]));
    }

    /**
     * A copy without the block numbered {@code number} (the same bundle if there is none).
     *
     * @param number the number of the block to remove
     * @return the copy, or this bundle if no block has that number
     */
    public Bundle withoutBlock(long number) {
        List<CanonicalBlock> list = new ArrayList<>(blocks.size());
        List<ByteSource> enc = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).number() != number) {
                list.add(blocks.get(i));
                enc.add(blockEncodings[i]);
            }
        }
        if (list.size() == blocks.size()) {
            return this;
        }
        return new Bundle(primary, Collections.unmodifiableList(list), primaryEncoding, enc.toArray(new ByteSource[0]));
    }

    /**
     * A copy with these blocks (received encodings are kept for blocks that are the same instances).
     *
     * @param newBlocks the canonical blocks of the copy, in wire order
     * @return the copy
     */
    public Bundle withBlocks(List<CanonicalBlock> newBlocks) {
        List<CanonicalBlock> copy = List.copyOf(newBlocks);
        ByteSource[] enc = new ByteSource[copy.size()];
        for (int i = 0; i < copy.size(); i++) {
            for (int j = 0; j < blocks.size(); j++) {
                if (blocks.get(j) == copy.get(i)) {
                    enc[i] = blockEncodings[j];
                    break;
                }
            }
        }
        return new Bundle(primary, copy, primaryEncoding, enc);
    }

    /** {@return a copy that forgets all received encodings, so that everything is encoded afresh} */
    public Bundle withoutReceivedEncodings() {
        return new Bundle(primary, blocks, null, new ByteSource[blocks.size()]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bundle other && primary.equals(other.primary) && blocks.equals(other.blocks);
    }

    @Override
    public int hashCode() {
        return primary.hashCode() * 31 + blocks.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Bundle[").append(id()).append(" -> ").append(primary.destination());
        for (CanonicalBlock b : blocks) {
            sb.append(", #").append(b.number()).append(' ').append(BlockType.name(b.type()))
                    .append(' ').append(b.data().size()).append('B');
        }
        return sb.append(']').toString();
    }
}
