package io.dtn7j.core.cla.stcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StcpConvergenceLayerTest {

    @TempDir
    Path tmp;

    static ClaOptions options() {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofMillis(800)).build();
    }

    @Test
    void bundlesBothWays() throws Exception {
        TestClaContext ca = new TestClaContext("dtn://a/", tmp.resolve("a"));
        TestClaContext cb = new TestClaContext("dtn://b/", tmp.resolve("b"));
        try (StcpConvergenceLayer a = new StcpConvergenceLayer(options()); StcpConvergenceLayer b = new StcpConvergenceLayer(options())) {
            a.start(ca);
            b.start(cb);
            for (int i = 0; i < 50; i++) {
                a.send(new ClaAddress("stcp", "127.0.0.1", b.port()), TestBundles.outgoing(100 + i, i));
                b.send(new ClaAddress("stcp", "127.0.0.1", a.port()), TestBundles.outgoing(100 + i, 100 + i));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(cb.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(i);
                assertThat(ca.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(100 + i);
            }
        }
    }

    @Test
    void wireIsFourByteBigEndianLengthThenBundle() throws Exception {
        byte[] e = TestBundles.encoded(300, 1);
        try (StcpConvergenceLayer a = new StcpConvergenceLayer(options());
             ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            a.start(new TestClaContext("dtn://a/", tmp));
            a.send(new ClaAddress("stcp", "127.0.0.1", fake.getLocalPort()), new OutgoingBundle(TestBundles.id(1), ByteSource.of(e)));
            try (Socket s = fake.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(in.readInt()).isEqualTo(e.length);
                assertThat(in.readNBytes(e.length)).isEqualTo(e);
            }
        }
    }

    @Test
    void zeroLengthKeepalivesAreSkippedAndOversizeClosesConnection() throws Exception {
        TestClaContext cb = new TestClaContext("dtn://b/", tmp);
        try (StcpConvergenceLayer b = new StcpConvergenceLayer(options().toBuilder().maxBundleSize(100_000).build())) {
            b.start(cb);
            try (Socket s = new Socket("127.0.0.1", b.port())) {
                OutputStream out = s.getOutputStream();
                byte[] e = TestBundles.encoded(20, 5);
                out.write(new byte[] {0, 0, 0, 0});
                out.write(StcpFraming.header(e.length));
                out.write(e);
                out.write(new byte[] {0, 0, 0, 0});
                out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
                assertThat(cb.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(5);
                s.setSoTimeout(3000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
    }
}
