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
     * The fragments of {@code bundle}, in payload order, each encoding to at most {@code maxEncodedSize} bytes; just
     * {@code bundle} when it already fits.
     *
     * @throws FragmentationException if the bundle must not be fragmented, has nothing to split, or
     *                                {@code maxEncodedSize} cannot hold a fragment with one payload byte
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
        CanonicalBlock payloadBlock = bundle.payloadBlock();
        ByteSource payload = payloadBlock.data();
        long payloadSize = payload.size();
        PrimaryBlock primary = bundle.primary();
        long baseOffset = primary.isFragment() ? primary.fragment().offset() : 0;
        long total = primary.isFragment() ? primary.fragment().totalAduLength() : payloadSize;

        List<CanonicalBlock> all = bundle.blocks();
        List<CanonicalBlock> replicated = new ArrayList<>();
        for (CanonicalBlock b : all) {
            if (b.isPayload() || b.flags().replicateInEveryFragment()) {
                replicated.add(b);
            }
        }
        CanonicalBlock emptyPayload = payloadBlock.withData(ByteSource.empty());
        List<Bundle> fragments = new ArrayList<>();
        long offset = 0;
        while (offset < payloadSize) {
            List<CanonicalBlock> blocks = offset == 0 ? all : replicated;
            PrimaryBlock p = primary.withFragment(new FragmentInfo(baseOffset + offset, total));
            Bundle skeleton = bundle.withPrimary(p).withBlocks(blocks).withBlock(emptyPayload);
            long emptySize = BundleCodec.encodedSize(skeleton);
            long length = fit(emptySize, maxEncodedSize, payloadSize - offset);
            if (length <= 0) {
                throw new FragmentationException(Reason.MAXIMUM_TOO_SMALL, "a fragment of bundle " + bundle.id()
                        + (offset == 0 ? " with all its blocks" : " with its replicated blocks") + " needs "
                        + (emptySize + 1) + " bytes for one payload byte, more than the maximum " + maxEncodedSize);
            }
            fragments.add(skeleton.withBlock(payloadBlock.withData(payload.slice(offset, length))));
            offset += length;
        }
        return fragments;
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
