package io.dtn7j.daemon.api;

/**
 * A bundle delivered to a registered endpoint, with what the WebSocket data modes and the REST
 * {@code /endpoint} route need.
 *
 * @param bundleId dtn7-rs bundle ID string
 * @param source source EID text
 * @param destination destination EID text
 * @param creationTimeMs creation timestamp DTN time (ms)
 * @param sequence creation timestamp sequence number
 * @param lifetimeMs lifetime in ms
 * @param administrativeRecord whether the payload is an administrative record
 * @param payload the payload bytes
 * @param encoded the whole bundle, CBOR encoded
 */
public record ReceivedBundle(String bundleId, String source, String destination, long creationTimeMs,
                             long sequence, long lifetimeMs, boolean administrativeRecord, byte[] payload,
                             byte[] encoded) {
}
