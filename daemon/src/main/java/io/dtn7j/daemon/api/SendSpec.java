package io.dtn7j.daemon.api;

/**
 * A bundle to create from an application payload ({@code /send}, WebSocket data and JSON modes).
 *
 * @param source source EID text (the node ID when the client gives none)
 * @param destination destination EID text
 * @param lifetimeMs lifetime in milliseconds
 * @param flags bundle processing control flags
 * @param hopLimit hop limit for a hop-count block, 0 for none
 * @param payload the payload bytes
 */
public record SendSpec(String source, String destination, long lifetimeMs, long flags, int hopLimit, byte[] payload) {
}
