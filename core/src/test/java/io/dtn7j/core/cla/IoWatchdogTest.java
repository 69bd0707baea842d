package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TimedInput} with its limits enforced by a {@link IoWatchdog} instead of socket timeouts, over loopback. */
@org.junit.jupiter.api.Timeout(30)
class IoWatchdogTest {

    private ServerSocket server;
    private Socket peer;  // the remote side the test drives
    private Socket local; // the side read through TimedInput
    private IoWatchdog watchdog;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        peer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        local = server.accept();
        watchdog = new IoWatchdog("test", Duration.ofMillis(20));
    }

    @AfterEach
    void close() throws Exception {
        watchdog.close();
        peer.close();
        local.close();
        server.close();
    }

    private TimedInput input(Duration frameTimeout) throws Exception {
        return new TimedInput(local, local.getInputStream(), frameTimeout, watchdog);
    }

    @Test
    void aSilentPeerTimesOutWhileWaitingForAFrameAndTheOutputStillWorks() throws Exception {
        TimedInput in = input(Duration.ofSeconds(5));
        assertThat(local.getSoTimeout()).isZero(); // no timer per read: the watchdog bounds it
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> in.awaitFrame(Duration.ofMillis(300)))
                .isInstanceOf(TimedInput.PeerTimeoutException.class).hasMessageContaining("sent nothing");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).isBetween(290L, 2_000L);
        // only the input side was ended: a last message (e.g. SESS_TERM) still reaches the peer
        OutputStream out = local.getOutputStream();
        out.write(new byte[] {7, 8, 9});
        out.flush();
        peer.setSoTimeout(2000);
        assertThat(peer.getInputStream().readNBytes(3)).containsExactly(7, 8, 9);
    }

    @Test
    void aPeerStallingInsideAFrameIsDroppedAfterTheFrameTimeout() throws Exception {
        TimedInput in = input(Duration.ofMillis(300));
        peer.getOutputStream().write(new byte[] {1, 2, 3});
        assertThat(in.awaitFrame(Duration.ofSeconds(5))).isTrue();
        in.beginFrame(100);
        assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> in.read(new byte[10], 0, 10))
                .isInstanceOf(TimedInput.PeerTimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 2_000L);
    }

    @Test
    void aTricklingPeerIsDroppedAtTheFrameDeadlineThoughEveryReadIsQuick() throws Exception {
        TimedInput in = input(Duration.ofMillis(400));
        Thread trickle = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = peer.getOutputStream();
                for (int i = 0; i < 40; i++) {
                    out.write(i);
                    out.flush();
                    Thread.sleep(100); // well inside the stall limit of 400 ms
                }
            } catch (Exception ignored) {
                // the reader gave up
            }
        });
        assertThat(in.awaitFrame(Duration.ofSeconds(5))).isTrue();
        in.beginFrame(1000);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> {
            while (true) {
                in.read();
            }
        }).isInstanceOf(TimedInput.PeerTimeoutException.class).hasMessageContaining("did not complete a frame");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(350L, 2_500L);
        trickle.join(5000);
    }

    @Test
    void dataThatArrivesInTimeIsReadAndACleanEndIsNotATimeout() throws Exception {
        TimedInput in = input(Duration.ofMillis(300));
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Thread.ofVirtual().start(() -> {
            try (OutputStream out = peer.getOutputStream()) {
                out.write(data);
                Thread.sleep(150); // a pause shorter than the limits
                out.write(data);
                peer.shutdownOutput();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(in.awaitFrame(Duration.ofSeconds(5))).isTrue();
        in.beginFrame(2L * data.length);
        byte[] got = in.readNBytes(2 * data.length);
        in.endFrame();
        assertThat(got).hasSize(2 * data.length);
        assertThat(java.util.Arrays.copyOfRange(got, data.length, got.length)).isEqualTo(data);
        assertThat(in.awaitFrame(Duration.ofSeconds(5))).isFalse(); // the peer closed: not a timeout
    }

    @Test
    void inputsOfClosedSocketsAreForgotten() throws Exception {
        input(Duration.ofSeconds(1));
        assertThat(watchdog.watched()).isEqualTo(1);
        local.close();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (watchdog.watched() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(watchdog.watched()).isZero();
    }

    @Test
    void withoutAWatchdogTheSocketTimeoutStillBoundsReads() throws Exception {
        TimedInput in = new TimedInput(local, local.getInputStream(), Duration.ofMillis(250), null);
        assertThat(local.getSoTimeout()).isEqualTo(250);
        InputStream raw = in;
        in.beginFrame(10);
        assertThatThrownBy(raw::read).isInstanceOf(TimedInput.PeerTimeoutException.class);
    }
}
