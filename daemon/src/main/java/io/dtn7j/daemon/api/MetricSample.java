package io.dtn7j.daemon.api;

/**
 * One sample for {@code /metrics} beyond the fixed {@link NodeStats} set (deviations, discovery, ECLA, ...).
 * Samples of the same {@code name} are written together under one HELP/TYPE header.
 *
 * @param name metric name ({@code dtn7j_...}, with {@code _total} for counters)
 * @param help the HELP text
 * @param type {@code counter} or {@code gauge}
 * @param labelName the label's name, or null for an unlabelled sample
 * @param labelValue the label's value, or null
 * @param value the value
 */
public record MetricSample(String name, String help, String type, String labelName, String labelValue, long value) {

    /**
     * An unlabelled counter.
     *
     * @param name metric name
     * @param help HELP text
     * @param value the count
     * @return the sample
     */
    public static MetricSample counter(String name, String help, long value) {
        return new MetricSample(name, help, "counter", null, null, value);
    }

    /**
     * An unlabelled gauge.
     *
     * @param name metric name
     * @param help HELP text
     * @param value the value
     * @return the sample
     */
    public static MetricSample gauge(String name, String help, long value) {
        return new MetricSample(name, help, "gauge", null, null, value);
    }

    /**
     * A labelled sample.
     *
     * @param name metric name
     * @param help HELP text
     * @param type {@code counter} or {@code gauge}
     * @param label label name
     * @param value label value
     * @param n the sample's value
     * @return the sample
     */
    public static MetricSample labelled(String name, String help, String type, String label, String value, long n) {
        return new MetricSample(name, help, type, label, value, n);
    }
}
