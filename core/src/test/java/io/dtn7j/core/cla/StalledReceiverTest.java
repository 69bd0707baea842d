package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MTCP and STCP senders against a receiver that accepts the connection and never reads: Java sockets have no write
 * timeout, so the send used to block for good once the buffers were full, holding the link's lock and with it every
 * later send to that peer. Each write now has a limit (frame timeout plus its size at 256 KiB/s, {@link TimedOutput}),
 * and the send fails with {@code TIMEOUT}.
 */
class StalledReceiverTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"mtcp", "stcp"})
    void aReceiverThatStopsReadingFailsTheSendWithinTheWriteLimit(String kind) throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            pool.submit(() -> {
                while (true) {
                    held.add(server.accept()); // accepted, never read
                }
            });
            ClaOptions o = ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofMillis(300))
                    .socketBufferSize(64 << 10).build();
            try (ConvergenceLayer cla = ConvergenceLayers.create(kind, o)) {
                cla.start(new TestClaContext("dtn://writer/", tmp));
                ClaAddress to = new ClaAddress(kind, "127.0.0.1", server.getLocalPort());
                for (int round = 0; round < 2; round++) { // the second send is not stuck behind the first
                    int seq = round;
                    long t0 = System.nanoTime();
                    Future<TransmissionException> send = pool.submit(() -> {
                        try {
                            cla.send(to, TestBundles.outgoing(300_000, seq));
                            return null;
                        } catch (TransmissionException e) {
                            return e;
                        }
                    });
                    TransmissionException e = send.get(10, TimeUnit.SECONDS);
                    assertThat(e).as("%s send %d to a receiver that reads nothing", kind, round).isNotNull();
                    assertThat(e.reason()).isEqualTo(TransmissionException.Reason.TIMEOUT);
                    assertThat(e).hasMessageContaining("stopped reading");
                    // 300 ms plus 300 KB at 256 KiB/s (1 s), and a tick
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
                }
            }
        } finally {
            pool.shutdownNow();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
