package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.Delivery;
import io.dtn7j.core.agent.SendRequest;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.peer.Peer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two agents that know each other as static TCPCLv4 peers: once A has opened a session to B, B's bundles for A go
 * back over that same session (RFC 9174 sessions are bidirectional), so each side holds exactly one session.
 */
class AgentSessionReuseTest {

    @Test
    void replyTravelsOverTheSessionThePeerOpened() throws Exception {
        ClaOptions opts = ClaOptions.builder().bindHost("127.0.0.1").port(0).build();
        TcpclConvergenceLayer claA = (TcpclConvergenceLayer) ConvergenceLayers.create("tcp", opts);
        TcpclConvergenceLayer claB = (TcpclConvergenceLayer) ConvergenceLayers.create("tcp", opts);
        LinkedBlockingQueue<String> atA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> atB = new LinkedBlockingQueue<>();
        try (BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://a/")
                        .convergenceLayer(claA).build());
             BundleProtocolAgent b = BundleProtocolAgent.start(AgentConfig.builder("dtn://b/")
                        .convergenceLayer(claB).build())) {
            a.register(EndpointId.parse("dtn://a/inbox"), (Delivery d) -> atA.add(new String(d.payload().toByteArray())));
            b.register(EndpointId.parse("dtn://b/inbox"), (Delivery d) -> atB.add(new String(d.payload().toByteArray())));
            // B learns of A only after A's first bundle has set up A's session to B
            a.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://b/"), new ClaAddress("tcp", "127.0.0.1", claB.port())));
            a.send(SendRequest.to("dtn://b/inbox").payload("hello b").build());
            assertThat(atB.poll(10, TimeUnit.SECONDS)).isEqualTo("hello b");
            b.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://a/"), new ClaAddress("tcp", "127.0.0.1", claA.port())));
            for (int i = 0; i < 5; i++) {
                b.send(SendRequest.to("dtn://a/inbox").payload("reply " + i).build());
            }
            for (int i = 0; i < 5; i++) {
                assertThat(atA.poll(10, TimeUnit.SECONDS)).as("reply %d delivered at A", i).startsWith("reply ");
            }
            assertThat(claA.sessions()).as("A's sessions").hasSize(1);
            assertThat(claB.sessions()).as("B's sessions: the one A opened, reused for B's replies").hasSize(1);
        }
    }
}
