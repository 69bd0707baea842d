package io.dtn7j.core.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ClaContext} for the CLA fuzz tests: accepts whatever a CLA hands over (deciding what is a bundle is the
 * agent's job) and keeps its bytes, so a test can compare them with what the peer sent; and the link events, in the
 * order the CLA reports them.
 */
public final class RecordingClaContext implements ClaContext {

    /** The bytes of every delivery, in order. */
    public final List<byte[]> delivered = new CopyOnWriteArrayList<>();
    /** Every link event, in order: {@code "up <address>"} or {@code "down <address>"}. */
    public final List<String> linkEvents = new CopyOnWriteArrayList<>();
    private final Path spool;

    /** @param spool the spool directory handed to the CLA */
    public RecordingClaContext(Path spool) {
        this.spool = spool;
    }

    @Override
    public EndpointId nodeId() {
        return EndpointId.parse("dtn://fuzzed/");
    }

    @Override
    public ReceptionResult bundleReceived(ByteSource encodedBundle, ClaPeer from) {
        delivered.add(encodedBundle.toByteArray());
        return new ReceptionResult.Accepted();
    }

    @Override
    public boolean hasBundle(BundleId id) {
        return false;
    }

    @Override
    public void linkUp(ClaPeer peer) {
        linkEvents.add("up " + peer.address());
    }

    @Override
    public void linkDown(ClaPeer peer) {
        linkEvents.add("down " + peer.address());
    }

    @Override
    public Path spoolDirectory() {
        return spool;
    }
}
