package io.dtn7j.daemon.node;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.TransmissionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps a convergence layer to count what {@code /metrics} reports per CLA: links that are up (sessions),
 * bundles and bytes received and sent. Everything else is passed through unchanged.
 */
public final class MeteredConvergenceLayer implements ConvergenceLayer {
    private final ConvergenceLayer delegate;
    private final Set<ClaPeer> links = ConcurrentHashMap.newKeySet();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder bundlesIn = new LongAdder();
    private final LongAdder bundlesOut = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final TransferListener listener;

    /**
     * Wraps {@code delegate}.
     *
     * @param delegate the convergence layer to count for
     */
    public MeteredConvergenceLayer(ConvergenceLayer delegate) {
        this(delegate, new TransferListener() {
        });
    }

    /**
     * Wraps {@code delegate} and tells {@code listener} of every transmission.
     *
     * @param delegate the convergence layer to count for
     * @param listener told of each transmission's outcome
     */
    public MeteredConvergenceLayer(ConvergenceLayer delegate, TransferListener listener) {
        this.delegate = delegate;
        this.listener = listener;
    }

    /** {@return the wrapped convergence layer} */
    public ConvergenceLayer delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void start(ClaContext context) throws IOException {
        delegate.start(new ClaContext() {
            @Override
            public EndpointId nodeId() {
                return context.nodeId();
            }

            @Override
            public ReceptionResult bundleReceived(ByteSource encodedBundle, ClaPeer from) {
                bundlesIn.increment();
                bytesIn.add(encodedBundle.size());
                return context.bundleReceived(encodedBundle, from);
            }

            @Override
            public boolean hasBundle(BundleId id) {
                return context.hasBundle(id);
            }

            @Override
            public void linkUp(ClaPeer peer) {
                links.add(peer);
                context.linkUp(peer);
            }

            @Override
            public void linkDown(ClaPeer peer) {
                links.remove(peer);
                context.linkDown(peer);
            }

            @Override
            public Path spoolDirectory() {
                return context.spoolDirectory();
            }
        });
    }

    @Override
    public int port() {
        return delegate.port();
    }

    @Override
    public long maxBundleSize() {
        return delegate.maxBundleSize();
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        try {
            delegate.send(to, bundle);
        } catch (TransmissionException e) {
            failed(to, bundle, e);
            throw e;
        }
        sent(to, bundle);
    }

    @Override
    public void send(ClaPeer to, OutgoingBundle bundle) throws TransmissionException {
        try {
            delegate.send(to, bundle);
        } catch (TransmissionException e) {
            failed(to.address(), bundle, e);
            throw e;
        }
        sent(to.address(), bundle);
    }

    private void sent(ClaAddress to, OutgoingBundle bundle) {
        bundlesOut.increment();
        bytesOut.add(bundle.encoded().size());
        listener.sent(name(), to, bundle);
    }

    private void failed(ClaAddress to, OutgoingBundle bundle, TransmissionException e) {
        failures.increment();
        listener.failed(name(), to, bundle, e);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /**
     * {@return links currently up; a CLA that is itself one connection (an ECLA module) counts as one session}
     */
    public long sessions() {
        return links.size() + (delegate instanceof SessionCounting s ? s.sessionCount() : 0);
    }

    /** A convergence layer that knows its own session count (beyond the links it reports). */
    public interface SessionCounting {
        /** {@return sessions open now} */
        long sessionCount();
    }

    /**
     * Failed transmissions so far.
     *
     * @return the count
     */
    public long failures() {
        return failures.sum();
    }

    /**
     * Bytes received so far.
     *
     * @return the count
     */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /**
     * Bytes sent so far.
     *
     * @return the count
     */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /**
     * Bundles received so far.
     *
     * @return the count
     */
    public long bundlesIn() {
        return bundlesIn.sum();
    }

    /**
     * Bundles sent so far.
     *
     * @return the count
     */
    public long bundlesOut() {
        return bundlesOut.sum();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
