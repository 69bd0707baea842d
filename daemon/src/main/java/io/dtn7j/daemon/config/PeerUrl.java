package io.dtn7j.daemon.config;

import java.util.Locale;

/**
 * A dtn7-rs peer URL {@code <cla>://<host>[:<port>]/<nodename>}, as given to {@code -s/--static-peer},
 * {@code statics.peers} and {@code /peers/add?p=}. Slashes in the path are removed; an all-digit name
 * is the ipn node {@code ipn:N.0}, any other name the dtn node {@code dtn://<name>/}. A missing port
 * is 0 (meaning: the port of the local CLA of the same name).
 *
 * @param cla convergence layer name (lower case)
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port port, 0 when absent
 * @param nodeId the peer's node ID text
 */
public record PeerUrl(String cla, String host, int port, String nodeId) {

    /**
     * Parses a peer URL.
     *
     *
     * @param url the URL, e.g. {@code mtcp://127.0.0.1:16162/node2}
     * @throws IllegalArgumentException saying what part is wrong
     * @return the parsed URL
     */
    public static PeerUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("empty peer URL: expected <cla>://<host>[:<port>]/<nodename>");
        }
        String u = url.strip();
        int sep = u.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("peer URL '" + url + "' has no '<cla>://' prefix (e.g. mtcp://10.0.0.2:16162/node2)");
        }
        String cla = u.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!cla.matches("(ecla\\+)?[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("peer URL '" + url + "': '" + cla + "' is not a convergence layer name");
        }
        String rest = u.substring(sep + 3);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("peer URL '" + url + "' has no node name: append /<nodename>");
        }
        String authority = rest.substring(0, slash);
        String name = rest.substring(slash).replace("/", "");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("peer URL '" + url + "' has an empty node name");
        }
        if (!isValidNodeName(name)) {
            throw new IllegalArgumentException("peer URL '" + url + "': '" + name + "' is not a valid node name");
        }
        String host;
        int port = 0;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("peer URL '" + url + "': unterminated IPv6 literal");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                port = parsePort(after.substring(1), url);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("peer URL '" + url + "': junk after IPv6 literal");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && authority.indexOf(':') == colon) {
                host = authority.substring(0, colon);
                port = parsePort(authority.substring(colon + 1), url);
            } else {
                host = authority;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("peer URL '" + url + "' has no host");
        }
        String nodeId = name.chars().allMatch(Character::isDigit) ? "ipn:" + name + ".0" : "dtn://" + name + "/";
        return new PeerUrl(cla, host, port, nodeId);
    }

    private static int parsePort(String s, String url) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer URL '" + url + "': '" + s + "' is not a port number (0-65535)");
        }
    }

    /**
     * dtn7-rs's node name rule: letter first, then [A-Za-z0-9_.-], alphanumeric last; or all digits.
     *
     * @param name the candidate name
     * @return true if it is a valid node name
     */
    public static boolean isValidNodeName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        if (name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        char first = name.charAt(0);
        char last = name.charAt(name.length() - 1);
        if (!Character.isLetter(first) || !(Character.isLetterOrDigit(last))) {
            return false;
        }
        return name.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c)) || c == '_' || c == '.' || c == '-');
    }

    /** The URL in dtn7-rs's form. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        String name = nodeId.startsWith("ipn:") ? nodeId.substring(4, nodeId.indexOf('.')) : nodeId.substring(6, nodeId.length() - 1);
        return cla + "://" + h + (port > 0 ? ":" + port : "") + "/" + name;
    }
}
