package io.dtn7j.bundle;

/**
 * An {@code ipn:} endpoint ID (RFC 9171 §4.2.5.1.2, RFC 9758). Numbers are unsigned 64-bit values held in
 * {@code long}s (compare and print them with {@link Long#compareUnsigned} and {@link Long#toUnsignedString}).
 *
 * @param allocatorId       allocator identifier (0 unless three-element form)
 * @param nodeNumber        node number
 * @param serviceNumber     service number; 0 means the node itself
 * @param threeElementForm  whether the EID is written (and encoded) as RFC 9758 {@code ipn:A.N.S}
 */
public record IpnEndpointId(long allocatorId, long nodeNumber, long serviceNumber, boolean threeElementForm)
        implements EndpointId {

    /** Largest allocator identifier and (three-element) node number: 2^32-1. */
    public static final long MAX_UINT32 = 0xFFFF_FFFFL;

    /**
     * Validates the numbers.
     *
     * @throws InvalidEndpointIdException if a two-element EID has an allocator or a three-element one has
     *         an allocator or node number above 2^32-1
     */
    public IpnEndpointId {
        if (!threeElementForm && allocatorId != 0) {
            throw new InvalidEndpointIdException(render(allocatorId, nodeNumber, serviceNumber, true),
                    "an allocator identifier needs the three-element form");
        }
        if (threeElementForm && (Long.compareUnsigned(allocatorId, MAX_UINT32) > 0
                || Long.compareUnsigned(nodeNumber, MAX_UINT32) > 0)) {
            throw new InvalidEndpointIdException(render(allocatorId, nodeNumber, serviceNumber, true),
                    "allocator identifier and node number must be at most 4294967295 (RFC 9758)");
        }
    }

    static IpnEndpointId parseSsp(String uri, String ssp) {
        String[] parts = ssp.split("\\.", -1);
        if (parts.length != 2 && parts.length != 3) {
            throw new InvalidEndpointIdException(uri, "an ipn SSP is 'node.service' or 'allocator.node.service'");
        }
        long[] n = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 20 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new InvalidEndpointIdException(uri, "'" + p + "' is not a decimal number without leading zeros");
            }
            try {
                n[i] = Long.parseUnsignedLong(p);
            } catch (NumberFormatException e) {
                throw new InvalidEndpointIdException(uri, "'" + p + "' does not fit in 64 bits");
            }
        }
        return parts.length == 2
                ? new IpnEndpointId(0, n[0], n[1], false)
                : new IpnEndpointId(n[0], n[1], n[2], true);
    }

    private static String render(long a, long n, long s, boolean three) {
        return "ipn:" + (three ? Long.toUnsignedString(a) + "." : "")
                + Long.toUnsignedString(n) + "." + Long.toUnsignedString(s);
    }

    @Override
    public int schemeCode() {
        return SCHEME_IPN;
    }

    @Override
    public String uri() {
        return render(allocatorId, nodeNumber, serviceNumber, threeElementForm);
    }

    @Override
    public IpnEndpointId nodeId() {
        return serviceNumber == 0 ? this : new IpnEndpointId(allocatorId, nodeNumber, 0, threeElementForm);
    }

    /** True for {@code ipn:0.0} (and {@code ipn:0.0.0}), the ipn null endpoint. */
    @Override
    public boolean isNone() {
        return allocatorId == 0 && nodeNumber == 0 && serviceNumber == 0;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }

    @Override
    public boolean isNodeId() {
        return serviceNumber == 0 && !isNone();
    }

    @Override
    public String nodeName() {
        return allocatorId == 0 ? Long.toUnsignedString(nodeNumber)
                : Long.toUnsignedString(allocatorId) + "." + Long.toUnsignedString(nodeNumber);
    }

    @Override
    public String toString() {
        return uri();
    }
}
