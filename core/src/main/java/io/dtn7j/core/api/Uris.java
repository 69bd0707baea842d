package io.dtn7j.core.api;

import io.dtn7j.bundle.DtnEndpointId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.InvalidEndpointIdException;
import io.dtn7j.bundle.IpnEndpointId;

/** Validation of the URIs and names the simple API accepts, with messages that say what to write instead. */
final class Uris {

    private static final String NODE_FORMS = "write dtn://<name>/ (e.g. dtn://node1/) or ipn:<number>.0 (e.g. ipn:23.0)";

    private Uris() {
    }

    /** A node ID: {@code dtn://node1/} ({@code dtn://node1} is completed with the slash) or {@code ipn:23.0}. */
    static EndpointId nodeId(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("no node URI given: " + NODE_FORMS);
        }
        if (uri.startsWith("ipn://")) {
            throw new IllegalArgumentException("'" + uri + "' is not a node URI: dtn7j writes ipn node IDs as in "
                    + "RFC 9171, e.g. ipn:" + uri.substring(6).replaceFirst("\\..*", "") + ".0");
        }
        EndpointId eid;
        try {
            eid = EndpointId.parse(uri);
        } catch (InvalidEndpointIdException e) {
            throw new IllegalArgumentException("'" + uri + "' is not a valid node URI (" + e.getMessage() + "): "
                    + NODE_FORMS, e);
        }
        if (eid.isNone()) {
            throw new IllegalArgumentException("dtn:none is the null endpoint and cannot name a node: " + NODE_FORMS);
        }
        if (!eid.isNodeId()) {
            throw new IllegalArgumentException("'" + uri + "' names an endpoint on node " + eid.nodeId().uri()
                    + ", not a node: set up the node as " + eid.nodeId().uri()
                    + " and register the endpoint afterwards");
        }
        if (eid instanceof DtnEndpointId dtn) {
            return EndpointId.dtn(dtn.node(), "");
        }
        return eid;
    }

    /**
     * The endpoint ID for a service name registered on {@code node}: {@code "echo"} on {@code dtn://node1/} is
     * {@code dtn://node1/echo}, {@code "7"} on {@code ipn:23.0} is {@code ipn:23.7}. A full URI of this node is
     * accepted as well.
     */
    static EndpointId service(EndpointId node, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("no endpoint name given: the node's own endpoint " + node.uri()
                    + " is the one setup returned; other endpoints need a name such as \"echo\"");
        }
        if (name.startsWith("dtn:") || name.startsWith("ipn:")) {
            EndpointId eid = Destinations.parse(name);
            if (!eid.isSingleton()) {
                throw new IllegalArgumentException("'" + name + "' is a group endpoint: register it with registerGroup");
            }
            if (!eid.nodeId().equals(node)) {
                throw new IllegalArgumentException("'" + name + "' belongs to node " + eid.nodeId().uri()
                        + ", not to this node " + node.uri() + ": register a name on this node, e.g. \""
                        + lastSegment(eid) + "\"");
            }
            if (eid.isNodeId()) {
                throw new IllegalArgumentException("'" + name + "' is the node's own endpoint, which setup already "
                        + "registered: use the endpoint setup returned");
            }
            return eid;
        }
        if (node instanceof IpnEndpointId ipn) {
            long service;
            try {
                service = Long.parseUnsignedLong(name);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + name + "' is not a service number: endpoints of the ipn node "
                        + node.uri() + " are numbers, e.g. \"7\" for ipn:" + ipn.nodeNumber() + ".7", e);
            }
            if (service == 0) {
                throw new IllegalArgumentException("service 0 is the node's own endpoint " + node.uri()
                        + ", which setup already registered: use another number");
            }
            return EndpointId.ipn(ipn.nodeNumber(), service);
        }
        if (name.startsWith("/")) {
            throw new IllegalArgumentException("'" + name + "' starts with '/': write the name without it, e.g. \""
                    + name.replaceFirst("^/+", "") + "\"");
        }
        if (name.startsWith("~")) {
            throw new IllegalArgumentException("'" + name + "' starts with '~', which marks a group: register "
                    + "groups with registerGroup and a full URI such as dtn://global/" + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '/' || c == '_' || c == '.' || c == '~' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("'" + name + "' contains '" + c + "': endpoint names may use "
                        + "letters, digits and / _ . ~ -");
            }
        }
        return EndpointId.dtn(((DtnEndpointId) node).node(), name);
    }

    /** A group endpoint ID such as {@code dtn://global/~news}. */
    static EndpointId group(String uri) {
        EndpointId eid;
        try {
            eid = EndpointId.parse(uri);
        } catch (InvalidEndpointIdException e) {
            throw new IllegalArgumentException("'" + uri + "' is not a valid group URI (" + e.getMessage()
                    + "): write a dtn URI whose name starts with '~', e.g. dtn://global/~news", e);
        }
        if (eid.isSingleton() || eid.isNone()) {
            throw new IllegalArgumentException("'" + uri + "' is not a group endpoint: a group URI's name starts with"
                    + " '~', e.g. dtn://global/~news; register single endpoints with register()");
        }
        return eid;
    }

    private static String lastSegment(EndpointId eid) {
        String uri = eid.uri();
        int slash = uri.lastIndexOf('/');
        int dot = uri.lastIndexOf('.');
        return uri.substring(Math.max(slash, dot) + 1);
    }
}
