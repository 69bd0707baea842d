package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClaAddressTest {

    @Test
    void parsesPeerUrlsAndPrintsThem() {
        assertThat(ClaAddress.parse("mtcp://127.0.0.1:16162")).isEqualTo(new ClaAddress("mtcp", "127.0.0.1", 16162));
        assertThat(ClaAddress.parse("tcp://node.example:4556/node2")).isEqualTo(new ClaAddress("tcp", "node.example", 4556));
        assertThat(ClaAddress.parse("tcp://[::1]:4556")).isEqualTo(new ClaAddress("tcp", "::1", 4556));
        assertThat(new ClaAddress("tcp", "::1", 4556).toString()).isEqualTo("tcp://[::1]:4556");
        assertThat(ClaAddress.parse("udp://10.0.0.1")).isEqualTo(new ClaAddress("udp", "10.0.0.1", 0));
        assertThat(ClaAddress.parse("udp://10.0.0.1").withDefaultPort(4556).port()).isEqualTo(4556);
        assertThatThrownBy(() -> ClaAddress.parse("10.0.0.1:4556")).hasMessageContaining("cla://host:port");
        assertThatThrownBy(() -> ClaAddress.parse("tcp://h:99999")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryKnowsAllBuiltIns() {
        assertThat(ConvergenceLayers.names()).contains("mtcp", "tcp", "udp", "stcp", "http", "dtn7rs-rest");
        assertThat(ConvergenceLayers.defaultPort("mtcp")).isEqualTo(16162);
        assertThat(ConvergenceLayers.defaultPort("tcp")).isEqualTo(4556);
        try (ConvergenceLayer c = ConvergenceLayers.create("TCP", ClaOptions.defaults())) {
            assertThat(c.name()).isEqualTo("tcp");
        }
        assertThatThrownBy(() -> ConvergenceLayers.create("bogus", ClaOptions.defaults()))
                .hasMessageContaining("known: mtcp, tcp");
    }
}
