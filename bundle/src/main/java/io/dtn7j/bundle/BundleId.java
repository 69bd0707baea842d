package io.dtn7j.bundle;

import java.util.Objects;

/**
 * Identifies a bundle (RFC 9171 §5.1 / §6.1.1: source, creation timestamp and, for fragments, offset and
 * length). {@link #toString()} is dtn7-rs's string form, {@code <source>-<time>-<seq>[-<fragment offset>]},
 * used by stores, REST APIs and status reports.
 *
 * @param source          source EID
 * @param creation        creation timestamp
 * @param fragmentOffset  fragment offset, or -1 if the bundle is not a fragment
 * @param fragmentLength  payload length of the fragment, or -1 if not a fragment or unknown
 */
public record BundleId(EndpointId source, CreationTimestamp creation, long fragmentOffset, long fragmentLength) {

    /** Checks for nulls. */
    public BundleId {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(creation, "creation");
    }

    /**
     * The ID of a bundle that is not a fragment.
     *
     * @param source the bundle's source endpoint
     * @param creation the bundle's creation timestamp
     * @return the ID
     */
    public static BundleId of(EndpointId source, CreationTimestamp creation) {
        return new BundleId(source, creation, -1, -1);
    }

    /** {@return whether this identifies a fragment} */
    public boolean isFragment() {
        return fragmentOffset >= 0;
    }

    /** {@return the ID of the whole bundle this fragment belongs to (the same ID for a non-fragment)} */
    public BundleId withoutFragment() {
        return isFragment() ? of(source, creation) : this;
    }

    /** dtn7-rs's string: {@code <source uri>-<dtn time>-<sequence>} plus {@code -<offset>} for fragments. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source.uri()).append('-')
                .append(Long.toUnsignedString(creation.dtnTimeMs())).append('-')
                .append(Long.toUnsignedString(creation.sequence()));
        if (isFragment()) {
            sb.append('-').append(fragmentOffset);
        }
        return sb.toString();
    }

    /**
     * Reads a string made by {@link #toString()}. The format is ambiguous when a dtn source ends in
     * {@code -<digits>}: three trailing numbers are read as time, sequence and fragment offset when the part
     * before them is a node ID, an ipn EID or {@code dtn:none}, otherwise the last two are time and sequence.
     * The fragment length is not part of the string and is returned as -1.
     *
     *
     * @param text a bundle ID as formatted by {@link #toString()}
     * @throws IllegalArgumentException if the string is not a bundle ID
     * @return the ID
     */
    public static BundleId parse(String text) {
        Objects.requireNonNull(text, "text");
        int d1 = text.lastIndexOf('-');
        int d2 = d1 > 0 ? text.lastIndexOf('-', d1 - 1) : -1;
        if (d2 <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a bundle ID (<source>-<time>-<seq>[-<offset>])");
        }
        int d3 = text.lastIndexOf('-', d2 - 1);
        if (d3 > 0 && isNumber(text, d3 + 1, d2) && isNumber(text, d2 + 1, d1) && isNumber(text, d1 + 1, text.length())) {
            try {
                EndpointId src = EndpointId.parse(text.substring(0, d3));
                if (src.isNodeId() || src.isNone() || src instanceof IpnEndpointId) {
                    return new BundleId(src, new CreationTimestamp(num(text, d3 + 1, d2), num(text, d2 + 1, d1)),
                            num(text, d1 + 1, text.length()), -1);
                }
            } catch (IllegalArgumentException e) {
                // fall through to the non-fragment reading
            }
        }
        if (!isNumber(text, d2 + 1, d1) || !isNumber(text, d1 + 1, text.length())) {
            throw new IllegalArgumentException("'" + text + "' is not a bundle ID: time and sequence must be decimal numbers");
        }
        EndpointId src;
        try {
            src = EndpointId.parse(text.substring(0, d2));
        } catch (InvalidEndpointIdException e) {
            throw new IllegalArgumentException("'" + text + "' is not a bundle ID: " + e.getMessage(), e);
        }
        return of(src, new CreationTimestamp(num(text, d2 + 1, d1), num(text, d1 + 1, text.length())));
    }

    private static boolean isNumber(String s, int from, int to) {
        if (from >= to || to - from > 20) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long num(String s, int from, int to) {
        try {
            return Long.parseUnsignedLong(s, from, to, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.substring(from, to) + "' does not fit in 64 bits", e);
        }
    }
}
