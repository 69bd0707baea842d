package io.dtn7j.core.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The static facade: one node per JVM, dtn7zero's calling conventions. */
class DtnTest {

    @AfterEach
    void shutdown() {
        Dtn.shutdown();
    }

    private static DtnNode.Builder quiet(String uri) {
        return DtnNode.builder(uri).mtcpPort(0).discovery(false);
    }

    @Test
    void beforeSetupEveryCallSaysToCallSetup() {
        Dtn.shutdown();
        assertThat(Dtn.isSetUp()).isFalse();
        for (Runnable r : List.<Runnable>of(() -> Dtn.register("x"), () -> Dtn.registerGroup("dtn://g/~x"),
                Dtn::discover, Dtn::update, Dtn::startBackgroundUpdateThread, () -> Dtn.runForever(null, 10))) {
            assertThatThrownBy(r::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("Dtn.setup");
        }
    }

    @Test
    void setupTwiceIsRefusedUntilShutdown() {
        LocalEndpoint node = Dtn.setup(quiet("dtn://node1/"));
        assertThat(node.uri()).isEqualTo("dtn://node1/");
        assertThatThrownBy(() -> Dtn.setup(quiet("dtn://node2/"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already called").hasMessageContaining("dtn://node1/")
                .hasMessageContaining("DtnNode");
        Dtn.shutdown();
        assertThat(Dtn.setup(quiet("dtn://node2/")).uri()).isEqualTo("dtn://node2/");
        assertThatThrownBy(() -> Dtn.setup("nonsense")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtn://<name>/");
    }

    @Test
    void callbacksWaitForTheApplicationToDriveTheNodeAsInDtn7zero() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        LocalEndpoint node = Dtn.setup(quiet("dtn://node1/").onMessage(
                (payload, source, destination, primary) -> got.add(new String(payload) + " " + source + " " + destination)));
        assertThat(Dtn.node().hasBackgroundUpdates()).isFalse();
        node.send("hello world", "dtn://node1/");
        Thread.sleep(300);
        assertThat(got).isEmpty();
        AtomicInteger loops = new AtomicInteger();
        Dtn.runForever(() -> {
            if (loops.incrementAndGet() == 3) {
                Dtn.shutdown();
            }
        }, Duration.ofMillis(50));
        assertThat(got).containsExactly("hello world dtn://node1/ dtn://node1/");
        assertThat(Dtn.isSetUp()).isFalse();
    }

    @Test
    void backgroundThreadStartsOnce() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        Dtn.setup(quiet("dtn://node1/"));
        LocalEndpoint echo = Dtn.register("echo", (java.util.function.Consumer<Message>) m -> got.add(m.text()));
        Dtn.startBackgroundUpdateThread();
        assertThatThrownBy(Dtn::startBackgroundUpdateThread).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only once");
        Dtn.node().endpoint().send("ping", echo.uri());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(got).containsExactly("ping");
        assertThat(Dtn.discover()).isEmpty();
    }
}
