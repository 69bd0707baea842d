package io.dtn7j.daemon.api;

import java.util.List;

/**
 * Static configuration facts shown on the index page.
 *
 * @param routing routing algorithm name
 * @param clas convergence layers with their listening ports ({@code mtcp:16162})
 * @param janitorMs janitor interval (0 = off)
 * @param announcementMs discovery beacon interval (0 = off)
 * @param peerTimeoutMs peer timeout
 * @param store store description (kind and path)
 */
public record NodeDescription(String routing, List<String> clas, long janitorMs, long announcementMs,
                              long peerTimeoutMs, String store) {
}
