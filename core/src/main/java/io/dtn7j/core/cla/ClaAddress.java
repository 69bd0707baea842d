package io.dtn7j.core.cla;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a peer is reached over a convergence layer: {@code cla://host:port}, e.g. {@code mtcp://10.0.0.2:16162}.
 * A port of 0 means "the CLA's default port". IPv6 hosts are written in brackets.
 *
 * @param cla  the CLA name ({@code mtcp}, {@code tcp}, ...)
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port 0..65535
 */
public record ClaAddress(String cla, String host, int port) {

    private static final Pattern FORM =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*)://(\\[[0-9A-Fa-f:.%a-zA-Z]+\\]|[^:/\\[\\]]+)(?::(\\d{1,5}))?(/.*)?");

    /** Validates the fields. */
    public ClaAddress {
        Objects.requireNonNull(cla, "cla");
        Objects.requireNonNull(host, "host");
        if (cla.isEmpty() || host.isEmpty()) {
            throw new IllegalArgumentException("CLA address needs a CLA name and a host, got '" + cla + "://" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
    }

    /**
     * Parses {@code cla://host[:port][/anything]}; a path (dtn7-rs peer URLs end in {@code /nodename}) is
     * ignored
     * here. A missing port gives port 0.
     *
     *
     * @param text the address text
     * @throws IllegalArgumentException naming what is wrong
     * @return the address
     */
    public static ClaAddress parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a CLA address: '" + text + "' (expected cla://host:port, e.g. "
                    + "mtcp://127.0.0.1:16162 or tcp://[::1]:4556)");
        }
        int port = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new ClaAddress(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2), port);
    }

    /**
     * This address with {@code defaultPort} in place of port 0.
     *
     * @param defaultPort the port to use instead of 0
     * @return the address
     */
    public ClaAddress withDefaultPort(int defaultPort) {
        return port != 0 ? this : new ClaAddress(cla, host, defaultPort);
    }

    /**
     * The port, or {@code defaultPort} when it is 0.
     *
     * @param defaultPort the port to use instead of 0
     * @return the port
     */
    public int portOr(int defaultPort) {
        return port != 0 ? port : defaultPort;
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return cla + "://" + h + ":" + port;
    }
}
