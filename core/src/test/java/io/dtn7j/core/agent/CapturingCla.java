package io.dtn7j.core.agent;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TransmissionException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A CLA named {@code capture} that records what the agent sends (decoded), or fails while {@link #failing} is set. */
final class CapturingCla implements ConvergenceLayer {
    record Sent(ClaAddress to, Bundle bundle, byte[] encoded) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    volatile boolean failing;
    volatile ClaContext context;
    private final long max;

    CapturingCla() {
        this(Long.MAX_VALUE);
    }

    CapturingCla(long maxBundleSize) {
        this.max = maxBundleSize;
    }

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public void start(ClaContext ctx) {
        this.context = ctx;
    }

    @Override
    public int port() {
        return 0;
    }

    @Override
    public long maxBundleSize() {
        return max;
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        if (failing) {
            throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, "test link down to " + to);
        }
        byte[] bytes = bundle.encoded().toByteArray();
        sent.add(new Sent(to, BundleCodec.decode(bytes, DecodeOptions.PARSE_ONLY), bytes));
    }

    @Override
    public void close() {
    }
}
