package io.dtn7j.daemon.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * What the HTTP/WebSocket API needs from a bundle node. The daemon's implementation adapts the
 * {@code BundleProtocolAgent}; keeping this seam small lets the API be tested on its own and keeps the
 * dtn7-rs-compatible surface (strings, bytes) apart from the agent's typed model.
 *
 * <p>Endpoint IDs and bundle IDs cross this interface as their textual forms (dtn7-rs's strings).
 * Methods throw {@link ApiException} for input the node rejects (a status code and a message that the
 * API returns to the client as is).
 */
public interface NodeService {

    /** The node ID, e.g. {@code dtn://node1/} or {@code ipn:23.0}. */
    String nodeId();

    /** Registered endpoint IDs: the node ID first, then the others in registration order. */
    List<String> registeredEndpoints();

    /** Checks an endpoint ID text and returns its canonical form; throws 400 when it is not an EID. */
    String parseEndpoint(String eid) throws ApiException;

    /** Registers a passive endpoint (poll or WebSocket); registering twice is a no-op. */
    void register(String eid) throws ApiException;

    /** Removes a registration; unknown endpoints are ignored. */
    void unregister(String eid) throws ApiException;

    boolean isRegistered(String eid);

    /** Takes the next bundle queued for a registered endpoint (FIFO), empty when there is none. */
    Optional<ReceivedBundle> poll(String eid) throws ApiException;

    /** Creates, stores and dispatches a bundle; returns its bundle ID string. */
    String send(SendSpec spec) throws ApiException;

    /**
     * Takes an encoded bundle from a client ({@code /insert}, WS bundle mode) or a peer ({@code /push}).
     * Throws 400 with a message when it cannot be decoded.
     */
    void receive(byte[] encodedBundle, boolean fromPeer) throws ApiException;

    /** The bundles the node holds (not deleted). */
    List<BundleSummary> bundles();

    /** The encoded bundle, streamed, or empty when the node does not hold it. */
    Optional<BundleData> download(String bundleId);

    /** Deletes a held bundle; false when it is unknown. */
    boolean delete(String bundleId) throws ApiException;

    /** Known peers. */
    List<PeerSummary> peers();

    /**
     * Adds or updates a peer from a dtn7-rs peer URL ({@code mtcp://127.0.0.1:16162/node2}).
     * Returns true when the peer was new.
     */
    boolean addPeer(String peerUrl, boolean isStatic) throws ApiException;

    /** Removes a peer given by its peer URL; false when it was unknown. */
    boolean removePeer(String peerUrl) throws ApiException;

    /** A fresh creation timestamp {@code [dtn time ms, sequence]} as dtn7-rs's {@code /cts} hands out. */
    long[] creationTimestamp();

    /** Counters for {@code /status/info} and {@code /metrics}. */
    NodeStats stats();

    /** Static facts for the web pages' configuration block. */
    NodeDescription description();

    /** A streamable encoded bundle. */
    interface BundleData {
        long size();
        InputStream open() throws IOException;
    }
}
