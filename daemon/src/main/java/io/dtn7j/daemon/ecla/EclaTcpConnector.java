package io.dtn7j.daemon.ecla;

import io.dtn7j.core.cla.Deadline;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dtnd's TCP connector for ECLA modules ({@code --ecla-tcp PORT}, dtn7-compat.md §10.4): on 127.0.0.1 only, each
 * packet framed as a big-endian u32 length followed by that many bytes of JSON. A length above
 * {@link EclaSession#MAX_PACKET} is answered with an {@code Error} and the connection is closed before anything of
 * that size is allocated.
 */
public final class EclaTcpConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EclaTcpConnector.class);
    /** How long a module may take to read one packet before its connection is closed. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final EclaService service;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Listens on 127.0.0.1:{@code port} (0 = an ephemeral port) and serves modules for {@code service}.
     *
     * @param service the ECLA the modules register with
     * @param port the TCP port
     * @throws IOException if the port cannot be bound
     */
    public EclaTcpConnector(EclaService service, int port) throws IOException {
        this.service = service;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread.ofVirtual().name("ecla-tcp-accept").start(this::acceptLoop);
    }

    /** {@return the bound port} */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().name("ecla-tcp-" + s.getRemoteSocketAddress()).start(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("ECLA TCP connector: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        Connection c;
        try {
            c = new Connection(socket);
        } catch (IOException e) {
            open.remove(socket);
            return;
        }
        service.opened(c);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()))) {
            while (true) {
                long length = Integer.toUnsignedLong(in.readInt());
                if (length > EclaSession.MAX_PACKET) {
                    service.badPacket();
                    c.closeWith(new EclaPacket.Error("frame of " + length + " bytes exceeds the limit of "
                            + EclaSession.MAX_PACKET + " bytes"));
                    return;
                }
                byte[] frame = in.readNBytes((int) length);
                if (frame.length < length) {
                    return; // the module went away mid-frame
                }
                String text = new String(frame, StandardCharsets.UTF_8);
                EclaPacket packet;
                try {
                    packet = EclaPacket.parse(text);
                } catch (EclaProtocolException e) {
                    service.badPacket();
                    c.trySend(new EclaPacket.Error(e.getMessage()));
                    continue;
                }
                service.handle(c, packet);
            }
        } catch (EOFException | SocketException e) {
            // closed by the module or by us
        } catch (IOException e) {
            LOG.debug("ECLA TCP connection {} failed: {}", socket.getRemoteSocketAddress(), e.getMessage());
        } finally {
            c.close();
            service.closed(c);
        }
    }

    /** Closes the listener and every module connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the ECLA TCP listener: {}", e.getMessage());
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing an ECLA TCP connection: {}", e.getMessage());
            }
        }
    }

    /** One module connected over TCP. */
    private final class Connection extends EclaConnection {
        private final Socket socket;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream());
        }

        @Override
        void send(EclaPacket packet) throws IOException {
            byte[] json = packet.toJson().getBytes(StandardCharsets.UTF_8);
            // a socket write has no timeout of its own: a module that stops reading would hold this sender, and every
            // other one waiting for this connection (the beacon timer among them), for good
            Deadline deadline = Deadline.after(SEND_TIMEOUT, this::close);
            try {
                synchronized (out) {
                    out.write(new byte[] {(byte) (json.length >>> 24), (byte) (json.length >>> 16),
                            (byte) (json.length >>> 8), (byte) json.length});
                    out.write(json);
                    out.flush();
                }
            } catch (IOException e) {
                if (!deadline.finish()) {
                    throw new IOException("the ECLA module did not take the packet within " + SEND_TIMEOUT.toSeconds()
                            + " s; disconnected it", e);
                }
                throw e;
            }
            if (!deadline.finish()) {
                throw new IOException("the ECLA module did not take the packet within " + SEND_TIMEOUT.toSeconds()
                        + " s; disconnected it");
            }
        }

        @Override
        void trySend(EclaPacket packet) {
            try {
                send(packet);
            } catch (IOException e) {
                LOG.debug("ECLA TCP send to {} failed: {}", socket.getRemoteSocketAddress(), e.getMessage());
            }
        }

        @Override
        void closeWith(EclaPacket last) {
            trySend(last);
            close();
        }

        @Override
        void close() {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing an ECLA TCP connection: {}", e.getMessage());
            }
        }
    }
}
