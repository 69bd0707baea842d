package io.dtn7j.core.agent.testlink;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaContext;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.cla.TransmissionException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process network for multi-node tests in one JVM: each node gets a {@link Link} convergence layer (name
 * {@value #CLA_NAME}, address {@code inproc://<node name>:0}); {@link #connect} and {@link #disconnect} bring the
 * bidirectional link between two nodes up and down and tell both agents ({@code linkUp}/{@code linkDown}). A send
 * over a link that is down fails with {@code CONNECT_FAILED}; a send over a link that is up hands a private copy of
 * the bytes to the receiving agent and returns after it accepted them.
 */
public final class InProcessNetwork {
    /** The CLA name. */
    public static final String CLA_NAME = "inproc";

    private final Map<String, Link> nodes = new ConcurrentHashMap<>();
    private final Set<String> up = ConcurrentHashMap.newKeySet();

    /** A link CLA for the node called {@code name} without a size limit. */
    public Link link(String name) {
        return link(name, Long.MAX_VALUE);
    }

    /** A link CLA for the node called {@code name} that carries bundles of at most {@code maxBundleSize} bytes. */
    public Link link(String name, long maxBundleSize) {
        Link l = new Link(name, maxBundleSize);
        if (nodes.putIfAbsent(name, l) != null) {
            throw new IllegalArgumentException("node " + name + " already has a link");
        }
        return l;
    }

    /** The address of node {@code name}. */
    public static ClaAddress address(String name) {
        return new ClaAddress(CLA_NAME, name, 0);
    }

    /** Brings the link between {@code a} and {@code b} up (both agents see linkUp). */
    public void connect(String a, String b) {
        if (up.add(key(a, b))) {
            Link la = node(a);
            Link lb = node(b);
            la.context.linkUp(new ClaPeer(address(b), lb.context.nodeId()));
            lb.context.linkUp(new ClaPeer(address(a), la.context.nodeId()));
        }
    }

    /** Takes the link between {@code a} and {@code b} down (both agents see linkDown). */
    public void disconnect(String a, String b) {
        if (up.remove(key(a, b))) {
            Link la = node(a);
            Link lb = node(b);
            la.context.linkDown(new ClaPeer(address(b), lb.context.nodeId()));
            lb.context.linkDown(new ClaPeer(address(a), la.context.nodeId()));
        }
    }

    /** Whether the link between {@code a} and {@code b} is up. */
    public boolean isUp(String a, String b) {
        return up.contains(key(a, b));
    }

    private Link node(String name) {
        Link l = nodes.get(name);
        if (l == null || l.context == null) {
            throw new IllegalStateException("node " + name + " has no started link");
        }
        return l;
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    /** One node's end of the in-process network. */
    public final class Link implements ConvergenceLayer {
        private final String name;
        private final long maxBundleSize;
        private volatile ClaContext context;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong sentBytes = new AtomicLong();
        private final AtomicLong largest = new AtomicLong();
        private volatile boolean closed;

        Link(String name, long maxBundleSize) {
            this.name = name;
            this.maxBundleSize = maxBundleSize;
        }

        @Override
        public String name() {
            return CLA_NAME;
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
            return maxBundleSize;
        }

        /** Node name of this end. */
        public String nodeName() {
            return name;
        }

        /** This node's node ID (after start). */
        public EndpointId nodeId() {
            return context.nodeId();
        }

        /** Bundles sent successfully over this end. */
        public long sentCount() {
            return sent.get();
        }

        /** Encoded bytes sent successfully. */
        public long sentBytes() {
            return sentBytes.get();
        }

        /** Largest encoded bundle sent. */
        public long largestSent() {
            return largest.get();
        }

        @Override
        public void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException {
            if (closed) {
                throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, name + " is closed");
            }
            if (!up.contains(key(name, to.host()))) {
                throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED,
                        "no link from " + name + " to " + to.host());
            }
            Link peer = nodes.get(to.host());
            if (peer == null || peer.context == null) {
                throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED, "no node " + to.host());
            }
            long size = bundle.encoded().size();
            if (size > maxBundleSize) {
                throw new TransmissionException(TransmissionException.Reason.TOO_LARGE,
                        size + " bytes exceed this link's limit of " + maxBundleSize);
            }
            ByteSource copy = ByteSource.of(bundle.encoded().toByteArray());
            ReceptionResult r = peer.context.bundleReceived(copy, new ClaPeer(address(name), context.nodeId()));
            if (r instanceof ReceptionResult.Rejected rej) {
                throw new TransmissionException(TransmissionException.Reason.PROTOCOL_ERROR,
                        to.host() + " rejected " + bundle.id() + ": " + rej.reason());
            }
            sent.incrementAndGet();
            sentBytes.addAndGet(size);
            largest.accumulateAndGet(size, Math::max);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return "inproc link of " + name;
        }
    }
}
