package io.dtn7j.core.agent;

import java.util.Map;

/**
 * A snapshot of the agent's counters (for metrics and {@code /status} pages).
 *
 * @param received             bundles handed to the agent by CLAs and {@code receive} (including rejected ones)
 * @param receivedBytes        their encoded bytes
 * @param rejected             bundles refused at reception (malformed, too large, store full)
 * @param duplicates           bundles dropped as already seen
 * @param created              bundles created here (sends and status reports)
 * @param forwarded            successful transmissions to peers (per next hop)
 * @param forwardedBytes       encoded bytes transmitted
 * @param forwardFailures      failed transmissions
 * @param delivered            deliveries to local registrations
 * @param deleted              deletions by reason (RFC 9171 §6.1.1 reason names)
 * @param statusReportsSent    status reports generated
 * @param statusReportsReceived status reports received for this node
 * @param fragmentsCreated     fragments created for forwarding (RFC 9171 §5.8)
 * @param reassembled          ADUs reassembled from fragments (RFC 9171 §5.9)
 * @param storedBundles        bundles in the store now
 * @param storedBytes          bytes in the store now
 * @param peers                known peers now
 * @param registrations        registrations now
 * @param deviations           received bundles accepted despite a waived RFC 9171 deviation, by deviation
 *                             (lower-case {@link io.dtn7j.bundle.codec.Deviation} names); only non-zero entries
 */
public record AgentStatistics(long received, long receivedBytes, long rejected, long duplicates, long created,
                              long forwarded, long forwardedBytes, long forwardFailures, long delivered,
                              Map<String, Long> deleted, long statusReportsSent, long statusReportsReceived,
                              long fragmentsCreated, long reassembled, long storedBundles, long storedBytes,
                              int peers, int registrations, Map<String, Long> deviations) {

    /** Copies the maps. */
    public AgentStatistics {
        deleted = Map.copyOf(deleted);
        deviations = Map.copyOf(deviations);
    }

    /** {@return total deletions} */
    public long deletedTotal() {
        return deleted.values().stream().mapToLong(Long::longValue).sum();
    }
}
