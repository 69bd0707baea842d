package io.dtn7j.bundle;

/**
 * A BPv7 endpoint ID (RFC 9171 §4.2.5): a {@code dtn:} or {@code ipn:} URI.
 *
 * <p>Instances keep the form they were received or parsed in: a dtn node ID without trailing slash
 * ({@code dtn://node}) stays that way, and an RFC 9758 three-element ipn EID ({@code ipn:A.N.S}) stays
 * three-element, so re-encoding never changes a block. {@code toString()} is {@link #uri()}.
 */
public sealed interface EndpointId permits DtnEndpointId, IpnEndpointId {

    /** The null endpoint {@code dtn:none}. */
    EndpointId NONE = DtnEndpointId.NONE;

    /** URI scheme code of {@code dtn} (RFC 9171 §4.2.5.1). */
    int SCHEME_DTN = 1;
    /** URI scheme code of {@code ipn} (RFC 9171 §4.2.5.1). */
    int SCHEME_IPN = 2;

    /**
     * Parses a URI: {@code dtn:none}, {@code dtn://node/demux}, {@code dtn://node} (a node ID without the
     * slash that RFC 9171 requires; accepted, see {@link DtnEndpointId#isMissingTrailingSlash()}),
     * {@code ipn:N.S} or {@code ipn:A.N.S}.
     *
     *
     * @param uri the URI
     * @throws InvalidEndpointIdException naming what is wrong
     * @return the endpoint ID
     */
    static EndpointId parse(String uri) {
        if (uri == null) {
            throw new InvalidEndpointIdException("null", "no endpoint ID given");
        }
        if (uri.startsWith("dtn:")) {
            return DtnEndpointId.parseSsp(uri, uri.substring(4));
        }
        if (uri.startsWith("ipn:")) {
            return IpnEndpointId.parseSsp(uri, uri.substring(4));
        }
        int colon = uri.indexOf(':');
        throw new InvalidEndpointIdException(uri, colon < 0
                ? "no URI scheme; expected 'dtn:' or 'ipn:'"
                : "unknown URI scheme '" + uri.substring(0, colon) + "'; expected 'dtn' or 'ipn'");
    }

    /**
     * {@code dtn://node/demux}; an empty demux gives the node ID {@code dtn://node/}.
     *
     * @param node the node name
     * @param demux the demux part (may be empty)
     * @return the endpoint ID
     */
    static DtnEndpointId dtn(String node, String demux) {
        return DtnEndpointId.of(node, demux);
    }

    /**
     * {@code ipn:node.service} (two-element form).
     *
     * @param node the node number
     * @param service the service number
     * @return the endpoint ID
     */
    static IpnEndpointId ipn(long node, long service) {
        return new IpnEndpointId(0, node, service, false);
    }

    /**
     * {@return the URI scheme code used in the CBOR encoding: {@link #SCHEME_DTN} or {@link #SCHEME_IPN}}
     */
    int schemeCode();

    /** {@return the URI text, exactly as received or parsed} */
    String uri();

    /**
     * {@return the node ID of the node this endpoint belongs to ({@code dtn://node/} or {@code ipn:N.0})}
     */
    EndpointId nodeId();

    /** {@return whether this is the null endpoint ({@code dtn:none}, or {@code ipn:0.0})} */
    boolean isNone();

    /**
     * {@return whether the endpoint is a singleton; only dtn endpoints whose demux starts with {@code ~} are
     * not}
     */
    boolean isSingleton();

    /**
     * {@return whether this EID is a node ID ({@code dtn://node/}, {@code dtn://node}, {@code ipn:N.0})}
     */
    boolean isNodeId();

    /**
     * {@return the node's name as dtn7-rs uses it for peers: the node name for dtn EIDs, the decimal node number
     * for ipn EIDs (prefixed by {@code allocator.} for a three-element EID with a non-zero allocator), and
     * {@code "none"} for the null endpoint}
     */
    String nodeName();
}
