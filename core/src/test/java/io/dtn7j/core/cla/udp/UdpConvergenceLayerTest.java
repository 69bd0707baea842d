package io.dtn7j.core.cla.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.TransmissionException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdpConvergenceLayerTest {

    @TempDir
    Path tmp;

    static ClaOptions options() {
        return ClaOptions.builder().bindHost("127.0.0.1").port(0).build();
    }

    @Test
    void bundlesBothWaysOneDatagramEach() throws Exception {
        TestClaContext ca = new TestClaContext("dtn://a/", tmp);
        TestClaContext cb = new TestClaContext("dtn://b/", tmp);
        try (UdpConvergenceLayer a = new UdpConvergenceLayer(options()); UdpConvergenceLayer b = new UdpConvergenceLayer(options())) {
            a.start(ca);
            b.start(cb);
            assertThat(a.maxBundleSize()).isEqualTo(65_507);
            for (int i = 0; i < 50; i++) {
                a.send(new ClaAddress("udp", "127.0.0.1", b.port()), TestBundles.outgoing(100 + i * 1000, i));
                b.send(new ClaAddress("udp", "127.0.0.1", a.port()), TestBundles.outgoing(10, 100 + i));
                Thread.sleep(1); // loopback UDP: do not overrun the receive buffer
            }
            Set<Long> atB = new HashSet<>();
            Set<Long> atA = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                atB.add(cb.take(Duration.ofSeconds(5)).id().creation().sequence());
                atA.add(ca.take(Duration.ofSeconds(5)).id().creation().sequence());
            }
            assertThat(atB).hasSize(50);
            assertThat(atA).hasSize(50);
            // a bundle above the datagram limit is refused for the agent to fragment
            assertThatThrownBy(() -> a.send(new ClaAddress("udp", "127.0.0.1", b.port()), TestBundles.outgoing(70_000, 1)))
                    .extracting(e -> ((TransmissionException) e).reason()).isEqualTo(TransmissionException.Reason.TOO_LARGE);
        }
    }

    @Test
    void garbageDatagramsAreRejectedAndReceiverKeepsWorking() throws Exception {
        TestClaContext cb = new TestClaContext("dtn://b/", tmp);
        try (UdpConvergenceLayer b = new UdpConvergenceLayer(options()); DatagramSocket raw = new DatagramSocket()) {
            b.start(cb);
            byte[] junk = {1, 2, 3};
            raw.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), b.port()));
            raw.send(new DatagramPacket(new byte[0], 0, InetAddress.getLoopbackAddress(), b.port()));
            byte[] e = TestBundles.encoded(10, 3);
            raw.send(new DatagramPacket(e, e.length, InetAddress.getLoopbackAddress(), b.port()));
            assertThat(cb.take(Duration.ofSeconds(5)).id().creation().sequence()).isEqualTo(3);
            assertThat(cb.rejected).hasSize(1);
        }
    }
}
