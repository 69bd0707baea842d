package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCPCLv4 over TLS with certificates made by the JDK's keytool whose subjectAltName URI carries the node ID
 * (RFC 9174 §4.4): the session comes up with TLS; a certificate for another node ID is refused.
 */
class TcpclTlsTest {

    static final char[] PASS = "changeit".toCharArray();

    @TempDir
    static Path dir;
    static KeyStore trust;

    static void keytool(String alias, String san) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + alias, "-ext", "SAN=uri:" + san, "-validity", "2",
                "-keystore", dir.resolve(alias + ".p12").toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASS), "-keypass", new String(PASS))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool: " + output).isZero();
    }

    static KeyStore load(String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
            ks.load(in, PASS);
        }
        return ks;
    }

    @BeforeAll
    static void makeCertificates() throws Exception {
        List<Thread> ts = List.of(
                Thread.ofVirtual().start(() -> run(() -> keytool("node1", "dtn://node1/"))),
                Thread.ofVirtual().start(() -> run(() -> keytool("node2", "dtn://node2/"))),
                Thread.ofVirtual().start(() -> run(() -> keytool("mallory", "dtn://mallory/"))));
        for (Thread t : ts) {
            t.join();
        }
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String alias : List.of("node1", "node2", "mallory")) {
            trust.setCertificateEntry(alias, load(alias).getCertificate(alias));
        }
    }

    interface Step {
        void run() throws Exception;
    }

    static void run(Step s) {
        try {
            s.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static SSLContext context(String alias) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(alias), PASS);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    static ClaOptions options(SSLContext ssl, boolean require) {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofSeconds(2))
                .sslContext(ssl).requireTls(require).build();
    }

    @Test
    void sessionComesUpWithTlsAndCarriesBundlesBothWays() throws Exception {
        TestClaContext c1 = new TestClaContext("dtn://node1/", dir.resolve("s1"));
        TestClaContext c2 = new TestClaContext("dtn://node2/", dir.resolve("s2"));
        try (TcpclConvergenceLayer n1 = new TcpclConvergenceLayer(options(context("node1"), true));
             TcpclConvergenceLayer n2 = new TcpclConvergenceLayer(options(context("node2"), true))) {
            n1.start(c1);
            n2.start(c2);
            for (int i = 0; i < 20; i++) {
                n1.send(new ClaAddress("tcp", "127.0.0.1", n2.port()), TestBundles.outgoing(2000 + i, i));
                n2.send(new ClaAddress("tcp", "127.0.0.1", n1.port()), TestBundles.outgoing(3000 + i, 100 + i));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(c2.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(i);
                assertThat(c1.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(100 + i);
            }
            assertThat(n1.sessions()).isNotEmpty().allSatisfy(s -> assertThat(s.negotiated().tls()).isTrue());
            assertThat(c2.linksUp).extracting(p -> p.nodeId().uri()).contains("dtn://node1/");
        }
    }

    @Test
    void certificateForAnotherNodeIdIsRefused() throws Exception {
        TestClaContext honest = new TestClaContext("dtn://node1/", dir.resolve("s3"));
        // mallory's certificate names dtn://mallory/, but it claims to be dtn://node2/
        TestClaContext impostor = new TestClaContext("dtn://node2/", dir.resolve("s4"));
        try (TcpclConvergenceLayer n1 = new TcpclConvergenceLayer(options(context("node1"), true));
             TcpclConvergenceLayer evil = new TcpclConvergenceLayer(options(context("mallory"), true))) {
            n1.start(honest);
            evil.start(impostor);
            // n1 connecting to the impostor: refused after checking the server certificate against SESS_INIT
            assertThatThrownBy(() -> n1.send(new ClaAddress("tcp", "127.0.0.1", evil.port()), TestBundles.outgoing(10, 1)))
                    .isInstanceOf(TransmissionException.class)
                    .hasMessageContaining("dtn://mallory/")
                    .extracting(e -> ((TransmissionException) e).reason())
                    .isEqualTo(TransmissionException.Reason.CONNECT_FAILED);
            // the impostor connecting to n1: n1 checks the client certificate and refuses the session; the
            // impostor's transfer fails at once (it used to wait the idle timeout for an XFER_ACK)
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> evil.send(new ClaAddress("tcp", "127.0.0.1", n1.port()), TestBundles.outgoing(10, 2)))
                    .isInstanceOf(TransmissionException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            Thread.sleep(200);
            assertThat(honest.linksUp).isEmpty();
            assertThat(honest.received).isEmpty();
        }
    }

    @Test
    void plainPeerIsRefusedWhenTlsIsRequired() throws Exception {
        TestClaContext c1 = new TestClaContext("dtn://node1/", dir.resolve("s5"));
        TestClaContext c2 = new TestClaContext("dtn://node2/", dir.resolve("s6"));
        try (TcpclConvergenceLayer secure = new TcpclConvergenceLayer(options(context("node1"), true));
             TcpclConvergenceLayer plain = new TcpclConvergenceLayer(options(null, false))) {
            secure.start(c1);
            plain.start(c2);
            assertThatThrownBy(() -> plain.send(new ClaAddress("tcp", "127.0.0.1", secure.port()), TestBundles.outgoing(10, 1)))
                    .isInstanceOf(TransmissionException.class);
            assertThat(c1.received).isEmpty();
        }
    }

    @Test
    void aPeerDrippingItsTlsHandshakeIsCutOffAndItsSessionSlotFreed() throws Exception {
        TestClaContext c1 = new TestClaContext("dtn://node1/", dir.resolve("s7"));
        TestClaContext c2 = new TestClaContext("dtn://node2/", dir.resolve("s8"));
        ClaOptions oneSlot = options(context("node1"), true).toBuilder().maxSessions(1)
                .connectTimeout(Duration.ofSeconds(1)).frameTimeout(Duration.ofSeconds(1)).build();
        try (TcpclConvergenceLayer n1 = new TcpclConvergenceLayer(oneSlot);
             TcpclConvergenceLayer n2 = new TcpclConvergenceLayer(options(context("node2"), true))) {
            n1.start(c1);
            n2.start(c2);
            Socket dripper = new Socket(InetAddress.getLoopbackAddress(), n1.port());
            dripper.getOutputStream().write(ContactHeader.v4(true).encode());
            assertThat(dripper.getInputStream().readNBytes(ContactHeader.LENGTH)).hasSize(ContactHeader.LENGTH);
            // a TLS record that announces 16 KiB, its bytes then sent one every 200 ms: each read of the node stays
            // inside its 1 s limit, so only a deadline on the whole exchange ends it (after 1 s, not 55 minutes)
            dripper.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00});
            long t0 = System.nanoTime();
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Thread.sleep(200);
                        dripper.getOutputStream().write(1);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the node closed the connection
                }
            });
            dripper.setSoTimeout(10_000);
            try {
                assertThat(dripper.getInputStream().read()).as("the node closes the dripping connection").isEqualTo(-1);
            } catch (SocketException reset) {
                // closed with our bytes unread: as good
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
            drip.join(2_000);
            dripper.close();
            // the only session slot is free again
            n2.send(new ClaAddress("tcp", "127.0.0.1", n1.port()), TestBundles.outgoing(10, 7));
            assertThat(c1.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(7);
        }
    }
}
