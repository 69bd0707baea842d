package io.dtn7j.core.cla.tcpcl;

import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** TLS for TCPCLv4 (RFC 9174 §4.4): wrapping the connection and checking the peer's node ID. */
final class TcpclTls {

    private TcpclTls() {
    }

    /**
     * Wraps an established TCP connection in TLS and runs the handshake. The active (connecting) entity is the
     * TLS client; the passive one is the server and asks for the client's certificate.
     */
    static SSLSocket wrap(SSLContext context, Socket socket, boolean active) throws java.io.IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(active);
        List<String> protocols = new ArrayList<>();
        for (String p : ssl.getSupportedProtocols()) {
            if (p.equals("TLSv1.3") || p.equals("TLSv1.2")) {
                protocols.add(p);
            }
        }
        ssl.setEnabledProtocols(protocols.toArray(String[]::new));
        if (!active) {
            ssl.setWantClientAuth(true);
        }
        SSLParameters params = ssl.getSSLParameters();
        params.setApplicationProtocols(new String[0]);
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    /** The URIs in the subjectAltName (type 6) of the peer's end-entity certificate; empty if it sent none. */
    static List<String> peerSanUris(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return List.of();
        }
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(6).equals(san.get(0)) && san.get(1) instanceof String s) {
                        uris.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return uris;
    }

    /** True when the peer presented a certificate. */
    static boolean peerPresentedCertificate(SSLSession session) {
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    /**
     * RFC 9174 §4.4.3 NODE-ID check: one SAN URI must equal the node ID from SESS_INIT (compared as URIs:
     * the scheme case-insensitively, the rest exactly).
     */
    static boolean nodeIdMatches(List<String> sanUris, String nodeId) {
        for (String uri : sanUris) {
            if (normalize(uri).equals(normalize(nodeId))) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon).toLowerCase(Locale.ROOT) + uri.substring(colon);
    }
}
