package io.dtn7j.core.cla.tcpcl;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/** A hand-driven TCPCLv4 peer for hostile-peer tests: writes raw bytes, reads parsed messages. */
final class RawTcpclPeer implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final DataInputStream in;
    final TcpclMessageReader reader;

    RawTcpclPeer(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer the socket's receive buffer in bytes (set before connecting), or 0 for the OS's */
    RawTcpclPeer(int port, int receiveBuffer) throws IOException {
        this(port, receiveBuffer, null);
    }

    /**
     * @param receiveBuffer the socket's receive buffer in bytes (set before connecting), or 0 for the OS's
     * @param from the local address to connect from (e.g. 127.0.0.2, another host as the node sees it), or null
     */
    RawTcpclPeer(int port, int receiveBuffer, String from) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            socket.bind(new java.net.InetSocketAddress(from, 0));
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        reader = new TcpclMessageReader(in, Long.MAX_VALUE, 1 << 20);
    }

    /** Contact header + SESS_INIT exchange as {@code nodeId}; returns the peer's SESS_INIT. */
    TcpclMessage.SessInit handshake(String nodeId, int keepalive) throws IOException {
        write(ContactHeader.v4(false).encode());
        ContactHeader theirs = reader.readContactHeader();
        if (theirs.version() != 4) {
            throw new IOException("version " + theirs.version());
        }
        write(new TcpclMessage.SessInit(keepalive, 1 << 20, 1 << 30, nodeId, List.of()).encode());
        return (TcpclMessage.SessInit) reader.readMessage();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void write(TcpclMessage m) throws IOException {
        write(m.encode());
    }

    /** Writes an XFER_SEGMENT with its data. */
    void segment(int flags, long id, List<ExtensionItem> ext, byte[] data, int off, int len) throws IOException {
        byte[] h = new TcpclMessage.XferSegment(flags, id, ext, len).encode();
        byte[] f = new byte[h.length + len];
        System.arraycopy(h, 0, f, 0, h.length);
        System.arraycopy(data, off, f, h.length, len);
        write(f);
    }

    /** The next message that is not a KEEPALIVE. */
    TcpclMessage next() throws IOException {
        while (true) {
            TcpclMessage m = reader.readMessage();
            if (!(m instanceof TcpclMessage.Keepalive)) {
                return m;
            }
        }
    }

    /** True when the server closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByPeer() {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
