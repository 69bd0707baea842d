package io.dtn7j.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.api.Message;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayers;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bundle exchange with real HDTN (NASA, C++) programs on loopback, both directions, over TCPCLv4 (with and
 * without TLS 1.3), STCP and UDP.
 *
 * <p>HDTN's {@code bpsendpacket} turns each UDP datagram it receives into a BPv7 bundle sent through an HDTN
 * outduct; {@code bpreceivepacket} receives bundles on an HDTN induct and forwards each payload as one UDP
 * datagram. So the test feeds datagrams in and reads datagrams out, and compares the exact payload bytes with
 * what the dtn7j node ({@code ipn:1.0}, in-process) received or sent. The HDTN programs use the same induct
 * and outduct classes as HDTN's router ({@code hdtn-one-process}).
 *
 * <p>For TLS, {@code openssl} makes a self-signed certificate per node whose subjectAltName URI is the node
 * ID ({@code ipn:1.0}, {@code ipn:2.0}); each side trusts the other's certificate. HDTN's outduct (active)
 * requires TLS 1.3 and checks dtn7j's subjectAltName against its next hop; it presents no client certificate, so
 * dtn7j (passive) offers TLS without requiring it. dtn7j (active) requires TLS and checks HDTN's subjectAltName
 * against the SESS_INIT node ID; HDTN's induct requires TLS. Each TLS case also waits for HDTN to log that the
 * session uses TLSv1.3.
 *
 * <p>Runs only with {@code -Ddtn7j.interop=true} and {@code HDTN_HOME} (environment variable or system
 * property) naming an HDTN build directory that contains {@code common/bpcodec/apps/bpsendpacket} and
 * {@code bpreceivepacket}; see docs/INTEROP.md.
 */
