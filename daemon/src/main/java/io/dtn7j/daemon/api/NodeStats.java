package io.dtn7j.daemon.api;

import java.util.Map;

/**
 * Counters of the node, for {@code /status/info} and {@code /metrics}.
 *
 * @param incoming bundles received from peers and clients
 * @param duplicates duplicates dropped
 * @param outgoing bundles forwarded
 * @param delivered bundles delivered locally
 * @param failed failed transmissions
 * @param broken bundles that could not be decoded
 * @param created bundles created locally
 * @param deletedByReason deletions by status report reason name
 * @param storeCount bundles in the store
 * @param storeBytes bytes in the store
 * @param peers known peers
 * @param clas counters per convergence layer
 * @param bytesIn bytes received by convergence layers
 * @param bytesOut bytes sent by convergence layers
 * @param forwardPending bundles waiting for forwarding
 * @param dispatchPending bundles waiting for dispatch
 * @param startedUnixSeconds when the node started
 */
public record NodeStats(long incoming, long duplicates, long outgoing, long delivered, long failed, long broken,
                        long created, Map<String, Long> deletedByReason, long storeCount, long storeBytes,
                        long peers, java.util.List<ClaCounters> clas, long bytesIn, long bytesOut,
                        long forwardPending, long dispatchPending, long startedUnixSeconds) {
}
