package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnEndpointId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.HopCountBlock;
import io.dtn7j.bundle.InvalidBundleException;
import io.dtn7j.bundle.InvalidBundleException.Violation;
import io.dtn7j.bundle.PrimaryBlock;
import io.dtn7j.bundle.cbor.CborReader;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The RFC 9171 §4 validity rules, apart from parsing, so they can also be applied to bundles built in code.
 *
 * <p>Rules checked by {@link ValidationPolicy#DEFAULT} and {@link ValidationPolicy#STRICT}: block numbers
 * (none 0, none twice), exactly one payload block, numbered 1 and last; at most one previous node, bundle
 * age and hop count block, each with well-formed content (hop limit 1..255) unless a BCB encrypts it; a bundle age block when the
 * creation time is 0; a null source needs "must not fragment" and no status report requests; an
 * administrative record requests no status reports; neither sets any block's "report if unprocessable"
 * flag; a fragment's payload lies within its total ADU length (which is not 0). Reserved and unassigned flag
 * bits are ignored. Then the two {@link Deviation}s: STRICT rejects them, DEFAULT reports them to the
 * listener. {@link ValidationPolicy#LENIENT} is DEFAULT but also reports (instead of rejecting) a payload block
 * number other than 1 ({@link Deviation#PAYLOAD_BLOCK_NUMBER_NOT_ONE}).
 */
public final class BundleValidator {
    private BundleValidator() {}

    /**
     * Checks {@code bundle} against {@code policy}; deviations waived by {@link ValidationPolicy#DEFAULT} or
     * {@link ValidationPolicy#LENIENT} go to {@code listener}. {@link ValidationPolicy#PARSE_ONLY} checks nothing.
     *
     *
     * @param bundle the bundle to check
     * @param policy which rules to enforce
     * @param listener receives the deviations that the policy tolerates
     * @throws InvalidBundleException naming the first rule broken
     */
    public static void validate(Bundle bundle, ValidationPolicy policy, DeviationListener listener) {
        if (policy == ValidationPolicy.PARSE_ONLY) {
            return;
        }
        PrimaryBlock p = bundle.primary();
        List<CanonicalBlock> blocks = bundle.blocks();
        Object id = new Object() { // the bundle ID, rendered only for error messages
            @Override
            public String toString() {
                return bundle.id().toString();
            }
        };

        // block numbers
        int count = blocks.size();
        Set<Long> numbers = count > 16 ? new HashSet<>(count * 2) : null;
        for (int i = 0; i < count; i++) {
            CanonicalBlock b = blocks.get(i);
            if (b.number() == 0) {
                throw new InvalidBundleException(Violation.BLOCK_NUMBER_ZERO, "bundle " + id + ": block of type "
                        + Long.toUnsignedString(b.type()) + " has number 0, which is reserved for the primary block");
            }
            boolean duplicate = false;
            if (numbers != null) {
                duplicate = !numbers.add(b.number());
            } else {
                for (int j = 0; j < i; j++) {
                    duplicate |= blocks.get(j).number() == b.number();
                }
            }
            if (duplicate) {
                throw new InvalidBundleException(Violation.DUPLICATE_BLOCK_NUMBER, "bundle " + id + ": block number "
                        + Long.toUnsignedString(b.number()) + " is used more than once");
            }
        }

        // payload
        int payloads = 0;
        int prev = 0, age = 0, hop = 0;
        for (CanonicalBlock b : blocks) {
            if (b.type() == BlockType.PAYLOAD) {
                payloads++;
            } else if (b.type() == BlockType.PREVIOUS_NODE) {
                prev++;
            } else if (b.type() == BlockType.BUNDLE_AGE) {
                age++;
            } else if (b.type() == BlockType.HOP_COUNT) {
                hop++;
            }
        }
        if (payloads == 0) {
            throw new InvalidBundleException(Violation.NO_PAYLOAD_BLOCK, "bundle " + id + " has no payload block");
        }
        if (payloads > 1) {
            throw new InvalidBundleException(Violation.DUPLICATE_EXTENSION_BLOCK, "bundle " + id + " has " + payloads
                    + " payload blocks");
        }
        CanonicalBlock last = blocks.get(blocks.size() - 1);
        if (!last.isPayload()) {
            throw new InvalidBundleException(Violation.PAYLOAD_NOT_LAST, "bundle " + id + ": the last block is of type "
                    + Long.toUnsignedString(last.type()) + ", not the payload block");
        }
        if (last.number() != 1) {
            String detail = "bundle " + id + ": the payload block has number " + Long.toUnsignedString(last.number())
                    + ", must be 1 (RFC 9171 4.3.3)";
            if (policy != ValidationPolicy.LENIENT) {
                throw new InvalidBundleException(Violation.PAYLOAD_BLOCK_NUMBER, detail);
            }
            listener.onDeviation(bundle, Deviation.PAYLOAD_BLOCK_NUMBER_NOT_ONE, detail);
        }

        // extension blocks
        if (prev > 1 || age > 1 || hop > 1) {
            long type = prev > 1 ? BlockType.PREVIOUS_NODE : age > 1 ? BlockType.BUNDLE_AGE : BlockType.HOP_COUNT;
            throw new InvalidBundleException(Violation.DUPLICATE_EXTENSION_BLOCK, "bundle " + id + " has more than one "
                    + BlockType.name(type) + " block");
        }
        EndpointId previousNode = null;
        Set<Long> encrypted = Set.of();
        for (CanonicalBlock b : blocks) {
            if (b.type() == BlockType.BLOCK_CONFIDENTIALITY) {
                if (encrypted.isEmpty()) {
                    encrypted = new HashSet<>();
                }
                encrypted.addAll(securityTargets(b.data()));
            }
        }
        for (CanonicalBlock b : blocks) {
            if (encrypted.contains(b.number())) {
                continue; // content is ciphertext until BPSec processing decrypts it
            }
            try {
                if (b.type() == BlockType.PREVIOUS_NODE) {
                    previousNode = b.asPreviousNode().node();
                } else if (b.type() == BlockType.BUNDLE_AGE) {
                    b.asBundleAge();
                } else if (b.type() == BlockType.HOP_COUNT) {
                    HopCountBlock h = b.asHopCount();
                    if (h.limit() < 1 || h.limit() > 255) {
                        throw new InvalidBundleException(Violation.MALFORMED_EXTENSION_BLOCK, "bundle " + id + ": hop limit "
                                + Long.toUnsignedString(h.limit()) + " is outside 1..255 (RFC 9171 4.4.3)");
                    }
                }
            } catch (BundleDecodeException e) {
                throw new InvalidBundleException(Violation.MALFORMED_EXTENSION_BLOCK, "bundle " + id + ": "
                        + BlockType.name(b.type()) + " block " + Long.toUnsignedString(b.number()) + " is malformed: "
                        + e.getMessage());
            }
        }
        if (p.creation().dtnTimeMs() == 0 && age == 0) {
            throw new InvalidBundleException(Violation.MISSING_BUNDLE_AGE, "bundle " + id
                    + " has creation time 0 but no bundle age block (RFC 9171 4.4.2)");
        }

        // flags
        BundleFlags flags = p.flags();
        boolean anonymous = p.source().isNone();
        if (anonymous && flags.anyReportRequested()) {
            throw new InvalidBundleException(Violation.ANONYMOUS_SOURCE_REPORT_REQUESTED,
                    "bundle with null source requests status reports (flags 0x" + Long.toHexString(flags.bits()) + ")");
        }
        if (anonymous && !flags.mustNotFragment()) {
            throw new InvalidBundleException(Violation.ANONYMOUS_SOURCE_FRAGMENTABLE,
                    "bundle with null source must have the 'must not be fragmented' flag set");
        }
        if (flags.isAdministrativeRecord() && flags.anyReportRequested()) {
            throw new InvalidBundleException(Violation.ADMIN_RECORD_REPORT_REQUESTED, "administrative record bundle "
                    + id + " requests status reports (flags 0x" + Long.toHexString(flags.bits()) + ")");
        }
        if (anonymous || flags.isAdministrativeRecord()) {
            for (CanonicalBlock b : blocks) {
                if (b.flags().reportIfUnprocessable()) {
                    throw new InvalidBundleException(Violation.BLOCK_REPORT_FLAG_FORBIDDEN, "bundle " + id + ": block "
                            + Long.toUnsignedString(b.number()) + " sets 'report if unprocessable', which "
                            + (anonymous ? "a bundle with null source" : "an administrative record") + " must not");
                }
            }
        }

        // fragments
        FragmentInfo f = p.fragment();
        if (f != null) {
            long len = last.data().size();
            if (f.totalAduLength() == 0) {
                throw new InvalidBundleException(Violation.FRAGMENT_RANGE, "fragment " + id + " has total ADU length 0");
            }
            if (f.offset() > f.totalAduLength() || len > f.totalAduLength() - f.offset()) {
                throw new InvalidBundleException(Violation.FRAGMENT_RANGE, "fragment " + id + ": offset " + f.offset()
                        + " + payload length " + len + " exceeds the total ADU length " + f.totalAduLength());
            }
        }

        // the two deviations
        checkSlash(bundle, p.destination(), "destination", policy, listener);
        checkSlash(bundle, p.source(), "source", policy, listener);
        checkSlash(bundle, p.reportTo(), "report-to", policy, listener);
        if (previousNode != null) {
            checkSlash(bundle, previousNode, "previous node", policy, listener);
        }
        if (p.crcType() == CrcType.NONE && !bibCoversPrimary(bundle)) {
            String detail = "bundle " + id + ": the primary block has no CRC and no BIB covers it (RFC 9171 4.3.1)";
            if (policy == ValidationPolicy.STRICT) {
                throw new InvalidBundleException(Violation.PRIMARY_WITHOUT_CRC, detail);
            }
            listener.onDeviation(bundle, Deviation.PRIMARY_WITHOUT_CRC, detail);
        }
    }

    private static void checkSlash(Bundle bundle, EndpointId eid, String role, ValidationPolicy policy,
                                   DeviationListener listener) {
        if (eid instanceof DtnEndpointId d && d.isMissingTrailingSlash()) {
            String detail = role + " '" + eid + "' is a node ID without trailing slash (RFC 9171 4.2.5.1.1)";
            if (policy == ValidationPolicy.STRICT) {
                throw new InvalidBundleException(Violation.NODE_ID_WITHOUT_SLASH, "bundle " + bundle.id() + ": " + detail);
            }
            listener.onDeviation(bundle, Deviation.NODE_ID_WITHOUT_SLASH, detail);
        }
    }

    /**
     * Whether some block integrity block (type 11) lists block 0 among its security targets. The targets are
     * the first item of the BIB's abstract security block (RFC 9172 §3.6); a malformed BIB covers nothing.
     *
     * @param bundle the bundle
     * @return true if a BIB targets the primary block
     */
    public static boolean bibCoversPrimary(Bundle bundle) {
        for (CanonicalBlock b : bundle.blocks()) {
            if (b.type() == BlockType.BLOCK_INTEGRITY && securityTargets(b.data()).contains(0L)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The security target block numbers of a BIB or BCB: the first item (an array of block numbers) of its
     * block-type-specific data; an empty list if that is malformed.
     *
     * @param asb the block-type-specific data of a BIB or BCB
     * @return the target block numbers, in order
     */
    public static List<Long> securityTargets(ByteSource asb) {
        try {
            CborReader r = CborReader.over(asb.size() > 4096 ? asb.slice(0, 4096) : asb);
            long n = r.readArrayHeader("security targets", false);
            List<Long> out = new java.util.ArrayList<>((int) Math.min(n, 16));
            for (long i = 0; i < n; i++) {
                out.add(r.readUnsigned("security target"));
            }
            return out;
        } catch (BundleDecodeException e) {
            return List.of();
        }
    }
}
