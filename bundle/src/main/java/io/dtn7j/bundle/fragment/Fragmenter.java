package io.dtn7j.bundle.fragment;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.PrimaryBlock;
import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.fragment.FragmentationException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a bundle into fragments (RFC 9171 §5.8) whose encoded size is at most a given maximum.
 *
 * <ul>
 *   <li>Each fragment's primary block is the bundle's with the is-fragment flag set, the fragment offset (relative to
 *       the original application data unit: fragmenting a fragment adds its offset) and the total ADU length.</li>
 *   <li>The first fragment carries every canonical block of the bundle; the others carry exactly the blocks flagged
 *       "replicate in every fragment". Blocks keep their flags, CRC type and order (and, when unchanged, the bytes
 *       they were received in); the payload block of each fragment holds a contiguous slice of the payload.</li>
 *   <li>Payload slices are {@link ByteSource#slice slices}: fragmenting a file-backed payload copies nothing.</li>
 * </ul>
 *
 * A bundle that already fits is returned as the only element. Stateless and thread-safe.
 */
public final class Fragmenter {

    private Fragmenter() {
    }

    /**
     * The fragments of {@code bundle}, in payload order, each encoding to at most {@code maxEncodedSize} bytes;
     * just
     * {@code bundle} when it already fits.
     *
     *
     * @param bundle the bundle to fragment
     * @param maxEncodedSize the largest encoded size of a fragment, in bytes
     * @throws FragmentationException if the bundle must not be fragmented, has nothing to split, or
     *                                {@code maxEncodedSize} cannot hold a fragment with one payload byte
     * @return the fragments, in payload order
     */
    public static List<Bundle> fragment(Bundle bundle, long maxEncodedSize) {
        if (BundleCodec.encodedSize(bundle) <= maxEncodedSize) {
            return List.of(bundle);
        }
        if (bundle.flags().mustNotFragment()) {
            throw new FragmentationException(Reason.MUST_NOT_FRAGMENT, "bundle " + bundle.id() + " encodes to "
                    + BundleCodec.encodedSize(bundle) + " bytes, more than " + maxEncodedSize
                    + ", but its 'must not be fragmented' flag is set; send it over a link that takes it whole");
        }
        if (!bundle.hasPayload() || bundle.payload().isEmpty()) {
            throw new FragmentationException(Reason.NOTHING_TO_SPLIT, "bundle " + bundle.id()
                    + " has no payload to split but encodes to more than " + maxEncodedSize + " bytes");
        }
        Plan plan = new Plan(bundle);
        List<Bundle> fragments = new ArrayList<>();
        long offset = 0;
        while (offset < plan.payloadSize) {
            Bundle skeleton = plan.skeleton(offset);
            long emptySize = BundleCodec.encodedSize(skeleton);
            long length = fit(emptySize, maxEncodedSize, plan.payloadSize - offset);
            if (length <= 0) {
                throw new FragmentationException(Reason.MAXIMUM_TOO_SMALL, "a fragment of bundle " + bundle.id()
                        + (offset == 0 ? " with all its blocks" : " with its replicated blocks") + " needs "
                        + (emptySize + 1) + " bytes for one payload byte, more than the maximum " + maxEncodedSize);
            }
            fragments.add(plan.fragment(skeleton, offset, length));
            offset += length;
        }
        return fragments;
    }

    /**
     * Splits {@code bundle} at the given payload offsets (relative to this bundle's payload, strictly
     * increasing,
     * each inside the payload), with no size limit: {@code split(b, 3)} of a 5-byte payload gives fragments with
     * 3
     * and 2 bytes. The same block rules apply as for {@link #fragment}.
     *
     *
     * @param bundle the bundle to split
     * @param payloadOffsets where to cut, relative to the payload's start
     * @throws FragmentationException   if the bundle must not be fragmented or has no payload
     * @throws IllegalArgumentException if the offsets are not strictly increasing inside {@code (0, payload size)}
     * @return the fragments, in payload order
     */
    public static List<Bundle> split(Bundle bundle, long... payloadOffsets) {
        if (bundle.flags().mustNotFragment()) {
            throw new FragmentationException(Reason.MUST_NOT_FRAGMENT, "bundle " + bundle.id()
                    + " has its 'must not be fragmented' flag set");
        }
        if (!bundle.hasPayload() || bundle.payload().isEmpty()) {
            throw new FragmentationException(Reason.NOTHING_TO_SPLIT, "bundle " + bundle.id() + " has no payload to split");
        }
        Plan plan = new Plan(bundle);
        List<Bundle> fragments = new ArrayList<>(payloadOffsets.length + 1);
        long from = 0;
        for (int i = 0; i <= payloadOffsets.length; i++) {
            long to = i < payloadOffsets.length ? payloadOffsets[i] : plan.payloadSize;
            if (to <= from || to > plan.payloadSize || (i < payloadOffsets.length && to == plan.payloadSize)) {
                throw new IllegalArgumentException("split offsets must increase strictly inside (0, " + plan.payloadSize
                        + "): " + java.util.Arrays.toString(payloadOffsets));
            }
            fragments.add(plan.fragment(plan.skeleton(from), from, to - from));
            from = to;
        }
        return fragments;
    }

    /** What every fragment of one bundle shares. */
    private static final class Plan {
        final Bundle bundle;
        final CanonicalBlock payloadBlock;
        final ByteSource payload;
        final long payloadSize;
        final PrimaryBlock primary;
        final long baseOffset;
        final long total;
        final List<CanonicalBlock> replicated = new ArrayList<>();
        final CanonicalBlock emptyPayload;

        Plan(Bundle bundle) {
            this.bundle = bundle;
            payloadBlock = bundle.payloadBlock();
            payload = payloadBlock.data();
            payloadSize = payload.size();
            primary = bundle.primary();
            baseOffset = primary.isFragment() ? primary.fragment().offset() : 0;
            total = primary.isFragment() ? primary.fragment().totalAduLength() : payloadSize;
            for (CanonicalBlock b : bundle.blocks()) {
                // RFC 9171 §4.4.2: every bundle with creation time 0, each fragment included, needs its bundle age block
                if (b.isPayload() || b.flags().replicateInEveryFragment()
                        || (b.type() == io.dtn7j.bundle.BlockType.BUNDLE_AGE && primary.creation().isClockless())) {
                    replicated.add(b);
                }
            }
            emptyPayload = payloadBlock.withData(ByteSource.empty());
        }

        /** The fragment starting at {@code offset} of this bundle's payload, with an empty payload. */
        Bundle skeleton(long offset) {
            PrimaryBlock p = primary.withFragment(new FragmentInfo(baseOffset + offset, total));
            return bundle.withPrimary(p).withBlocks(offset == 0 ? bundle.blocks() : replicated).withBlock(emptyPayload);
        }

        Bundle fragment(Bundle skeleton, long offset, long length) {
            return skeleton.withBlock(payloadBlock.withData(payload.slice(offset, length)));
        }
    }

    /**
     * The largest payload length {@code L <= remaining} such that a fragment whose encoding with an empty payload
     * has {@code emptySize} bytes stays within {@code max}: the byte string head grows from 1 byte to
     * {@code headSize(L)}.
     */
    static long fit(long emptySize, long max, long remaining) {
        long room = max - emptySize + 1; // bytes for head + data; the empty payload already counted a 1-byte head
        if (room < 2) {
            return 0;
        }
        long length = Math.min(remaining, room - 1);
        while (length > 0 && length + CborWriter.headSize(length) > room) {
            length--;
        }
        return length;
    }
}
