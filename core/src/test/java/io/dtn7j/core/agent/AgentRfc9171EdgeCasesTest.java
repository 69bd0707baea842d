package io.dtn7j.core.agent;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.fragment.Fragmenter;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.time.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9171 edge cases of reception, reassembly and reporting: an ADU delivered once however it arrives (whole, or
 * fragmented differently over two paths), fragments kept for forwarding after reassembly (§5.9 removes only
 * "reassembly pending"), a bundle age block in every fragment of a clockless bundle (§4.4.2), a bundle age past
 * 2^63 ms taken as expired (§5.6), and one delivery report per bundle however many registrations get it (§5.7).
 */
class AgentRfc9171EdgeCasesTest {

    final VirtualClock clock = VirtualClock.create();
    final CapturingCla cla = new CapturingCla();
    final List<BundleProtocolAgent> agents = new ArrayList<>();
    static final ClaPeer FROM_NODE0 = new ClaPeer(new ClaAddress("capture", "node0", 1), EndpointId.parse("dtn://node0/"));
    static final ClaPeer FROM_NODE7 = new ClaPeer(new ClaAddress("capture", "node7", 1), EndpointId.parse("dtn://node7/"));

    BundleProtocolAgent agent(AgentConfig.Builder b) throws Exception {
        BundleProtocolAgent a = BundleProtocolAgent.start(b.build());
        agents.add(a);
        return a;
    }

    AgentConfig.Builder config() {
        return AgentConfig.builder("dtn://node1/").clock(clock).janitorInterval(Duration.ZERO).statusReports(true)
                .convergenceLayer(cla);
    }

    @AfterEach
    void close() {
        agents.forEach(BundleProtocolAgent::close);
    }

    io.dtn7j.bundle.BundleBuilder incoming() {
        return Bundle.builder().source("dtn://node0/app").destination("dtn://node1/inbox").reportTo("dtn://node0/app")
                .creation(clock.nowDtnMs(), 0).lifetimeMs(3_600_000).crcType(CrcType.CRC32C).payload("data");
    }

    static ByteSource enc(Bundle b) {
        return ByteSource.of(BundleCodec.encode(b));
    }

