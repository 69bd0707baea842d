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

    /** {@return the node ID, such as {@code dtn://node1/} or {@code ipn:23.0}} */
    String nodeId();

    /** {@return registered endpoint IDs: the node ID first, then the others in registration order} */
    List<String> registeredEndpoints();

    /**
     * Checks an endpoint ID text and returns its canonical form; throws 400 when it is not an EID.
     *
     * @param eid the endpoint ID text
     * @return the canonical endpoint ID text
     * @throws ApiException with status 400 if {@code eid} is not an endpoint ID
     */
    String parseEndpoint(String eid) throws ApiException;

    /**
     * Registers a passive endpoint (poll or WebSocket); registering twice is a no-op.
     *
     * @param eid the endpoint ID text
     * @throws ApiException with status 400 if {@code eid} is not an endpoint ID
     */
    void register(String eid) throws ApiException;

    /**
     * Removes a registration; unknown endpoints are ignored.
     *
     * @param eid the endpoint ID text
     * @throws ApiException with status 400 if {@code eid} is not an endpoint ID
     */
    void unregister(String eid) throws ApiException;

    /**
     * Whether an endpoint is registered with the node.
     *
     * @param eid the endpoint ID text
     * @return true if {@code eid} is registered
     */
    boolean isRegistered(String eid);

    /**
     * Takes the next bundle queued for a registered endpoint (FIFO), empty when there is none.
     *
     * @param eid the endpoint ID text
     * @return the oldest queued bundle, or empty
     * @throws ApiException with status 400 if {@code eid} is not an endpoint ID
     */
    Optional<ReceivedBundle> poll(String eid) throws ApiException;

    /**
     * Takes the next bundle queued for a registered endpoint, waiting up to {@code timeout} for one. Implementations
     * should wake on delivery; this default re-polls every millisecond.
     *
     * @param eid     endpoint ID text
     * @param timeout longest wait
     * @return the bundle, or empty after the timeout
     * @throws ApiException         if {@code eid} is not an endpoint ID or not registered
     * @throws InterruptedException if interrupted while waiting
     */
    default Optional<ReceivedBundle> poll(String eid, java.time.Duration timeout) throws ApiException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ReceivedBundle> b = poll(eid);
            if (b.isPresent() || System.nanoTime() >= deadline) {
                return b;
            }
            Thread.sleep(1);
        }
    }

    /**
     * Creates, stores and dispatches a bundle; returns its bundle ID string.
     *
     * @param spec what to send
     * @return the new bundle's ID
     * @throws ApiException with status 400 if the spec is invalid
     */
    String send(SendSpec spec) throws ApiException;

    /**
     * Takes an encoded bundle from a client ({@code /insert}, WS bundle mode) or a peer ({@code /push}).
     * Throws 400 with a message when it cannot be decoded.
     *
     * @param encodedBundle the encoded bundle
     * @param fromPeer true for a peer's {@code /push}, false for a client
     * @throws ApiException with status 400 if the bundle cannot be decoded
     */
    void receive(byte[] encodedBundle, boolean fromPeer) throws ApiException;

    /** {@return the bundles the node holds (not deleted)} */
    List<BundleSummary> bundles();

    /**
     * The encoded bundle, streamed, or empty when the node does not hold it.
     *
     * @param bundleId the bundle ID text
     * @return the bundle's encoding, or empty
     */
    Optional<BundleData> download(String bundleId);

    /**
     * Deletes a held bundle; false when it is unknown.
     *
     * @param bundleId the bundle ID text
     * @return true if the bundle was held and is now deleted
     * @throws ApiException with status 400 if {@code bundleId} is not a bundle ID
     */
    boolean delete(String bundleId) throws ApiException;

    /** {@return known peers} */
    List<PeerSummary> peers();

    /**
     * Adds or updates a peer from a dtn7-rs peer URL ({@code mtcp://127.0.0.1:16162/node2}).
     * Returns true when the peer was new.
     *
     * @param peerUrl the peer URL
     * @param isStatic true for a static peer, which never times out
     * @return true if the peer was not known before
     * @throws ApiException with status 400 if the URL is malformed
     */
    boolean addPeer(String peerUrl, boolean isStatic) throws ApiException;

    /**
     * Removes a peer given by its peer URL; false when it was unknown.
     *
     * @param peerUrl the peer URL
     * @return true if the peer was known and is now removed
     * @throws ApiException with status 400 if the URL is malformed
     */
    boolean removePeer(String peerUrl) throws ApiException;

    /**
     * {@return a fresh creation timestamp {@code [dtn time ms, sequence]} as dtn7-rs's {@code /cts} hands out}
     */
    long[] creationTimestamp();

    /** {@return counters for {@code /status/info} and {@code /metrics}} */
    NodeStats stats();

    /** {@return static facts for the web pages' configuration block} */
    NodeDescription description();

    /**
     * Runs a command on the router ({@code /routing/cmd?c=}).
     *
     * @param command the command text
     * @return the reply text
     * @throws ApiException 400 for a command the router does not take; 501 when the node has no router control
     */
    default String routingCommand(String command) throws ApiException {
        throw new ApiException(501, "this node takes no routing commands");
    }

    /**
     * Describes the router's state ({@code /routing/getdata?p=}).
     *
     * @param param the {@code p} parameter, empty when absent
     * @return the reply text
     * @throws ApiException 4xx for a bad parameter; 501 when the node has no router control
     */
    default String routingData(String param) throws ApiException {
        throw new ApiException(501, "this node has no routing data to show");
    }

    /**
     * Creates a random bundle ({@code /debug/rnd_bundle}) and hands it to the node as if a client had inserted it.
     *
     * @return the new bundle's ID
     * @throws ApiException 501 when the node has no debug support
     */
    default String debugRandomBundle() throws ApiException {
        throw new ApiException(501, "this node has no debug routes");
    }

    /**
     * Adds a random, unreachable discovered peer ({@code /debug/rnd_peer}).
     *
     * @return the peer as {@code /status/peers} would show it
     * @throws ApiException 501 when the node has no debug support
     */
    default PeerSummary debugRandomPeer() throws ApiException {
        throw new ApiException(501, "this node has no debug routes");
    }

    /**
     * Samples for {@code /metrics} beyond {@link #stats()}: waived RFC 9171 deviations by kind, status reports,
     * fragments, discovery, external CLAs and router.
     *
     * @return the samples, grouped by name
     */
    default List<MetricSample> extraMetrics() {
        return List.of();
    }

    /** A streamable encoded bundle. */
    interface BundleData {
        /**
         * The encoding's size.
         *
         * @return the size in bytes
         */
        long size();
        /**
         * Opens the encoding for reading; the caller closes the stream.
         *
         * @return a stream over the encoded bundle
         * @throws IOException if the stored bundle cannot be read
         */
        InputStream open() throws IOException;
    }
}
