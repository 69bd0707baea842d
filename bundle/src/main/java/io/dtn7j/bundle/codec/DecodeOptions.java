package io.dtn7j.bundle.codec;

import java.util.Objects;

/**
 * Options of a decode: the validation policy, the largest bundle accepted (in bytes) and who hears about
 * waived deviations.
 *
 * @param policy             validation policy
 * @param maxBundleSize      largest encoded bundle accepted, in bytes
 * @param deviationListener  told about deviations {@link ValidationPolicy#DEFAULT} or {@link ValidationPolicy#LENIENT} waive
 */
public record DecodeOptions(ValidationPolicy policy, long maxBundleSize, DeviationListener deviationListener) {
    /** No size limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** Default policy, no size limit, deviations ignored. */
    public static final DecodeOptions DEFAULT = new DecodeOptions(ValidationPolicy.DEFAULT, UNLIMITED, DeviationListener.IGNORE);
    /** Strict policy, no size limit. */
    public static final DecodeOptions STRICT = new DecodeOptions(ValidationPolicy.STRICT, UNLIMITED, DeviationListener.IGNORE);
    /** Lenient policy (DEFAULT plus a payload block number other than 1), no size limit. */
    public static final DecodeOptions LENIENT = new DecodeOptions(ValidationPolicy.LENIENT, UNLIMITED, DeviationListener.IGNORE);
    /** Parse only, no size limit. */
    public static final DecodeOptions PARSE_ONLY = new DecodeOptions(ValidationPolicy.PARSE_ONLY, UNLIMITED, DeviationListener.IGNORE);

    /** Checks arguments. */
    public DecodeOptions {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(deviationListener, "deviationListener");
        if (maxBundleSize <= 0) {
            throw new IllegalArgumentException("maxBundleSize must be positive: " + maxBundleSize);
        }
    }

    /**
     * Options with the given policy and defaults otherwise.
     *
     * @param policy the validation policy
     * @return the options
     */
    public static DecodeOptions of(ValidationPolicy policy) {
        return switch (policy) {
            case PARSE_ONLY -> PARSE_ONLY;
            case DEFAULT -> DEFAULT;
            case STRICT -> STRICT;
            case LENIENT -> LENIENT;
        };
    }

    /**
     * A copy with another policy.
     *
     * @param p the validation policy
     * @return the copy
     */
    public DecodeOptions withPolicy(ValidationPolicy p) {
        return new DecodeOptions(p, maxBundleSize, deviationListener);
    }

    /**
     * A copy with another size limit.
     *
     * @param max the largest encoded bundle accepted, in bytes
     * @return the copy
     */
    public DecodeOptions withMaxBundleSize(long max) {
        return new DecodeOptions(policy, max, deviationListener);
    }

    /**
     * A copy with another listener.
     *
     * @param l receives the deviations the policy tolerates
     * @return the copy
     */
    public DecodeOptions withDeviationListener(DeviationListener l) {
        return new DecodeOptions(policy, maxBundleSize, l);
    }
}
