package io.dtn7j.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.daemon.Daemon;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code socket-buffer} CLA option ({@code -C mtcp:socket-buffer=BYTES}): taken as a number of bytes, refused otherwise. */
class SocketBufferOptionTest {

    @TempDir
    Path dir;

    private DaemonConfig config(String socketBuffer) {
        DaemonConfig c = new DaemonConfig();
        c.nodeId = "dtn://buffers/";
        c.db = "mem";
        c.workdir = dir;
        c.clas = List.of(new DaemonConfig.ClaSpec("mtcp",
                Map.of("port", "0", "bind", "127.0.0.1", "socket-buffer", socketBuffer)));
        c.discoveryDisabled = true;
        c.webPort = 0;
        return c;
    }

    @Test
    void aNumberOfBytesStartsTheClaWithIt() throws Exception {
        try (Daemon d = Daemon.start(config("1048576"), new PrintStream(OutputStream.nullOutputStream()))) {
            assertThat(d.agent().convergenceLayers().values()).anySatisfy(cla -> {
                assertThat(cla.name()).isEqualTo("mtcp");
                assertThat(cla.port()).isPositive();
            });
        }
    }

    @Test
    void somethingElseIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Daemon.start(config("lots"), new PrintStream(OutputStream.nullOutputStream())))
                .hasMessageContaining("socket-buffer").hasMessageContaining("lots");
        assertThatThrownBy(() -> Daemon.start(config("-5"), new PrintStream(OutputStream.nullOutputStream())))
                .hasMessageContaining("socketBufferSize");
    }
}
