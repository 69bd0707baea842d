package io.dtn7j.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds new bundles (see {@link Bundle#builder()}). Extension blocks are numbered 2, 3, ... in the order
 * previous node, bundle age, hop count, then blocks added with {@link #addBlock} (which keep a number
 * other than 0 given to them); the payload block, number 1, comes last on the wire. One CRC type applies to
 * every block. Not thread-safe.
 *
 * <p>Defaults: report-to = source, lifetime 1 hour, creation time = now (DTN time, system clock) with
 * sequence 0, CRC-32C, empty payload, no flags. A bundle with the null source ({@code dtn:none}, the default)
 * gets the "must not be fragmented" flag, which RFC 9171 §4.2.3 requires for it.
 */
public final class BundleBuilder {
    private EndpointId source = EndpointId.NONE;
    private EndpointId destination;
    private EndpointId reportTo;
    private long lifetimeMs = 3_600_000;
    private CreationTimestamp creation;
    private BundleFlags flags = BundleFlags.NONE;
    private CrcType crcType = CrcType.CRC32C;
    private ByteSource payload = ByteSource.empty();
    private FragmentInfo fragment;
    private Long hopLimit;
    private Long bundleAgeMs;
    private EndpointId previousNode;
    private final List<CanonicalBlock> extra = new ArrayList<>();

    BundleBuilder() {}

    /**
     * Source EID (default {@code dtn:none}).
     *
     * @param s the source endpoint
     * @return this builder
     */
    public BundleBuilder source(EndpointId s) { this.source = Objects.requireNonNull(s); return this; }
    /**
     * Source EID as a URI.
     *
     * @param uri the source endpoint's URI, parsed by {@link EndpointId#parse}
     * @return this builder
     */
    public BundleBuilder source(String uri) { return source(EndpointId.parse(uri)); }
    /**
     * Destination EID (required).
     *
     * @param d the destination endpoint
     * @return this builder
     */
    public BundleBuilder destination(EndpointId d) { this.destination = Objects.requireNonNull(d); return this; }
    /**
     * Destination EID as a URI.
     *
     * @param uri the destination endpoint's URI, parsed by {@link EndpointId#parse}
     * @return this builder
     */
    public BundleBuilder destination(String uri) { return destination(EndpointId.parse(uri)); }
    /**
     * Report-to EID (default: the source).
     *
     * @param r the endpoint status reports go to
     * @return this builder
     */
    public BundleBuilder reportTo(EndpointId r) { this.reportTo = Objects.requireNonNull(r); return this; }
    /**
     * Report-to EID as a URI.
     *
     * @param uri the report-to endpoint's URI, parsed by {@link EndpointId#parse}
     * @return this builder
     */
    public BundleBuilder reportTo(String uri) { return reportTo(EndpointId.parse(uri)); }
    /**
     * Lifetime in milliseconds.
     *
     * @param ms the lifetime in milliseconds after creation
     * @return this builder
     */
    public BundleBuilder lifetimeMs(long ms) { this.lifetimeMs = ms; return this; }
    /**
     * Creation timestamp.
     *
     * @param c the creation timestamp
     * @return this builder
     */
    public BundleBuilder creation(CreationTimestamp c) { this.creation = Objects.requireNonNull(c); return this; }
    /**
     * Creation timestamp from DTN time and sequence number.
     *
     * @param dtnTimeMs the creation time in milliseconds since the DTN epoch (0 for "unknown")
     * @param sequence the sequence number
     * @return this builder
     */
    public BundleBuilder creation(long dtnTimeMs, long sequence) { return creation(new CreationTimestamp(dtnTimeMs, sequence)); }
    /**
     * Bundle flags (is-fragment follows {@link #fragment}).
     *
     * @param f the bundle processing control flags
     * @return this builder
     */
    public BundleBuilder flags(BundleFlags f) { this.flags = Objects.requireNonNull(f); return this; }
    /**
     * Bundle flags from raw bits.
     *
     * @param bits the raw bundle processing control flags
     * @return this builder
     */
    public BundleBuilder flags(long bits) { return flags(BundleFlags.of(bits)); }
    /**
     * CRC type of every block.
     *
     * @param c the CRC type
     * @return this builder
     */
    public BundleBuilder crcType(CrcType c) { this.crcType = Objects.requireNonNull(c); return this; }
    /**
     * Payload bytes (wrapped, not copied).
     *
     * @param p the payload
     * @return this builder
     */
    public BundleBuilder payload(byte[] p) { return payload(ByteSource.of(p)); }
    /**
     * Payload source (may be file-backed).
     *
     * @param p the payload
     * @return this builder
     */
    public BundleBuilder payload(ByteSource p) { this.payload = Objects.requireNonNull(p); return this; }
    /**
     * Payload as UTF-8 text.
     *
     * @param text the payload text
     * @return this builder
     */
    public BundleBuilder payload(String text) { return payload(ByteSource.ofUtf8(text)); }
    /**
     * Makes the bundle a fragment.
     *
     * @param f the fragment offset and total ADU length, or null for a whole bundle
     * @return this builder
     */
    public BundleBuilder fragment(FragmentInfo f) { this.fragment = f; return this; }
    /**
     * Adds a hop count block {@code [limit, 0]}.
     *
     * @param limit the hop limit
     * @return this builder
     */
    public BundleBuilder hopLimit(long limit) { this.hopLimit = limit; return this; }
    /**
     * Adds a bundle age block.
     *
     * @param ageMs the age in milliseconds
     * @return this builder
     */
    public BundleBuilder bundleAgeMs(long ageMs) { this.bundleAgeMs = ageMs; return this; }
    /**
     * Adds a previous node block.
     *
     * @param node the previous node's endpoint ID
     * @return this builder
     */
    public BundleBuilder previousNode(EndpointId node) { this.previousNode = Objects.requireNonNull(node); return this; }

    /**
     * Adds an extension block. A block number of 0 means "assign the next free number"; a non-payload
     * block only.
     *
     * @param block the extension block
     * @return this builder
     */
    public BundleBuilder addBlock(CanonicalBlock block) {
        if (block.isPayload()) {
            throw new IllegalArgumentException("the payload is set with payload(...), not addBlock");
        }
        extra.add(block);
        return this;
    }

    /**
     * {@return the bundle}
     *
     * @throws IllegalStateException if no destination was given or a block number is used twice
     */
    public Bundle build() {
        if (destination == null) {
            throw new IllegalStateException("a bundle needs a destination");
        }
        BundleFlags f = flags.with(BundleFlags.IS_FRAGMENT, fragment != null);
        if (source.isNone()) {
            f = f.with(BundleFlags.MUST_NOT_FRAGMENT);
        }
        PrimaryBlock primary = new PrimaryBlock(PrimaryBlock.VERSION, f, crcType, destination, source,
                reportTo != null ? reportTo : source,
                creation != null ? creation : new CreationTimestamp(DtnTime.now(), 0), lifetimeMs, fragment);
        List<CanonicalBlock> blocks = new ArrayList<>();
        java.util.Set<Long> used = new java.util.HashSet<>();
        used.add(1L);
        for (CanonicalBlock b : extra) {
            if (b.number() != 0 && !used.add(b.number())) {
                throw new IllegalStateException("block number " + b.number() + " is used twice");
            }
        }
        long[] next = {2};
        java.util.function.LongSupplier nextFree = () -> {
            while (used.contains(next[0])) {
                next[0]++;
            }
            used.add(next[0]);
            return next[0];
        };
        if (previousNode != null) {
            blocks.add(CanonicalBlock.previousNode(nextFree.getAsLong(), previousNode, crcType));
        }
        if (bundleAgeMs != null) {
            blocks.add(CanonicalBlock.bundleAge(nextFree.getAsLong(), bundleAgeMs, crcType));
        }
        if (hopLimit != null) {
            blocks.add(CanonicalBlock.hopCount(nextFree.getAsLong(), hopLimit, 0, crcType));
        }
        for (CanonicalBlock b : extra) {
            blocks.add(b.number() == 0 ? b.withNumber(nextFree.getAsLong()) : b);
        }
        blocks.add(CanonicalBlock.payload(payload, crcType));
        return Bundle.of(primary, blocks);
    }
}
