package io.dtn7j.daemon.web;

import io.dtn7j.daemon.api.ApiHandler;
import io.dtn7j.daemon.api.BundleSummary;
import io.dtn7j.daemon.api.NodeDescription;
import io.dtn7j.daemon.api.NodeService;
import io.dtn7j.daemon.api.PeerSummary;
import io.dtn7j.daemon.config.Humantime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's web pages, with what dtnd's webroot shows (dtn7-compat.md §13): {@code /} (configuration,
 * peer count, bundle count and store digest), {@code /peers} and {@code /bundles}. Pages are rendered on
 * the server and refresh their {@code <main>} every two seconds from the same URL ({@code /web/live.js}).
 */
public final class WebPages {
    private static final String LIVE_JS = load("live.js");
    private final NodeService node;

    /**
     * Pages showing {@code node}.
     *
     * @param node the node to show
     */
    public WebPages(NodeService node) {
        this.node = node;
    }

    /** {@return the script that keeps a page's {@code <main>} up to date} */
    public static String liveScript() {
        return LIVE_JS;
    }

    /** {@return the HTML of {@code /}: configuration, peers and bundles summary} */
    public String index() {
        NodeDescription d = node.description();
        List<BundleSummary> bundles = node.bundles();
        List<String> ids = new ArrayList<>();
        bundles.forEach(b -> ids.add(b.bundleId()));
        StringBuilder m = new StringBuilder();
        m.append("<h2>Configuration</h2>\n<table class=\"config\">\n");
        row(m, "Node ID", esc(node.nodeId()));
        row(m, "Routing", esc(d.routing()));
        row(m, "Convergence layers", esc(String.join(", ", d.clas())));
        row(m, "Janitor interval", esc(Humantime.format(Duration.ofMillis(d.janitorMs()))));
        row(m, "Announcement interval", esc(Humantime.format(Duration.ofMillis(d.announcementMs()))));
        row(m, "Peer timeout", esc(Humantime.format(Duration.ofMillis(d.peerTimeoutMs()))));
        row(m, "Store", esc(d.store()));
        row(m, "Endpoints", esc(String.join(", ", node.registeredEndpoints())));
        m.append("</table>\n");
        m.append("<p><a href=\"/peers\">Peers</a>: <span id=\"peer-count\">").append(node.peers().size())
                .append("</span></p>\n");
        m.append("<p><a href=\"/bundles\">Bundles</a>: <span id=\"bundle-count\">").append(bundles.size())
                .append("</span> (<span id=\"digest\">").append(ApiHandler.digest(ids)).append("</span>)</p>\n");
        m.append("<p><a href=\"/metrics\">Metrics</a></p>\n");
        return page("", m.toString());
    }

    /** {@return the HTML of {@code /peers}: Name / Type / Addr / Last Seen} */
    public String peers() {
        StringBuilder m = new StringBuilder();
        List<PeerSummary> peers = node.peers();
        m.append("<h2>Peers (<span id=\"peer-count\">").append(peers.size()).append("</span>)</h2>\n");
        m.append("<table id=\"peers\">\n<tr><th>Name</th><th>Type</th><th>Addr</th><th>CLAs</th><th>Last Seen</th></tr>\n");
        long now = System.currentTimeMillis() / 1000;
        for (PeerSummary p : peers) {
            StringBuilder clas = new StringBuilder();
            for (PeerSummary.Cla c : p.clas()) {
                if (!clas.isEmpty()) {
                    clas.append(", ");
                }
                clas.append(c.name()).append(c.port() == null ? "" : ":" + c.port());
            }
            String seen = p.isStatic() ? "n/a" : Humantime.format(Duration.ofSeconds(Math.max(0, now - p.lastContactUnixSeconds())));
            m.append("<tr class=\"peer\"><td>").append(esc(p.nodeId())).append("</td><td>")
                    .append(p.isStatic() ? "Static" : "Dynamic").append("</td><td>")
                    .append(esc(addrJson(p.host()))).append("</td><td>").append(esc(clas.toString()))
                    .append("</td><td>").append(seen).append("</td></tr>\n");
        }
        m.append("</table>\n");
        return page("Peers", m.toString());
    }

    /**
     * {@return the HTML of {@code /bundles}: digest heading, bundle IDs linking to {@code /download?<bid>}, sizes}
     */
    public String bundles() {
        List<BundleSummary> bundles = node.bundles();
        List<String> ids = new ArrayList<>();
        bundles.forEach(b -> ids.add(b.bundleId()));
        StringBuilder m = new StringBuilder();
        m.append("<h2>Bundles (<span id=\"digest\">").append(ApiHandler.digest(ids)).append("</span>)</h2>\n");
        m.append("<table id=\"bundles\">\n<tr><th>Bundle ID</th><th>Source</th><th>Destination</th><th>Size</th></tr>\n");
        for (BundleSummary b : bundles) {
            m.append("<tr class=\"bundle\"><td><a href=\"/download?").append(esc(b.bundleId())).append("\">")
                    .append(esc(b.bundleId())).append("</a></td><td>").append(esc(b.source())).append("</td><td>")
                    .append(esc(b.destination())).append("</td><td>").append(size(b.size())).append("</td></tr>\n");
        }
        m.append("</table>\n");
        return page("Bundles", m.toString());
    }

    private String page(String section, String main) {
        String id = esc(node.nodeId());
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>dtn7: " + id + (section.isEmpty() ? "" : " - " + section) + "</title>\n"
                + "<style>body{font-family:monospace;margin:1.5em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #999;padding:2px 8px;text-align:left}nav a{margin-right:1em}</style>\n"
                + "</head>\n<body>\n<h1><a href=\"/\">dtn7 local node: <span id=\"nodeid\">" + id + "</span></a></h1>\n"
                + "<nav><a href=\"/\">Overview</a><a href=\"/peers\">Peers</a><a href=\"/bundles\">Bundles</a></nav>\n"
                + "<main id=\"live\">\n" + main + "</main>\n"
                + "<script src=\"/web/live.js\"></script>\n</body>\n</html>\n";
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append("<tr><th>").append(key).append("</th><td>").append(value).append("</td></tr>\n");
    }

    private static String addrJson(String host) {
        boolean ip = host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
        return "{\"" + (ip ? "Ip" : "Generic") + "\":\"" + host + "\"}";
    }

    /** Decimal units as dtnd's bundle page: {@code 105 B}, {@code 1.2 kB}. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** HTML-escapes text. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String load(String name) {
        try (InputStream in = WebPages.class.getResourceAsStream("/io/dtn7j/daemon/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource io/dtn7j/daemon/web/" + name + " missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
