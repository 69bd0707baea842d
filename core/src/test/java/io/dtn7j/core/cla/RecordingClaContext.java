package io.dtn7j.core.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ClaContext} for the CLA fuzz tests: accepts whatever a CLA hands over (deciding what is a bundle is the
 * agent's job) and keeps its bytes, so a test can compare them with what the peer sent.
 */
public final class RecordingClaContext implements ClaContext {

    /** The bytes of every delivery, in order. */
    public final List<byte[]> delivered = new CopyOnWriteArrayList<>();
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
    }

    @Override
    public void linkDown(ClaPeer peer) {
    }

    @Override
    public Path spoolDirectory() {
        return spool;
    }
}
