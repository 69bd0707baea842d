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

/**
 * The {@code socket-buffer} and {@code min-rate} CLA options ({@code -C mtcp:socket-buffer=BYTES},
 * {@code -C mtcp:min-rate=BYTES_PER_SECOND}): taken as numbers, refused otherwise.
 */
class SocketBufferOptionTest {

    @TempDir
    Path dir;

    private DaemonConfig config(String socketBuffer) {
        return config("socket-buffer", socketBuffer);
    }

    private DaemonConfig config(String option, String value) {
        DaemonConfig c = new DaemonConfig();
        c.nodeId = "dtn://buffers/";
        c.db = "mem";
        c.workdir = dir;
        c.clas = List.of(new DaemonConfig.ClaSpec("mtcp",
                Map.of("port", "0", "bind", "127.0.0.1", option, value)));
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
    void minRateIsABytesPerSecondCountAndNothingElse() throws Exception {
        try (Daemon d = Daemon.start(config("min-rate", "16384"), new PrintStream(OutputStream.nullOutputStream()))) {
            assertThat(d.agent().convergenceLayers().values()).anySatisfy(cla -> assertThat(cla.name()).isEqualTo("mtcp"));
        }
        for (String bad : List.of("slow", "0", "-1")) {
            assertThatThrownBy(() -> Daemon.start(config("min-rate", bad), new PrintStream(OutputStream.nullOutputStream())))
                    .hasMessageContaining("min-rate must be a positive number").hasMessageContaining(bad);
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