@EnabledIfSystemProperty(named = "dtn7j.interop", matches = "true")
class HdtnInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final char[] PASS = "changeit".toCharArray();

    @TempDir
    Path dir;

    private Path apps;
    private PeerProcesses hdtn;

    @BeforeEach
    void locateHdtn() {
        String home = PeerProcesses.setting("HDTN_HOME");
        assumeTrue(home != null, "HDTN_HOME is not set: point it at an HDTN build directory (see docs/INTEROP.md)");
        apps = Path.of(home, "common", "bpcodec", "apps");
        assumeTrue(Files.isExecutable(apps.resolve("bpsendpacket")) && Files.isExecutable(apps.resolve("bpreceivepacket")),
                "HDTN_HOME=" + home + " has no common/bpcodec/apps/bpsendpacket and bpreceivepacket");
        hdtn = new PeerProcesses(dir, Map.of());
    }

    @AfterEach
    void stopHdtn() {
        if (hdtn != null) {
            hdtn.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tcp+tls", "stcp", "udp"})
    void hdtnSendsToDtn7j(String variant) throws Exception {
        String cla = variant.replace("+tls", "");
        boolean tls = variant.endsWith("+tls");
        // HDTN's TCPCLv4 outduct presents no client certificate, and dtn7j's requireTls also demands the peer's
        // certificate: so dtn7j offers TLS (CAN_TLS) without requiring it, and HDTN requires it (tlsIsRequired).
        try (DtnNode node = node(cla, tls, false, null);
             DatagramSocket feeder = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            LocalEndpoint incoming = node.register("1");
            int packetPort = PeerProcesses.freeUdpPort();
            hdtn.write("out.json", outducts(cla, tls, node.port(cla)));
            hdtn.write("packet-in.json", """
                    {"inductConfigName": "packets", "inductVector": [{"name": "packets", "convergenceLayer": "udp",
                      "boundPort": %d, "numRxCircularBufferElements": 100, "numRxCircularBufferBytesPerElement": 65535}]}
                    """.formatted(packetPort));
            PeerProcesses.Child sender = hdtn.start("bpsendpacket", null, apps.resolve("bpsendpacket").toString(),
                    "--use-bp-version-7", "--my-uri-eid=ipn:2.1", "--dest-uri-eid=ipn:1.1",
                    "--outducts-config-file=out.json", "--packet-inducts-config-file=packet-in.json");
            awaitOutductReady(sender);

            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                byte[] payload = payload(i, 40 + 1000 * i);
                feeder.send(new DatagramPacket(payload, payload.length, new InetSocketAddress("127.0.0.1", packetPort)));
                sent.add(payload);
                Thread.sleep(100);
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                Message m = incoming.receive().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(m.source()).isEqualTo("ipn:2.1");
                assertThat(m.destination()).isEqualTo("ipn:1.1");
                got.add(HexFormat.of().formatHex(m.payload()));
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(sent.stream().map(HexFormat.of()::formatHex).toList());
            if (tls) {
                sender.awaitLine(l -> l.contains("using secure protocol: TLSv1.3"), TIMEOUT, "saying the session uses TLS 1.3");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tcp+tls", "stcp", "udp"})
    void dtn7jSendsToHdtn(String variant) throws Exception {
        String cla = variant.replace("+tls", "");
        boolean tls = variant.endsWith("+tls");
        int hdtnPort = "udp".equals(cla) ? PeerProcesses.freeUdpPort() : PeerProcesses.freeTcpPort();
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            sink.setSoTimeout((int) TIMEOUT.toMillis());
            if (tls) {
                certificate("hdtn", "ipn:2.0");
            }
            hdtn.write("in.json", inducts(cla, tls, hdtnPort));
            hdtn.write("packet-out.json", """
                    {"outductConfigName": "packets", "outductVector": [{"name": "packets", "convergenceLayer": "udp",
                      "nextHopNodeId": 3, "remoteHostname": "127.0.0.1", "remotePort": %d,
                      "maxNumberOfBundlesInPipeline": 50, "maxSumOfBundleBytesInPipeline": 50000000}]}
                    """.formatted(sink.getLocalPort()));
            PeerProcesses.Child receiver = hdtn.start("bpreceivepacket", null, apps.resolve("bpreceivepacket").toString(),
                    "--my-uri-eid=ipn:2.1", "--inducts-config-file=in.json", "--packet-outducts-config-file=packet-out.json");
            // its packet outduct must be up before bundles arrive, or it drops their payloads ("link not ready")
            receiver.awaitLine(l -> l.contains("UDP READY"), TIMEOUT, "saying its UDP packet outduct is ready");
            if (!"udp".equals(cla)) {
                receiver.awaitLine(l -> l.contains("waiting for " + ("tcp".equals(cla) ? "tcpclv4" : "stcp") + " tcp connections"),
                        TIMEOUT, "saying its induct listens");
            }
            assertThat(receiver.process().isAlive()).as("bpreceivepacket still running; output: %s", receiver.output()).isTrue();

            try (DtnNode node = node(cla, tls, true, cla + "://127.0.0.1:" + hdtnPort + "/2")) {
                LocalEndpoint sender = node.register("7");
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    byte[] payload = payload(100 + i, 30 + 1100 * i);
                    sender.send(payload, "ipn:2.1", false);
                    sent.add(HexFormat.of().formatHex(payload));
                }
                List<String> got = new ArrayList<>();
                byte[] buf = new byte[65535];
                for (int i = 0; i < sent.size(); i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        sink.receive(p);
                    } catch (java.net.SocketTimeoutException e) {
                        throw new AssertionError("HDTN delivered " + got.size() + " of " + sent.size()
                                + " payloads within " + TIMEOUT + "; its output: " + receiver.output(), e);
                    }
                    got.add(HexFormat.of().formatHex(Arrays.copyOfRange(p.getData(), 0, p.getLength())));
                }
                assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
                if (tls) {
                    receiver.awaitLine(l -> l.contains("using secure protocol: TLSv1.3"), TIMEOUT,
                            "saying the session uses TLS 1.3");
                }
            }
        }
    }

    private DtnNode node(String cla, boolean tls, boolean requireTls, String peer) throws Exception {
        ClaOptions.Builder options = ClaOptions.builder().bindHost("127.0.0.1").port(0);
        if (tls) {
            options.sslContext(sslContext()).requireTls(requireTls);
        }
        DtnNode.Builder b = DtnNode.builder("ipn:1.0").withoutMtcp().discovery(false)
                .convergenceLayer(ConvergenceLayers.create(cla, options.build()));
        if (peer != null) {
            b.peer(peer);
        }
        return b.start();
    }

    /** Waits until bpsendpacket (HDTN's BpSourcePattern) logs that its outduct to dtn7j is up. */
    private static void awaitOutductReady(PeerProcesses.Child sender) throws InterruptedException {
        sender.awaitLine(l -> l.contains("Outduct ready to forward"), TIMEOUT, "saying 'Outduct ready to forward'");
        Thread.sleep(200);
    }

    private String outducts(String cla, boolean tls, int jPort) throws Exception {
        String kind = switch (cla) {
            case "tcp" -> "tcpcl_v4";
            default -> cla;
        };
        StringBuilder extra = new StringBuilder();
        if ("tcp".equals(cla)) {
            String ca = tls ? certificate("dtn7j", "ipn:1.0").toString() : "";
            extra.append("""
                    , "keepAliveIntervalSeconds": 15, "tcpclAllowOpportunisticReceiveBundles": false,
                    "tcpclV4MyMaxRxSegmentSizeBytes": 200000, "tryUseTls": %1$s, "tlsIsRequired": %1$s,
                    "useTlsVersion1_3": %1$s, "doX509CertificateVerification": %1$s,
                    "verifySubjectAltNameInX509Certificate": %1$s, "certificationAuthorityPemFileForVerification": "%2$s"
                    """.formatted(tls, ca));
        } else if ("stcp".equals(cla)) {
            extra.append(", \"keepAliveIntervalSeconds\": 15");
        }
        return """
                {"outductConfigName": "to-dtn7j", "outductVector": [{"name": "to-dtn7j", "convergenceLayer": "%s",
                  "nextHopNodeId": 1, "remoteHostname": "127.0.0.1", "remotePort": %d,
                  "maxNumberOfBundlesInPipeline": 50, "maxSumOfBundleBytesInPipeline": 50000000%s}]}
                """.formatted(kind, jPort, extra);
    }

    private String inducts(String cla, boolean tls, int port) {
        return switch (cla) {
            case "tcp" -> """
                    {"inductConfigName": "from-dtn7j", "inductVector": [{"name": "from-dtn7j", "convergenceLayer": "tcpcl_v4",
                      "boundPort": %d, "numRxCircularBufferElements": 200, "numRxCircularBufferBytesPerElement": 20000,
                      "keepAliveIntervalSeconds": 15, "tcpclV4MyMaxRxSegmentSizeBytes": 200000, "tlsIsRequired": %s,
                      "certificatePemFile": "%s", "privateKeyPemFile": "%s", "diffieHellmanParametersPemFile": ""}]}
                    """.formatted(port, tls, tls ? dir.resolve("hdtn-cert.pem") : "", tls ? dir.resolve("hdtn-key.pem") : "");
            case "stcp" -> """
                    {"inductConfigName": "from-dtn7j", "inductVector": [{"name": "from-dtn7j", "convergenceLayer": "stcp",
                      "boundPort": %d, "numRxCircularBufferElements": 200, "keepAliveIntervalSeconds": 15}]}
                    """.formatted(port);
            default -> """
                    {"inductConfigName": "from-dtn7j", "inductVector": [{"name": "from-dtn7j", "convergenceLayer": "udp",
                      "boundPort": %d, "numRxCircularBufferElements": 200, "numRxCircularBufferBytesPerElement": 65535}]}
                    """.formatted(port);
        };
    }

    /** Makes {@code <name>-cert.pem}, {@code <name>-key.pem} and {@code <name>.p12} with SAN URI {@code nodeId}. */
    private Path certificate(String name, String nodeId) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        if (Files.exists(cert)) {
            return cert;
        }
        hdtn.run("openssl req", null, TIMEOUT, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=URI:" + nodeId, "-keyout", name + "-key.pem", "-out", name + "-cert.pem");
        hdtn.run("openssl pkcs12", null, TIMEOUT, "openssl", "pkcs12", "-export", "-in", name + "-cert.pem",
                "-inkey", name + "-key.pem", "-out", name + ".p12", "-passout", "pass:" + new String(PASS));
        return cert;
    }

    /** dtn7j's TLS context: its own key and certificate, trusting only HDTN's certificate. */
    private SSLContext sslContext() throws Exception {
        certificate("dtn7j", "ipn:1.0");
        certificate("hdtn", "ipn:2.0");
        KeyStore own = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("dtn7j.p12"))) {
            own.load(in, PASS);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("hdtn-cert.pem"))) {
            trust.setCertificateEntry("hdtn", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(own, PASS);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static byte[] payload(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
