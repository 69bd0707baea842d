package io.dtn7j.daemon.ecla;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.TransmissionException;
import java.io.IOException;

/**
 * The convergence layer an external module registered over {@code /ws/ecla}: {@link #send} hands the bundle to the
 * module as a {@code ForwardData} packet with {@code dst = "<peer address>:<port>"} (dtnd's format; the module's
 * registered port when the peer's address has none) and succeeds once the packet is written to the WebSocket (dtnd:
 * once queued); bundles the module forwards come in through {@link #received}. A peer address whose host is
 * {@code *} (a beacon without {@code addr}) gives an empty {@code dst}: the module sends to everyone it reaches.
 */
final class EclaModuleCla implements ConvergenceLayer, io.dtn7j.daemon.node.MeteredConvergenceLayer.SessionCounting {
    /** Largest bundle handed to a module whole; base64 makes the packet about 4/3 of it. Larger ones are fragmented. */
    static final long MAX_BUNDLE = 32L << 20;
    /** Host of a peer address that names no particular node on the module's transport. */
    static final String ANY = "*";

    private final String name;
    private final int port;
    private final EclaConnection session;
    private volatile ClaContext context;
    private volatile boolean closed;

    EclaModuleCla(String name, Integer port, EclaConnection session) {
        this.name = name;
        this.port = port == null ? 0 : port;
        this.session = session;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(ClaContext ctx) {
        this.context = ctx;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long maxBundleSize() {
        return MAX_BUNDLE;
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        if (closed) {
            throw new TransmissionException(TransmissionException.Reason.PEER_CLOSED,
                    "ECLA module " + name + " disconnected");
        }
        if (bundle.encoded().size() > MAX_BUNDLE) {
            throw new TransmissionException(TransmissionException.Reason.TOO_LARGE, "bundle of "
                    + bundle.encoded().size() + " bytes exceeds the ECLA limit of " + MAX_BUNDLE);
        }
        String dst = to.host().equals(ANY) ? "" : to.host() + ":" + (to.port() != 0 ? to.port() : port);
        try {
            session.send(new EclaPacket.ForwardData("", dst, bundle.id().toString(), bundle.encoded().toByteArray()));
        } catch (IOException e) {
            throw new TransmissionException(TransmissionException.Reason.PEER_CLOSED,
                    "ECLA module " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A bundle the module received on its transport.
     *
     * @param data the encoded bundle
     * @param src the module's address of the sender, or ""
     * @return what the agent did with it
     */
    ReceptionResult received(byte[] data, String src) {
        ClaContext ctx = context;
        if (ctx == null) {
            return new ReceptionResult.Rejected("the ECLA module is not started");
        }
        return ctx.bundleReceived(ByteSource.of(data), new ClaPeer(new ClaAddress(name, src.isEmpty() ? ANY : src, 0), null));
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public long sessionCount() {
        return closed ? 0 : 1;
    }

    @Override
    public String toString() {
        return "ECLA module " + name;
    }
}
