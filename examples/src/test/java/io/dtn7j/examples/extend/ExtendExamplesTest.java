package io.dtn7j.examples.extend;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.Delivery;
import io.dtn7j.core.agent.SendRequest;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.MemoryBundleStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three extension examples working together between two agents over loopback TCP. */
class ExtendExamplesTest {

    @Test
    void customClaRouterAndStoreCarryABundleBetweenTwoAgents() throws Exception {
        assertThat(ConvergenceLayers.names()).contains(DecimalFramedCla.NAME); // found through ServiceLoader
        ClaOptions opts = ClaOptions.builder().bindHost("127.0.0.1").port(0).build();
        ConvergenceLayer claA = ConvergenceLayers.create(DecimalFramedCla.NAME, opts);
        ConvergenceLayer claB = ConvergenceLayers.create(DecimalFramedCla.NAME, opts);
        assertThat(claA).isInstanceOf(DecimalFramedCla.class);
        DirectDeliveryRouter router = new DirectDeliveryRouter();
        CountingBundleStore storeA = new CountingBundleStore(new MemoryBundleStore());
        CountingBundleStore storeB = new CountingBundleStore(new MemoryBundleStore());
        try (BundleProtocolAgent b = BundleProtocolAgent.start(AgentConfig.builder("dtn://b/")
                .store(storeB).router(new DirectDeliveryRouter()).convergenceLayer(claB).build())) {
            List<Delivery> got = new CopyOnWriteArrayList<>();
            b.register("dtn://b/inbox", got::add);
            try (BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://a/")
                    .store(storeA).router(router).convergenceLayer(claA)
                    .staticPeer(Peer.staticPeer(EndpointId.parse("dtn://b/"),
                            new ClaAddress(DecimalFramedCla.NAME, "127.0.0.1", claB.port())))
                    .build())) {
                BundleId id = a.send(SendRequest.to("dtn://b/inbox").payload("hello over dtcp-example").build());
                awaitTrue(() -> got.size() == 1);
                assertThat(got.get(0).id()).isEqualTo(id);
                assertThat(new String(got.get(0).payload().toByteArray(), StandardCharsets.UTF_8))
                        .isEqualTo("hello over dtcp-example");
                assertThat(router.forwardDecisions()).isGreaterThanOrEqualTo(1);
                assertThat(storeA.puts()).isGreaterThanOrEqualTo(1);
                awaitTrue(() -> storeA.removals() >= 1 && storeA.count() == 0); // deleted after direct delivery
            }
        }
    }

    @Test
    void routerWaitsWhenNoPeerHostsTheDestination() throws Exception {
        CountingBundleStore store = new CountingBundleStore(new MemoryBundleStore());
        DirectDeliveryRouter router = new DirectDeliveryRouter();
        try (BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://a/")
                .store(store).router(router)
                .staticPeer(Peer.staticPeer(EndpointId.parse("dtn://c/"),
                        new ClaAddress(DecimalFramedCla.NAME, "127.0.0.1", 9)))
                .build())) {
            BundleId id = a.send(SendRequest.to("dtn://b/inbox").payload("x").build());
            Thread.sleep(300);
            assertThat(router.forwardDecisions()).isZero();
            assertThat(store.contains(id)).isTrue();
        }
    }

    @Test
    void framingRejectsHostileLengthLines() {
        DecimalFramedCla cla = new DecimalFramedCla(ClaOptions.builder().build());
        assertThatThrownBy(() -> cla.readFrameHeader(in("12x\n"), 100)).hasMessageContaining("decimal digits");
        assertThatThrownBy(() -> cla.readFrameHeader(in("999999999999999999999\n"), 100))
                .hasMessageContaining("decimal digits");
        assertThatThrownBy(() -> cla.readFrameHeader(in("101\n"), 100)).hasMessageContaining("exceeds the limit");
        assertThatThrownBy(() -> cla.readFrameHeader(in("12"), 100)).hasMessageContaining("ended inside");
    }

    @Test
    void framingRoundTrips() throws Exception {
        DecimalFramedCla cla = new DecimalFramedCla(ClaOptions.builder().build());
        assertThat(cla.readFrameHeader(new ByteArrayInputStream(cla.frameHeader(4242)), 10_000)).isEqualTo(4242);
        assertThat(cla.readFrameHeader(in("0\n"), 100)).isZero();
        assertThat(cla.readFrameHeader(in(""), 100)).isEqualTo(-1);
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
