package io.dtn7j.core.cla;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Small socket helpers shared by the TCP-based convergence layers. */
public final class Sockets {

    private Sockets() {
    }

    /** A listening socket on {@code host:port} (port 0 = ephemeral). */
    public static ServerSocket listen(String host, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 256);
        return server;
    }

    /** Latency settings for every TCP connection: TCP_NODELAY, keepalive. */
    public static void tune(Socket socket) throws SocketException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
    }

    /**
     * Connects to {@code address} within {@code timeout}.
     *
     * @throws TransmissionException CONNECT_FAILED or TIMEOUT, naming the address
     */
    public static Socket connect(ClaAddress address, int port, Duration timeout) throws TransmissionException {
        Socket socket = new Socket();
        try {
            tune(socket);
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

    /** Closes, ignoring errors. */
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
