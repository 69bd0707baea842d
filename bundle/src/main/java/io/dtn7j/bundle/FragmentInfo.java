package io.dtn7j.bundle;

/**
 * The fragment fields of a fragment's primary block (RFC 9171 §4.3.1).
 *
 * @param offset          offset of this fragment's payload within the original ADU
 * @param totalAduLength  length of the original ADU
 */
public record FragmentInfo(long offset, long totalAduLength) {
    /** Rejects negative values (the codec treats values above 2^63-1 as invalid). */
    public FragmentInfo {
        if (offset < 0 || totalAduLength < 0) {
            throw new IllegalArgumentException("fragment offset and total ADU length must be non-negative: "
                    + offset + ", " + totalAduLength);
        }
    }
}
