package io.dtn7j.daemon.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** {@code /metrics}: the node's counters in the Prometheus text exposition format (version 0.0.4). */
public final class Metrics {
    private final NodeService node;
    private final WsHub hub;
    /** The API server's own samples (request bodies held, requests refused, connections cut off). */
    private final List<Supplier<List<MetricSample>>> apiSources = new CopyOnWriteArrayList<>();

    /**
     * Metrics of {@code node}.
     *
     * @param node the node whose counters are reported
     * @param hub the API's WebSocket sessions
     */
    public Metrics(NodeService node, WsHub hub) {
        this.node = node;
        this.hub = hub;
    }

    /**
     * Adds samples of the API server's own, rendered after the node's counters and before its extra samples.
     *
     * @param source called at every render
     */
    void addApiSource(Supplier<List<MetricSample>> source) {
        apiSources.add(source);
    }

    /**
     * Renders every metric with HELP and TYPE lines.
     *
     * @return the exposition text
     */
    public String render() {
        NodeStats s = node.stats();
        StringBuilder sb = new StringBuilder(2048);
        counter(sb, "dtn7j_bundles_received_total", "Bundles received from peers and clients.", s.incoming());
        counter(sb, "dtn7j_bundles_duplicate_total", "Received bundles dropped as duplicates.", s.duplicates());
        counter(sb, "dtn7j_bundles_forwarded_total", "Bundles forwarded to peers.", s.outgoing());
        counter(sb, "dtn7j_bundles_delivered_total", "Bundles delivered to local endpoints.", s.delivered());
        counter(sb, "dtn7j_bundles_created_total", "Bundles created on this node.", s.created());
        counter(sb, "dtn7j_bundles_broken_total", "Received bundles that could not be decoded.", s.broken());
        counter(sb, "dtn7j_transmissions_failed_total", "Failed transmissions to peers.", s.failed());
        header(sb, "dtn7j_bundles_deleted_total", "Bundles deleted, by status report reason.", "counter");
        if (s.deletedByReason().isEmpty()) {
            sb.append("dtn7j_bundles_deleted_total{reason=\"none\"} 0\n");
        }
        for (Map.Entry<String, Long> e : s.deletedByReason().entrySet()) {
            sb.append("dtn7j_bundles_deleted_total{reason=\"").append(escape(e.getKey())).append("\"} ")
                    .append(e.getValue()).append('\n');
        }
        gauge(sb, "dtn7j_store_bundles", "Bundles in the store.", s.storeCount());
        gauge(sb, "dtn7j_store_bytes", "Bytes of encoded bundles in the store.", s.storeBytes());
        gauge(sb, "dtn7j_peers", "Known peers.", s.peers());
        gauge(sb, "dtn7j_bundles_forward_pending", "Bundles waiting to be forwarded.", s.forwardPending());
        perCla(sb, s, "dtn7j_cla_sessions", "Sessions or links up, per convergence layer.", "gauge", ClaCounters::sessions);
        perCla(sb, s, "dtn7j_cla_received_bundles_total", "Bundles received, per convergence layer.", "counter", ClaCounters::bundlesIn);
        perCla(sb, s, "dtn7j_cla_sent_bundles_total", "Bundles sent, per convergence layer.", "counter", ClaCounters::bundlesOut);
        perCla(sb, s, "dtn7j_cla_received_bytes_total", "Bytes received, per convergence layer.", "counter", ClaCounters::bytesIn);
        perCla(sb, s, "dtn7j_cla_sent_bytes_total", "Bytes sent, per convergence layer.", "counter", ClaCounters::bytesOut);
        counter(sb, "dtn7j_received_bytes_total", "Encoded bytes of all bundles received (CLAs and API).", s.bytesIn());
        counter(sb, "dtn7j_forwarded_bytes_total", "Encoded bytes of all bundles forwarded.", s.bytesOut());
        perCla(sb, s, "dtn7j_cla_send_failures_total", "Failed transmissions, per convergence layer.", "counter", ClaCounters::failures);
        gauge(sb, "dtn7j_start_time_seconds", "Unix time the node started.", s.startedUnixSeconds());
        gauge(sb, "dtn7j_api_websocket_sessions", "Open /ws application sessions.", hub.sessionCount());
        List<MetricSample> samples = new ArrayList<>();
        for (Supplier<List<MetricSample>> source : apiSources) {
            samples.addAll(source.get());
        }
        samples.addAll(node.extraMetrics());
        String current = null;
        for (MetricSample m : samples) {
            if (!m.name().equals(current)) {
                header(sb, m.name(), m.help(), m.type());
                current = m.name();
            }
            sb.append(m.name());
            if (m.labelName() != null) {
                sb.append('{').append(m.labelName()).append("=\"").append(escape(m.labelValue())).append("\"}");
            }
            sb.append(' ').append(m.value()).append('\n');
        }
        return sb.toString();
    }

    private static void perCla(StringBuilder sb, NodeStats s, String name, String help, String type,
                               java.util.function.ToLongFunction<ClaCounters> value) {
        header(sb, name, help, type);
        for (ClaCounters c : s.clas()) {
            sb.append(name).append("{cla=\"").append(escape(c.name())).append("\"} ").append(value.applyAsLong(c)).append('\n');
        }
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        header(sb, name, help, "counter");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        header(sb, name, help, "gauge");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder sb, String name, String help, String type) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
