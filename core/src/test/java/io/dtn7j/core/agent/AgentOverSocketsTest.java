package io.dtn7j.core.agent;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.peer.Peer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Two agents over real convergence layers on loopback: forwarding, fragmentation and delivery end to end. */
class AgentOverSocketsTest {

    /**
     * Starts b, then a with b as its static peer, each with a CLA of the given kind and {@code settings} applied to its
     * configuration; adds a then b to {@code agents} (for the caller to close, also when starting fails half-way).
     */
    static void startPair(String claName, ClaOptions opts,
                          java.util.function.UnaryOperator<AgentConfig.Builder> settings,
                          List<BundleProtocolAgent> agents) throws Exception {
        ConvergenceLayer claA = ConvergenceLayers.create(claName, opts);
        ConvergenceLayer claB = ConvergenceLayers.create(claName, opts);
        BundleProtocolAgent b = BundleProtocolAgent.start(settings.apply(AgentConfig.builder("dtn://b/"))
                .convergenceLayer(claB).build());
        agents.add(b);
        BundleProtocolAgent a = BundleProtocolAgent.start(settings.apply(AgentConfig.builder("dtn://a/"))
                .convergenceLayer(claA).staticPeer(Peer.staticPeer(EndpointId.parse("dtn://b/"),
                        new ClaAddress(claName, "127.0.0.1", claB.port())))
                .build());
        agents.add(0, a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "mtcp"})
    void bundlesTravelBetweenAgentsOverLoopback(String claName) throws Exception {
        ClaOptions opts = ClaOptions.builder().bindHost("127.0.0.1").port(0).maxBundleSize(256 * 1024).build();
        List<BundleProtocolAgent> agents = new ArrayList<>();
        try {
            startPair(claName, opts, c -> c.janitorInterval(Duration.ofMillis(200)), agents);
            BundleProtocolAgent a = agents.get(0);
            BundleProtocolAgent b = agents.get(1);
            List<Delivery> got = new CopyOnWriteArrayList<>();
            b.register("dtn://b/inbox", got::add);
            byte[] big = new byte[1_500_000]; // above the CLA limit: fragmented by a, reassembled by b
            new Random(9).nextBytes(big);
            BundleId small = a.send(SendRequest.to("dtn://b/inbox").payload("over " + claName).build());
            BundleId large = a.send(SendRequest.to("dtn://b/inbox").payload(big).build());
            Await.until("both delivered over " + claName, Duration.ofSeconds(30), () -> got.size() == 2);
            Delivery ds = got.stream().filter(d -> d.id().equals(small)).findFirst().orElseThrow();
            Delivery dl = got.stream().filter(d -> d.id().equals(large)).findFirst().orElseThrow();
            assertThat(new String(ds.payload().toByteArray())).isEqualTo("over " + claName);
            assertThat(ds.bundle().previousNode()).contains(EndpointId.parse("dtn://a/"));
            assertThat(dl.payload().toByteArray()).isEqualTo(big);
            assertThat(a.statistics().fragmentsCreated()).isGreaterThanOrEqualTo(6);
            assertThat(b.statistics().reassembled()).isEqualTo(1);
            Await.until("a dropped its copies after direct delivery", Duration.ofSeconds(10),
                    () -> a.bundleIds().isEmpty());
        } finally {
            agents.forEach(BundleProtocolAgent::close);
        }
    }

    /**
     * A 9 MiB payload with a CRC-32C (over TCPCLv4 in 1 MiB segments and in one segment, over MTCP in one frame)
     * arrives intact; the
     * receiver recorded CRC checkpoints over its chunks as they arrived, so the delivered payload's parts know their
     * CRC (the block check used them instead of reading the payload again).
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp:1048576", "tcp:33554432", "mtcp:0"})
    void aLargePayloadWithACrcArrivesIntactAndWasCheckedFromCheckpoints(String claAndSegment) throws Exception {
        String claName = claAndSegment.split(":")[0];
        long segment = Long.parseLong(claAndSegment.split(":")[1]);
        ClaOptions opts = ClaOptions.builder().bindHost("127.0.0.1").port(0).maxBundleSize(64 << 20)
                .segmentMru(segment > 0 ? segment : 1 << 20).spoolThreshold(64 << 20).build();
        List<BundleProtocolAgent> agents = new ArrayList<>();
        try {
            startPair(claName, opts, c -> c.maxBundleSize(64 << 20).crcType(io.dtn7j.bundle.CrcType.CRC32C), agents);
            BundleProtocolAgent a = agents.get(0);
            BundleProtocolAgent b = agents.get(1);
            List<Delivery> got = new CopyOnWriteArrayList<>();
            b.register("dtn://b/inbox", got::add);
            byte[] big = new byte[9 << 20];
            new Random(11).nextBytes(big);
            a.send(SendRequest.to("dtn://b/inbox").payload(big).build());
            Await.until("delivered over " + claName, Duration.ofSeconds(30), () -> got.size() == 1);
            assertThat(got.get(0).payload().toByteArray()).isEqualTo(big);
            assertThat(got.get(0).bundle().payloadBlock().crcType()).isEqualTo(io.dtn7j.bundle.CrcType.CRC32C);
            assertThat(got.get(0).payload().segments()).allMatch(io.dtn7j.bundle.ByteSource::knowsCrc32c);
            assertThat(b.statistics().received()).isEqualTo(1);
        } finally {
            agents.forEach(BundleProtocolAgent::close);
        }
    }
}
