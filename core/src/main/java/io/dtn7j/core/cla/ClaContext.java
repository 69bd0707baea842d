package io.dtn7j.core.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import java.nio.file.Path;

/** What a convergence layer needs from the agent; the agent implements it. */
public interface ClaContext {

    /** {@return this node's node ID (sent in TCPCL SESS_INIT)} */
    EndpointId nodeId();

    /**
     * A complete bundle arrived. Returns once the agent has accepted it (stored durably where the store is
     * durable) or rejected it; only then does the CLA acknowledge it to the peer. Never throws for a bad
     * bundle: the result says {@link ReceptionResult.Rejected} with a reason.
     *
     * <p>A file-backed {@code encodedBundle} is valid only until this method returns: a CLA may have spooled it
     * to a file under {@link #spoolDirectory()} that it deletes afterwards, so an agent that keeps those bytes
     * must copy them (a durable store does so anyway). One held in the heap ({@link ByteSource#isInHeap()}, e.g.
     * the chunks a {@link ReceiveBuffer} read the bundle into) is never reused by the CLA and may be kept as it
     * is.
     *
     * @param encodedBundle the encoded bundle
     * @param from the peer it came from
     * @return accepted, a duplicate, or rejected with a reason
     */
    ReceptionResult bundleReceived(ByteSource encodedBundle, ClaPeer from);

    /**
     * True when the agent already holds (or has seen) this bundle: TCPCL refuses such a transfer.
     *
     * @param id the bundle's ID
     * @return true if the agent holds or has seen it
     */
    boolean hasBundle(BundleId id);

    /**
     * A session/link to a peer came up (TCPCL: after SESS_INIT, with the peer's node ID).
     *
     * @param peer the peer
     */
    void linkUp(ClaPeer peer);

    /**
     * A session/link to a peer ended.
     *
     * @param peer the peer
     */
    void linkDown(ClaPeer peer);

    /**
     * {@return where a CLA spools large incoming bundles (above 1 MiB) instead of holding them in heap}
     */
    Path spoolDirectory();
}
