package io.dtn7j.bundle;

/**
 * A {@code dtn:} endpoint ID (RFC 9171 §4.2.5.1.1): {@code dtn:none} or {@code dtn://node-name/demux}.
 * The SSP text is kept exactly as given, including a node ID written without trailing slash
 * ({@code dtn://node}) as dtn7-rs and µD3TN produce; {@link #isMissingTrailingSlash()} tells such EIDs apart,
 * and strict validation rejects them.
 *
 * @param ssp the scheme-specific part after {@code dtn:}, e.g. {@code //node/app} or {@code none}
 */
public record DtnEndpointId(String ssp) implements EndpointId {

    static final DtnEndpointId NONE = new DtnEndpointId("none");

    /**
     * Validates {@code ssp}.
     *
     * @throws InvalidEndpointIdException if it is neither {@code none} nor {@code //node-name[/demux]}
     */
    public DtnEndpointId {
        if (ssp == null) {
            throw new InvalidEndpointIdException("dtn:null", "no SSP");
        }
        check("dtn:" + ssp, ssp);
    }

    static DtnEndpointId of(String node, String demux) {
        if (node == null || demux == null) {
            throw new InvalidEndpointIdException("dtn://" + node + "/" + demux, "node name and demux must not be null");
        }
        return new DtnEndpointId("//" + node + "/" + demux);
    }

    static DtnEndpointId parseSsp(String uri, String ssp) {
        if (ssp.equals("none")) {
            return NONE;
        }
        return new DtnEndpointId(ssp); // the constructor checks it
    }

    private static void check(String uri, String ssp) {
        if (ssp.equals("none")) {
            return;
        }
        if (!ssp.startsWith("//")) {
            throw new InvalidEndpointIdException(uri, "a dtn SSP is 'none' or '//node-name/demux' (RFC 9171 4.2.5.1.1)");
        }
        int slash = ssp.indexOf('/', 2);
        int nodeEnd = slash < 0 ? ssp.length() : slash;
        if (nodeEnd == 2) {
            throw new InvalidEndpointIdException(uri, "empty node name");
        }
        for (int i = 2; i < nodeEnd; i++) {
            char c = ssp.charAt(i);
            if (c < 128 && REG_NAME[c]) {
                continue;
            }
            if (c == '%') {
                if (i + 2 >= nodeEnd || !isHex(ssp.charAt(i + 1)) || !isHex(ssp.charAt(i + 2))) {
                    throw new InvalidEndpointIdException(uri, "bad percent-encoding in node name at index " + (i + 4));
                }
                i += 2;
            } else if (!isRegNameChar(c)) {
                throw new InvalidEndpointIdException(uri, "character '" + c + "' is not allowed in a node name"
                        + " (RFC 3986 reg-name: letters, digits, -._~!$&'()*+,;= and %XX)");
            }
        }
        for (int i = nodeEnd; i < ssp.length(); i++) {
            char c = ssp.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidEndpointIdException(uri, String.format(
                        "character U+%04X is not allowed in a demux (visible ASCII only)", (int) c));
            }
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static final boolean[] REG_NAME = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            REG_NAME[c] = true;
            REG_NAME[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            REG_NAME[c] = true;
        }
        for (char c : "-._~!$&'()*+,;=".toCharArray()) {
            REG_NAME[c] = true;
        }
    }

    private static boolean isRegNameChar(char c) {
        return c < 128 && REG_NAME[c];
    }

    @Override
    public int schemeCode() {
        return SCHEME_DTN;
    }

    @Override
    public String uri() {
        return "dtn:" + ssp;
    }

    /**
     * {@return the node name ({@code node} in {@code dtn://node/demux}); {@code "none"} for {@code dtn:none}}
     */
    public String node() {
        if (isNone()) {
            return "none";
        }
        int slash = ssp.indexOf('/', 2);
        return slash < 0 ? ssp.substring(2) : ssp.substring(2, slash);
    }

    /** {@return the demux part (after the node name's slash); empty for node IDs and {@code dtn:none}} */
    public String demux() {
        if (isNone()) {
            return "";
        }
        int slash = ssp.indexOf('/', 2);
        return slash < 0 ? "" : ssp.substring(slash + 1);
    }

    /**
     * {@return whether this is a node ID written without the trailing slash RFC 9171 §4.2.5.1.1 requires ({@code
     * dtn://node})}
     */
    public boolean isMissingTrailingSlash() {
        return !isNone() && ssp.indexOf('/', 2) < 0;
    }

    @Override
    public DtnEndpointId nodeId() {
        if (isNone()) {
            return this;
        }
        if (isNodeId()) {
            return this;
        }
        return new DtnEndpointId("//" + node() + "/");
    }

    @Override
    public boolean isNone() {
        return ssp.equals("none");
    }

    @Override
    public boolean isSingleton() {
        return !demux().startsWith("~");
    }

    @Override
    public boolean isNodeId() {
        return !isNone() && demux().isEmpty();
    }

    @Override
    public String nodeName() {
        return node();
    }

    @Override
    public String toString() {
        return uri();
    }
}
