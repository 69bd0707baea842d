package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.core.api.Message;
import io.dtn7j.core.external.ExternalEndpoint;
import io.dtn7j.core.external.ExternalEndpointException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simple API's {@link ExternalEndpoint} against real {@code dtn7j daemon} processes (REST and WebSocket on
 * loopback), as dtn7zero's ExternalEndpoint is used against dtnd.
 */
class ExternalEndpointDaemonTest {
    @TempDir
    Path tmp;

    private static String[] node(String name, String... extra) {
        String[] base = {"-n", name, "-w", "0", "-C", "mtcp:port=0", "-i", "0", "-j", "1s"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void sendsToItselfPollsAndReportsAForgottenRegistration() throws Exception {
        try (DaemonProcess d = DaemonProcess.start(tmp.resolve("n1"), node("node1"));
             ExternalEndpoint ep = ExternalEndpoint.connect("http://127.0.0.1:" + d.apiPort(), "my-endpoint")) {
            assertThat(ep.nodeId().uri()).isEqualTo("dtn://node1/");
            assertThat(ep.uri()).isEqualTo("dtn://node1/my-endpoint");
            assertThat(d.get("/status/eids")).contains("dtn://node1/my-endpoint");
            assertThat(ep.poll()).isEmpty();

            BundleId id = ep.send("hello_world", "dtn://node1/my-endpoint");
            Message m = ep.receive(Duration.ofSeconds(20));
            assertThat(m.text()).isEqualTo("hello_world");
            assertThat(m.source()).isEqualTo("dtn://node1/my-endpoint");
            assertThat(m.bundleId()).isEqualTo(id);

            d.get("/unregister?my-endpoint"); // the daemon forgets it behind the endpoint's back
            assertThatThrownBy(ep::poll).isInstanceOf(ExternalEndpointException.class).hasMessageContaining("404");
        }
    }

    @Test
    void callbackOverTheWebSocketAcrossTwoDaemons() throws Exception {
        try (DaemonProcess b = DaemonProcess.start(tmp.resolve("b"), node("nodeb"));
             DaemonProcess a = DaemonProcess.start(tmp.resolve("a"),
                     node("nodea", "-s", "mtcp://127.0.0.1:" + b.claPort("mtcp") + "/nodeb"))) {
            List<String> got = new CopyOnWriteArrayList<>();
            try (ExternalEndpoint inbox = ExternalEndpoint.connect("http://127.0.0.1:" + b.apiPort(), "inbox",
                    (payload, source, destination, primaryBlock) -> got.add(new String(payload) + " from " + source));
                 ExternalEndpoint sender = ExternalEndpoint.connect("http://127.0.0.1:" + a.apiPort(), "sender")) {
                CompletableFuture<Message> first = inbox.receive();
                sender.send("one", "dtn://nodeb/inbox");
                assertThat(first.get(20, TimeUnit.SECONDS).text()).isEqualTo("one");
                sender.send("two", "dtn://nodeb/inbox");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(got).containsExactly("two from dtn://nodea/sender");
            }
            assertThat(b.get("/status/eids")).doesNotContain("dtn://nodeb/inbox");
        }
    }
}
