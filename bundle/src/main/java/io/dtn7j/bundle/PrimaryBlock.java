package io.dtn7j.bundle;

import java.util.Objects;

/**
 * The primary bundle block (RFC 9171 §4.3.1).
 *
 * @param version      protocol version, 7
 * @param flags        bundle processing control flags
 * @param crcType      CRC type of the primary block
 * @param destination  destination EID
 * @param source       source node ID ({@link EndpointId#NONE} for anonymous bundles)
 * @param reportTo     report-to EID
 * @param creation     creation timestamp
 * @param lifetimeMs   lifetime in milliseconds (unsigned)
 * @param fragment     fragment offset and total ADU length; null unless the bundle is a fragment
 */
public record PrimaryBlock(int version, BundleFlags flags, CrcType crcType, EndpointId destination,
                           EndpointId source, EndpointId reportTo, CreationTimestamp creation, long lifetimeMs,
                           FragmentInfo fragment) {

    /** The only version this library speaks. */
    public static final int VERSION = 7;

    /** Checks that no field is null and that {@code fragment} is present exactly when the flags say so. */
    public PrimaryBlock {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(crcType, "crcType");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reportTo, "reportTo");
        Objects.requireNonNull(creation, "creation");
        if (flags.isFragment() != (fragment != null)) {
            throw new IllegalArgumentException(flags.isFragment()
                    ? "the is-fragment flag is set but no fragment info is given"
                    : "fragment info is given but the is-fragment flag is not set");
        }
    }

    /** {@return whether this is a fragment's primary block} */
    public boolean isFragment() {
        return fragment != null;
    }

    /**
     * A copy with other flags (the is-fragment flag must stay consistent with {@link #fragment()}).
     *
     * @param f the new flags
     * @return the copy
     */
    public PrimaryBlock withFlags(BundleFlags f) {
        return new PrimaryBlock(version, f, crcType, destination, source, reportTo, creation, lifetimeMs, fragment);
    }

    /**
     * A copy with another CRC type.
     *
     * @param c the new CRC type
     * @return the copy
     */
    public PrimaryBlock withCrcType(CrcType c) {
        return new PrimaryBlock(version, flags, c, destination, source, reportTo, creation, lifetimeMs, fragment);
    }

    /**
     * A copy with another destination.
     *
     * @param d the new destination
     * @return the copy
     */
    public PrimaryBlock withDestination(EndpointId d) {
        return new PrimaryBlock(version, flags, crcType, d, source, reportTo, creation, lifetimeMs, fragment);
    }

    /**
     * A copy with another source.
     *
     * @param s the new source
     * @return the copy
     */
    public PrimaryBlock withSource(EndpointId s) {
        return new PrimaryBlock(version, flags, crcType, destination, s, reportTo, creation, lifetimeMs, fragment);
    }

    /**
     * A copy with another report-to EID.
     *
     * @param r the new report-to endpoint ID
     * @return the copy
     */
    public PrimaryBlock withReportTo(EndpointId r) {
        return new PrimaryBlock(version, flags, crcType, destination, source, r, creation, lifetimeMs, fragment);
    }

    /**
     * A copy with another creation timestamp.
     *
     * @param c the new creation timestamp
     * @return the copy
     */
    public PrimaryBlock withCreation(CreationTimestamp c) {
        return new PrimaryBlock(version, flags, crcType, destination, source, reportTo, c, lifetimeMs, fragment);
    }

    /**
     * A copy with another lifetime.
     *
     * @param l the new lifetime in milliseconds
     * @return the copy
     */
    public PrimaryBlock withLifetimeMs(long l) {
        return new PrimaryBlock(version, flags, crcType, destination, source, reportTo, creation, l, fragment);
    }

    /**
     * A copy that is a fragment with the given info (sets the is-fragment flag), or not a fragment when
     * {@code f} is null (clears it).
     *
     * @param f the fragment offset and total ADU length, or null
     * @return the copy
     */
    public PrimaryBlock withFragment(FragmentInfo f) {
        return new PrimaryBlock(version, flags.with(BundleFlags.IS_FRAGMENT, f != null), crcType, destination, source,
                reportTo, creation, lifetimeMs, f);
    }

    /**
     * {@return a builder with version 7, no flags, CRC-32C, all EIDs {@code dtn:none}, time 0, lifetime 1 day}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder initialised from this block} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.version = version;
        b.flags = flags;
        b.crcType = crcType;
        b.destination = destination;
        b.source = source;
        b.reportTo = reportTo;
        b.creation = creation;
        b.lifetimeMs = lifetimeMs;
        b.fragment = fragment;
        return b;
    }

    /** Builds a {@link PrimaryBlock}. Not thread-safe. */
    public static final class Builder {
        private int version = VERSION;
        private BundleFlags flags = BundleFlags.NONE;
        private CrcType crcType = CrcType.CRC32C;
        private EndpointId destination = EndpointId.NONE;
        private EndpointId source = EndpointId.NONE;
        private EndpointId reportTo = EndpointId.NONE;
        private CreationTimestamp creation = new CreationTimestamp(0, 0);
        private long lifetimeMs = 24L * 3600 * 1000;
        private FragmentInfo fragment;

        private Builder() {}

        /**
         * Protocol version (7).
         *
         * @param v the version
         * @return this builder
         */
        public Builder version(int v) { this.version = v; return this; }
        /**
         * Bundle flags (the is-fragment flag follows {@link #fragment}).
         *
         * @param f the flags
         * @return this builder
         */
        public Builder flags(BundleFlags f) { this.flags = f; return this; }
        /**
         * CRC type.
         *
         * @param c the CRC type
         * @return this builder
         */
        public Builder crcType(CrcType c) { this.crcType = c; return this; }
        /**
         * Destination.
         *
         * @param d the destination
         * @return this builder
         */
        public Builder destination(EndpointId d) { this.destination = d; return this; }
        /**
         * Source.
         *
         * @param s the source
         * @return this builder
         */
        public Builder source(EndpointId s) { this.source = s; return this; }
        /**
         * Report-to.
         *
         * @param r the report-to endpoint ID
         * @return this builder
         */
        public Builder reportTo(EndpointId r) { this.reportTo = r; return this; }
        /**
         * Creation timestamp.
         *
         * @param c the creation timestamp
         * @return this builder
         */
        public Builder creation(CreationTimestamp c) { this.creation = c; return this; }
        /**
         * Lifetime in ms.
         *
         * @param l the lifetime in milliseconds
         * @return this builder
         */
        public Builder lifetimeMs(long l) { this.lifetimeMs = l; return this; }
        /**
         * Fragment info, or null.
         *
         * @param f the fragment offset and total ADU length, or null
         * @return this builder
         */
        public Builder fragment(FragmentInfo f) { this.fragment = f; return this; }

        /** {@return the block} */
        public PrimaryBlock build() {
            return new PrimaryBlock(version, flags.with(BundleFlags.IS_FRAGMENT, fragment != null), crcType, destination,
                    source, reportTo, creation, lifetimeMs, fragment);
        }
    }
}
