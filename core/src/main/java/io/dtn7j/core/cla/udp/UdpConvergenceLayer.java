package io.dtn7j.core.cla.udp;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.TransmissionException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code udp}: one bundle per datagram, no framing (as dtn7-rs and ION's udpcl), standard port
 * {@value #DEFAULT_PORT}. Reports {@link #maxBundleSize()} of at most {@value #MAX_DATAGRAM} bytes so the agent
 * fragments larger bundles proactively. Datagrams that are not bundles are handed to the agent, which
 * rejects them; nothing here parses them.
 */
public final class UdpConvergenceLayer implements ConvergenceLayer {

    /** The standard port. */
    public static final int DEFAULT_PORT = 4556;
    /** Largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM = 65_507;

    private static final System.Logger LOG = System.getLogger(UdpConvergenceLayer.class.getName());

    private final ClaOptions options;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DatagramSocket socket;
    private volatile ClaContext context;

    /**
     * A UDP CLA; nothing runs until it is started.
     *
     * @param options the options ({@link ClaOptions#maxBundleSize()} is capped at {@value #MAX_DATAGRAM})
     */
    public UdpConvergenceLayer(ClaOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "udp";
    }

    @Override
    public void start(ClaContext ctx) throws IOException {
        if (socket != null) {
            throw new IllegalStateException("udp CLA already started");
        }
        context = ctx;
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.setReceiveBufferSize(1 << 20);
        s.bind(new InetSocketAddress(InetAddress.getByName(options.bindHost()), options.portOr(DEFAULT_PORT)));
        socket = s;
        Thread.ofVirtual().name("udp-receive-" + s.getLocalPort()).start(this::receiveLoop);
        LOG.log(Level.INFO, "udp listening on {0}", s.getLocalSocketAddress());
    }

    private void receiveLoop() {
        byte[] buf = new byte[65_536];
        while (!closed.get()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.log(Level.WARNING, "udp: receive failed: {0}", e.getMessage());
                }
                continue;
            }
            if (p.getLength() == 0 || p.getLength() > maxBundleSize()) {
                continue;
            }
            byte[] data = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
            ClaPeer from = new ClaPeer(new ClaAddress("udp", p.getAddress().getHostAddress(), p.getPort()), null);
            try {
                ReceptionResult r = context.bundleReceived(ByteSource.of(data), from);
                if (r instanceof ReceptionResult.Rejected rej) {
                    LOG.log(Level.INFO, "udp: datagram from {0} rejected: {1}", from.address(), rej.reason());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "udp: agent failed on a datagram from " + from.address(), e);
            }
        }
    }

    @Override
    public int port() {
        DatagramSocket s = socket;
        return s == null ? 0 : s.getLocalPort();
    }

    @Override
    public long maxBundleSize() {
        return Math.min(options.maxBundleSize(), MAX_DATAGRAM);
    }

    @Override
    public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
        long size = bundle.encoded().size();
        if (size > maxBundleSize()) {
            throw new TransmissionException(TransmissionException.Reason.TOO_LARGE, "bundle " + bundle.id() + " has "
                    + size + " bytes; udp carries at most " + maxBundleSize() + " (fragment it first)");
        }
        DatagramSocket s = socket;
        if (s == null || closed.get()) {
            throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, "udp CLA is not running");
        }
        try {
            byte[] data = bundle.encoded().toByteArray();
            s.send(new DatagramPacket(data, data.length,
                    new InetSocketAddress(to.host(), to.portOr(DEFAULT_PORT))));
        } catch (IOException | IllegalArgumentException e) {
            throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED,
                    "udp send to " + to + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && socket != null) {
            socket.close();
        }
    }
}
