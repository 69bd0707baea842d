package io.dtn7j.core.cla;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** Small socket helpers shared by the TCP-based convergence layers. */
public final class Sockets {

    private Sockets() {
    }

    /**
     * A listening socket on {@code host:port} (port 0 = ephemeral).
     *
     * @param host the address to bind
     * @param port the port to bind, 0 for an ephemeral one
     * @param bufferSize receive buffer for accepted connections, set before binding so that the window scale offered
     *                   in the handshake allows it (0: the OS decides)
     * @return the bound socket
     * @throws IOException if the address cannot be bound
     */
    public static ServerSocket listen(String host, int port, int bufferSize) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        if (bufferSize > 0) {
            server.setReceiveBufferSize(bufferSize);
        }
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 256);
        return server;
    }

    /**
     * Whether two hosts are the same: the same text, or IP literals of the same address (no name is looked up).
     *
     * @param a a host name or IP literal
     * @param b a host name or IP literal
     * @return true if both name the same host as far as can be told without DNS
     */
    public static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        if (!isIpLiteral(a) || !isIpLiteral(b)) {
            return false;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b)); // literals: no lookup happens
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Whether {@code host} is written as an IP address (IPv4 dotted digits, or IPv6 with colons) rather than a name.
     *
     * @param host a host name or IP literal
     * @return true for a literal, which {@link InetAddress#getByName} parses without a lookup
     */
    public static boolean isIpLiteral(String host) {
        return !host.isEmpty() && (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }

    /**
     * Settings for every TCP connection: TCP_NODELAY, keepalive, and the send and receive buffer sizes
     * ({@link ClaOptions#socketBufferSize()}).
     *
     * @param socket the socket
     * @param bufferSize send and receive buffer size, 0 to leave them to the OS
     * @throws SocketException if an option cannot be set
     */
    public static void tune(Socket socket, int bufferSize) throws SocketException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        if (bufferSize > 0) {
            socket.setSendBufferSize(bufferSize);
            socket.setReceiveBufferSize(bufferSize);
        }
    }

    /**
     * Connects to {@code address} within {@code timeout}.
     *
     *
     * @param address the peer's address (its host is used)
     * @param port the port to connect to
     * @param timeout how long connecting may take
     * @param bufferSize send and receive buffer size, set before connecting (0: the OS decides)
     * @throws TransmissionException CONNECT_FAILED or TIMEOUT, naming the address
     * @return the connected socket
     */
    public static Socket connect(ClaAddress address, int port, Duration timeout, int bufferSize)
            throws TransmissionException {
        Socket socket = new Socket();
        try {
            tune(socket, bufferSize);
            socket.connect(new InetSocketAddress(address.host(), port), (int) Math.max(1, timeout.toMillis()));
            return socket;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new TransmissionException(TransmissionException.Reason.TIMEOUT,
                    "connecting to " + address.host() + ":" + port + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new TransmissionException(TransmissionException.Reason.CONNECT_FAILED,
                    "cannot connect to " + address.host() + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Closes, ignoring errors.
     *
     * @param c the resource, or null
     */
    public static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
