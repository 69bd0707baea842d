package io.dtn7j.core.cla;

import java.io.IOException;

/**
 * A convergence layer adapter (CLA): carries encoded bundles between this node and its neighbours over one
 * kind of link (MTCP, TCPCLv4, UDP, ...). The agent {@link #start starts} it with a {@link ClaContext} that
 * receives what arrives, and calls {@link #send} (on a virtual thread, concurrently for different peers) to
 * transmit. Implementations are registered by {@link #name()} in {@link ConvergenceLayers}.
 */
public interface ConvergenceLayer extends AutoCloseable {

    /** {@return the registry name, e.g. {@code "mtcp"}, {@code "tcp"}, {@code "udp"}, {@code "http"}} */
    String name();

    /**
     * Binds listeners (port 0 = an ephemeral port) and starts the threads that serve them.
     *
     *
     * @param context the agent's side: where received bundles and link events go
     * @throws IOException when a listener cannot be bound
     */
    void start(ClaContext context) throws IOException;

    /** {@return the actual listening port after {@link #start}; 0 if this CLA listens on none} */
    int port();

    /**
     * {@return the largest encoded bundle this CLA carries whole ({@link Long#MAX_VALUE} if unlimited)} The
     * agent fragments bundles above it proactively (e.g. for {@code udp}).
     */
    long maxBundleSize();

    /**
     * Transmits one bundle; blocking, called on a virtual thread. Returns once the bundle was transmitted,
     * and acknowledged where the protocol has acknowledgements (TCPCLv4: the XFER_ACK of the last segment).
     *
     * @param to     the peer's address; a port of 0 means this CLA's default port
     * @param bundle the bundle's ID and encoded bytes
     * @throws TransmissionException with a {@link TransmissionException.Reason} saying why it failed
     */
    void send(ClaAddress to, OutgoingBundle bundle) throws TransmissionException;

    /**
     * Transmits one bundle to a peer whose node ID is known. A CLA whose sessions carry node IDs (TCPCLv4) may
     * use a session the peer opened to this node instead of connecting to {@code to.address()}; by default this
     * is {@link #send(ClaAddress, OutgoingBundle)} to the address.
     *
     * @param to     the peer: its address, and its node ID if known ({@code null} otherwise)
     * @param bundle the bundle's ID and encoded bytes
     * @throws TransmissionException with a {@link TransmissionException.Reason} saying why it failed
     */
    default void send(ClaPeer to, OutgoingBundle bundle) throws TransmissionException {
        send(to.address(), bundle);
    }

    /** Ends sessions properly (SESS_TERM etc.), closes listeners; idempotent. */
    @Override
    void close();
}
