package io.dtn7j.examples;

import io.dtn7j.core.external.FakeDaemon;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the external-endpoint example against a stand-in daemon (REST API on a real loopback socket). */
class ExternalEndpointExampleTest {

    @Test
    void sendsToItselfThroughTheDaemonAndPrintsWhatArrives() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon("dtn://node1/");
             JavaProcess p = JavaProcess.start(ExternalEndpointExample.class, List.of(), daemon.url())) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).as(p.output()).isZero();
            assertThat(p.lines).contains("received: hello_world");
            assertThat(daemon.requests).contains("GET /register?my-endpoint", "POST /insert",
                    "GET /endpoint?my-endpoint", "GET /unregister?my-endpoint");
            assertThat(daemon.inserted).singleElement().satisfies(b -> {
                assertThat(b.source().uri()).isEqualTo("dtn://node1/my-endpoint");
                assertThat(b.destination().uri()).isEqualTo("dtn://node1/my-endpoint");
            });
        }
    }

    @Test
    void saysWhenNoDaemonRuns() throws Exception {
        int port = Ports.freeUdpPort(); // almost certainly no TCP listener there either
        try (JavaProcess p = JavaProcess.start(ExternalEndpointExample.class, List.of(), "http://127.0.0.1:" + port)) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).isNotZero();
            assertThat(p.output()).contains("cannot connect to the daemon");
        }
    }
}
