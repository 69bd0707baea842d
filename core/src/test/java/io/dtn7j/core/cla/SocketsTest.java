package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Sockets}: every CLA connection, accepted or opened, gets TCP_NODELAY and the configured send and receive
 * buffers ({@link ClaOptions#socketBufferSize()}); 0 leaves the buffers to the OS.
 */
class SocketsTest {

    @Test
    void acceptedAndOpenedConnectionsGetTheConfiguredBuffers() throws Exception {
        int size = 3 << 20;
        try (ServerSocket server = Sockets.listen("127.0.0.1", 0, size);
             Socket opened = Sockets.connect(new ClaAddress("mtcp", "127.0.0.1", server.getLocalPort()),
                     server.getLocalPort(), Duration.ofSeconds(5), size);
             Socket accepted = server.accept()) {
            Sockets.tune(accepted, size);
            for (Socket s : new Socket[] {opened, accepted}) {
                assertThat(s.getTcpNoDelay()).isTrue();
                // Linux reports twice what it was given; other systems what they granted, never less here
                assertThat(s.getReceiveBufferSize()).isGreaterThanOrEqualTo(size);
                assertThat(s.getSendBufferSize()).isGreaterThanOrEqualTo(size);
            }
        }
    }

    @Test
    void zeroLeavesTheBuffersToTheOs() throws Exception {
        try (ServerSocket plain = new ServerSocket(0);
             ServerSocket server = Sockets.listen("127.0.0.1", 0, 0);
             Socket opened = Sockets.connect(new ClaAddress("mtcp", "127.0.0.1", server.getLocalPort()),
                     server.getLocalPort(), Duration.ofSeconds(5), 0)) {
            assertThat(server.getReceiveBufferSize()).isEqualTo(plain.getReceiveBufferSize());
            try (Socket reference = new Socket("127.0.0.1", server.getLocalPort())) {
                assertThat(opened.getSendBufferSize()).as("as a plain connection's")
                        .isEqualTo(reference.getSendBufferSize());
            }
        }
    }

    @Test
    void aNegativeSizeIsRefused() {
        assertThatThrownBy(() -> ClaOptions.builder().socketBufferSize(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socketBufferSize");
        assertThat(ClaOptions.defaults().socketBufferSize()).isEqualTo(ClaOptions.DEFAULT_SOCKET_BUFFER);
        assertThat(ClaOptions.defaults().toBuilder().socketBufferSize(0).build().socketBufferSize()).isZero();
    }
}
