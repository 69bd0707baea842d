package io.dtn7j.daemon.api;

import java.util.List;

/**
 * A stored bundle as the status routes and pages list it.
 *
 * @param bundleId dtn7-rs bundle ID string
 * @param source source EID text
 * @param destination destination EID text
 * @param creationTimeMs creation time, DTN ms
 * @param size encoded size in bytes
 * @param constraints retention constraint names ({@code ForwardPending}, {@code LocalEndpoint}, ...)
 */
public record BundleSummary(String bundleId, String source, String destination, long creationTimeMs, long size,
                            List<String> constraints) {
}
