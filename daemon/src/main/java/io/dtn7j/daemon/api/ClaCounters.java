package io.dtn7j.daemon.api;

/**
 * Counters of one convergence layer.
 *
 * @param name CLA name
 * @param sessions links/sessions up now
 * @param bundlesIn bundles received
 * @param bundlesOut bundles sent
 * @param bytesIn encoded bytes received
 * @param bytesOut encoded bytes sent
 * @param failures failed transmissions
 */
public record ClaCounters(String name, long sessions, long bundlesIn, long bundlesOut, long bytesIn, long bytesOut,
                          long failures) {
    /**
     * Counters without a failure count.
     *
     * @param name CLA name
     * @param sessions links/sessions up now
     * @param bundlesIn bundles received
     * @param bundlesOut bundles sent
     * @param bytesIn encoded bytes received
     * @param bytesOut encoded bytes sent
     */
    public ClaCounters(String name, long sessions, long bundlesIn, long bundlesOut, long bytesIn, long bytesOut) {
        this(name, sessions, bundlesIn, bundlesOut, bytesIn, bytesOut, 0);
    }
}