    List<Bundle> sentTo(String node) {
        List<Bundle> out = new ArrayList<>();
        for (CapturingCla.Sent s : cla.sent) {
            if (s.to().host().equals(node)) {
                out.add(s.bundle());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------- an ADU delivered once

    /**
     * The same ADU reaches the node twice over two paths, fragmented differently (different MTUs): the second set of
     * fragments has other fragment IDs, so duplicate suppression does not catch it, and once it is complete the
     * reassembled bundle, whose ID the agent has already seen and delivered, is stored and delivered again.
     */
    @Test
    void anAduReassembledTwiceFromDifferentlyCutFragmentsIsDeliveredOnce() throws Exception {
        BundleProtocolAgent a = agent(config());
        List<Delivery> got = new CopyOnWriteArrayList<>();
        a.register("dtn://node1/inbox", got::add);
        byte[] payload = new byte[10_000];
        new Random(11).nextBytes(payload);
        Bundle whole = incoming().payload(payload).flags(0).build();

        for (Bundle f : Fragmenter.split(whole, 4000)) {
            assertThat(a.receive(enc(f), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        }
        Await.until("first reassembly delivered", () -> got.size() == 1);
        Await.idle(a);

        for (Bundle f : Fragmenter.split(whole, 3000, 7000)) {
            a.receive(enc(f), FROM_NODE7);
        }
        Await.idle(a);
        Thread.sleep(200);
        Await.idle(a);
        assertThat(got).as("deliveries of bundle " + whole.id()).hasSize(1);
    }

    /** Same, with the unfragmented bundle first: its fragments arriving later over another path deliver it again. */
    @Test
    void fragmentsOfAnAlreadyDeliveredBundleDoNotDeliverItAgain() throws Exception {
        BundleProtocolAgent a = agent(config());
        List<Delivery> got = new CopyOnWriteArrayList<>();
        a.register("dtn://node1/inbox", got::add);
        byte[] payload = new byte[10_000];
        new Random(12).nextBytes(payload);
        Bundle whole = incoming().payload(payload).flags(0).build();
        assertThat(a.receive(enc(whole), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        Await.until("delivered", () -> got.size() == 1);
        Await.idle(a);
        for (Bundle f : Fragmenter.split(whole, 5000)) {
            a.receive(enc(f), FROM_NODE7);
        }
        Await.idle(a);
        Thread.sleep(200);
        Await.idle(a);
        assertThat(got).as("deliveries of bundle " + whole.id()).hasSize(1);
    }

    // ---------------------------------------------------------------------------------- fragments kept for forwarding

    /**
     * Fragments for a group endpoint that has a registration here are both delivered here (reassembly) and forwarded.
     * RFC 9171 §5.9 only removes the "reassembly pending" constraint from the fragments once the ADU is complete; the
     * agent discards them outright, so the fragments it has not yet forwarded are lost for forwarding.
     */
    @Test
    void reassemblyDoesNotDropFragmentsThatStillAwaitForwarding() throws Exception {
        BundleProtocolAgent a = agent(config());
        List<Delivery> got = new CopyOnWriteArrayList<>();
        a.register("dtn://chat/~room", got::add);
        byte[] payload = new byte[6_000];
        new Random(13).nextBytes(payload);
        Bundle whole = incoming().destination("dtn://chat/~room").payload(payload).flags(0).build();
        List<Bundle> fragments = Fragmenter.split(whole, 2000, 4000);
        for (Bundle f : fragments) {
            assertThat(a.receive(enc(f), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        }
        Await.until("reassembled and delivered here", () -> got.size() == 1);
        Await.idle(a);
        // no peer yet: forwarding is pending; every fragment must still be retained for it
        for (Bundle f : fragments) {
            assertThat(a.metadata(f.id())).as("fragment " + f.id() + " retained for forwarding").isPresent()
                    .get().matches(md -> md.has(Constraint.FORWARD_PENDING));
        }
        // and a contact later gets the whole ADU's bytes
        a.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://node2/"), new ClaAddress("capture", "node2", 1)));
        Await.until("forwarded to node2", () -> sentTo("node2").stream().filter(b -> !b.isAdministrativeRecord())
                .mapToLong(b -> b.payload().size()).sum() == payload.length);
    }

    // ---------------------------------------------------------------------------------- clockless fragments

    /**
     * A clockless node (creation time 0) fragments a bundle for a small link: only the first fragment carries the
     * bundle age block, although RFC 9171 §4.4.2 requires one in every bundle whose creation time is 0. The receiver
     * (here: the same implementation with its default validation) rejects every other fragment, so the ADU can never
     * be reassembled.
     */
    @Test
    void fragmentsOfAClocklessBundleEachCarryABundleAgeBlock() throws Exception {
        VirtualClock clockless = new VirtualClock(5_000_000, false);
        CapturingCla small = new CapturingCla(1000);
        BundleProtocolAgent sender = agent(AgentConfig.builder("dtn://node1/").clock(clockless)
                .janitorInterval(Duration.ZERO).convergenceLayer(small));
        sender.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://node2/"), new ClaAddress("capture", "node2", 1)));
        byte[] payload = new byte[3000];
        new Random(14).nextBytes(payload);
        BundleId id = sender.send(SendRequest.to("dtn://node2/inbox").payload(payload).build());
        assertThat(id.creation().dtnTimeMs()).isZero();
        Await.until("all fragments sent", () -> small.sent.stream().mapToLong(s -> s.bundle().payload().size()).sum()
                == payload.length);
        assertThat(small.sent.size()).isGreaterThan(1);

        BundleProtocolAgent receiver = agent(AgentConfig.builder("dtn://node2/").clock(clockless)
                .janitorInterval(Duration.ZERO));
        Registration reg = receiver.register("dtn://node2/inbox", null);
        List<ReceptionResult> results = new ArrayList<>();
        for (CapturingCla.Sent s : small.sent) {
            results.add(receiver.receive(ByteSource.of(s.encoded()), FROM_NODE0));
        }
        assertThat(results).allMatch(r -> r instanceof ReceptionResult.Accepted);
        Await.until("reassembled", () -> reg.pending() == 1);
        assertThat(reg.poll().orElseThrow().payload().toByteArray()).isEqualTo(payload);
    }

    // ---------------------------------------------------------------------------------- huge bundle age

    /**
     * A clockless bundle whose bundle age (an unsigned CBOR integer) is 2^63 ms or more: the agent reads it as a
     * negative long, treats that as "no bundle age block", and computes the expiry as now + lifetime, so a bundle
     * older than its lifetime is accepted and kept for the full lifetime instead of being deleted (RFC 9171 §4.2.2,
     * §4.4.2, §5.6: lifetime expired).
     */
    @Test
    void aBundleAgedBeyondTwoToTheSixtyThreeMsIsExpiredOnReception() throws Exception {
        BundleProtocolAgent a = agent(config());
        Bundle ancient = incoming().creation(0, 5).lifetimeMs(3_600_000).bundleAgeMs(Long.MIN_VALUE) // 2^63 ms
                .destination("dtn://node1/old").build();
        assertThat(Long.toUnsignedString(ancient.bundleAge().orElseThrow().ageMs())).isEqualTo("9223372036854775808");
        assertThat(a.receive(enc(ancient), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        Await.idle(a);
        assertThat(a.bundleIds()).as("an expired bundle is not stored").isEmpty();
        assertThat(a.statistics().deleted()).containsEntry("lifetime_expired", 1L);
    }

    // ---------------------------------------------------------------------------------- delivery reports

    /**
     * A bundle for a group endpoint with two registrations on this node, requesting a delivery report: the node
     * delivers it once (RFC 9171 §5.7 step 2: "a bundle delivery status report SHOULD be generated"), but the agent
     * generates one delivery report per registration, i.e. two identical reports about the same delivery.
     */
    @Test
    void oneDeliveryReportPerDeliveryNotPerRegistration() throws Exception {
        BundleProtocolAgent a = agent(config());
        a.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://node0/"), new ClaAddress("capture", "node0", 1)));
        List<Delivery> one = new CopyOnWriteArrayList<>();
        List<Delivery> two = new CopyOnWriteArrayList<>();
        a.register("dtn://chat/~room", one::add);
        a.register("dtn://chat/~room", two::add);
        Bundle b = incoming().destination("dtn://chat/~room").flags(BundleFlags.REPORT_DELIVERY).build();
        a.receive(enc(b), FROM_NODE0);
        Await.until("both registrations got it", () -> one.size() == 1 && two.size() == 1);
        Await.idle(a);
        Thread.sleep(100);
        Await.idle(a);
        assertThat(a.statistics().statusReportsSent()).as("delivery reports generated").isEqualTo(1);
    }
}
