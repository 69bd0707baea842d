package io.dtn7j.core.agent;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.time.VirtualClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input at the agent's reception entry point (RFC 9171 §5.6): never an exception, always a typed result. */
class AgentReceiveFuzzTest {
    static BundleProtocolAgent agent;
    static byte[] valid;
    static final ClaPeer FROM = new ClaPeer(new ClaAddress("capture", "x", 1), EndpointId.parse("dtn://x/"));

    @BeforeContainer
    static void start() throws Exception {
        VirtualClock clock = VirtualClock.create();
        agent = BundleProtocolAgent.start(AgentConfig.builder("dtn://node1/").clock(clock)
                .janitorInterval(Duration.ZERO).statusReports(true).convergenceLayer(new CapturingCla()).build());
        valid = BundleCodec.encode(Bundle.builder().source("dtn://x/app").destination("dtn://node1/inbox")
                .reportTo("dtn://x/app").creation(clock.nowDtnMs(), 0).crcType(CrcType.CRC16).hopLimit(5)
                .bundleAgeMs(10).previousNode(EndpointId.parse("dtn://x/")).flags(0x7c004).payload("fuzz").build());
    }

    @AfterContainer
    static void stop() {
        agent.close();
    }

    @Property(tries = 400)
    void mutatedBundlesGiveATypedResult(@ForAll("mutations") List<int[]> edits) {
        byte[] b = valid.clone();
        for (int[] e : edits) {
            b[Math.floorMod(e[0], b.length)] = (byte) e[1];
        }
        ReceptionResult r = agent.receive(ByteSource.of(b), FROM);
        assertThat(r).isNotNull();
        if (r instanceof ReceptionResult.Rejected rej) {
            assertThat(rej.reason()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void truncatedAndRandomInputIsRejected(@ForAll byte[] junk) {
        ReceptionResult r = agent.receive(ByteSource.of(junk), FROM);
        assertThat(r).isInstanceOf(ReceptionResult.Rejected.class);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, 10_000)
                .flatMap(pos -> Arbitraries.integers().between(0, 255).map(v -> new int[] {pos, v}));
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }
}
