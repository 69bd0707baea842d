package io.dtn7j.core.agent;

import io.dtn7j.bundle.BlockFlags;
import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.admin.AdministrativeRecord;
import io.dtn7j.bundle.admin.BundleStatusReport;
import io.dtn7j.bundle.admin.BundleStatusReport.Status;
import io.dtn7j.bundle.admin.StatusReportReason;
import io.dtn7j.bundle.admin.StatusReports;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.fragment.Fragmenter;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaPeer;
import io.dtn7j.core.cla.ReceptionResult;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.core.store.StoreLimits;
import io.dtn7j.core.time.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One agent's processing, step by step along RFC 9171 §5 (and §4.4, §6). */
class AgentProcessingTest {

    final VirtualClock clock = VirtualClock.create();
    final CapturingCla cla = new CapturingCla();
    final List<BundleProtocolAgent> agents = new ArrayList<>();
    static final EndpointId NODE2 = EndpointId.parse("dtn://node2/");
    static final ClaPeer FROM_NODE0 = new ClaPeer(new ClaAddress("capture", "node0", 1), EndpointId.parse("dtn://node0/"));

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

    static byte[] encode(Bundle b) {
        return BundleCodec.encode(b);
    }

    @Test
    void waivedDeviationsAreCountedAndStrictRejectsThem() throws Exception {
        // Issue 2 / RFC 9171 §4.3.1: a CRC-less primary block without a BIB is accepted by default, and counted.
        BundleProtocolAgent a = agent(config());
        assertThat(a.receive(ByteSource.of(encode(incoming().destination("dtn://node1/a").build())), FROM_NODE0))
                .isInstanceOf(ReceptionResult.Accepted.class);
        assertThat(a.statistics().deviations()).isEmpty();
        assertThat(a.receive(ByteSource.of(encode(incoming().destination("dtn://node1/b").creation(clock.nowDtnMs(), 1)
                .crcType(CrcType.NONE).build())), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        assertThat(a.statistics().deviations()).containsExactly(java.util.Map.entry("primary_without_crc", 1L));

        BundleProtocolAgent strict = agent(AgentConfig.builder("dtn://node3/").clock(clock)
                .janitorInterval(Duration.ZERO).validationPolicy(io.dtn7j.bundle.codec.ValidationPolicy.STRICT));
        assertThat(strict.receive(ByteSource.of(encode(incoming().destination("dtn://node3/b").crcType(CrcType.NONE)
                .build())), FROM_NODE0)).isInstanceOf(ReceptionResult.Rejected.class);
        assertThat(strict.statistics().deviations()).isEmpty();
    }

    static BundleStatusReport reportIn(Bundle b) {
        assertThat(b.isAdministrativeRecord()).isTrue();
        return (BundleStatusReport) AdministrativeRecord.of(b);
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

    void addPeer(BundleProtocolAgent a, String node) {
        a.addStaticPeer(Peer.staticPeer(EndpointId.parse("dtn://" + node + "/"), new ClaAddress("capture", node, 1)));
    }

    // ---------------------------------------------------------------------------------------------- §5.2, §5.3, §5.7

    @Test
    void transmissionStoresTheBundleAndLocalDeliveryHandsItToAPassiveRegistration() throws Exception {
        BundleProtocolAgent a = agent(config().crcType(CrcType.CRC16));
        Registration reg = a.register("dtn://node1/inbox", null);
        BundleId id = a.send(SendRequest.to("dtn://node1/inbox").source(EndpointId.parse("dtn://node1/app"))
                .payload("hello").lifetime(Duration.ofMinutes(5)).build());

        // §5.2: creation timestamp from the agent's clock, configured CRC type, hop count block
        assertThat(id.creation().dtnTimeMs()).isEqualTo(clock.nowDtnMs());
        Bundle stored = BundleCodec.decode(a.encodedBundle(id).orElseThrow(), io.dtn7j.bundle.codec.DecodeOptions.DEFAULT);
        assertThat(stored.primary().crcType()).isEqualTo(CrcType.CRC16);
        assertThat(stored.hopCount()).get().extracting(h -> h.limit()).isEqualTo(32L);
        assertThat(stored.primary().lifetimeMs()).isEqualTo(300_000);
        // §5.7: deferred for the passive registration until polled
        assertThat(a.metadata(id)).get().matches(md -> md.has(Constraint.LOCAL_ENDPOINT));
        Delivery d = reg.poll().orElseThrow();
        assertThat(d.payload().toByteArray()).asString().isEqualTo("hello");
        assertThat(d.source()).isEqualTo(EndpointId.parse("dtn://node1/app"));
        assertThat(reg.poll()).isEmpty();
        // delivered and no other constraint: discarded (§5.11)
        assertThat(a.bundleIds()).isEmpty();
        assertThat(cla.sent).isEmpty();
        assertThat(a.statistics().delivered()).isEqualTo(1);
    }

    @Test
    void creationTimestampsAreUniqueWithinOneMillisecond() throws Exception {
        BundleProtocolAgent a = agent(config());
        BundleId x = a.send(SendRequest.to("dtn://far/x").payload("1").build());
        BundleId y = a.send(SendRequest.to("dtn://far/x").payload("2").build());
        assertThat(x.creation().dtnTimeMs()).isEqualTo(y.creation().dtnTimeMs());
        assertThat(y.creation().sequence()).isEqualTo(x.creation().sequence() + 1);
    }

    @Test
    void deliveryIsDeferredUntilTheEndpointRegisters() throws Exception {
        BundleProtocolAgent a = agent(config());
        ReceptionResult r = a.receive(ByteSource.of(encode(incoming().destination("dtn://node1/later").build())), FROM_NODE0);
        assertThat(r).isInstanceOf(ReceptionResult.Accepted.class);
        BundleId id = a.bundleIds().get(0);
        assertThat(a.metadata(id).orElseThrow().constraints()).containsExactly(Constraint.LOCAL_ENDPOINT);
        assertThat(cla.sent).isEmpty(); // a bundle for this node is not forwarded

        List<Delivery> got = new CopyOnWriteArrayList<>();
        a.register("dtn://node1/later", got::add);
        Await.until("the late registration got the bundle", () -> got.size() == 1);
        assertThat(got.get(0).payload().toByteArray()).asString().isEqualTo("data");
        Await.until("the delivered bundle left the store", () -> a.bundleIds().isEmpty());
    }

    @Test
    void bundlesQueuedForAClosedRegistrationWaitForTheNextOne() throws Exception {
        BundleProtocolAgent a = agent(config());
        Registration first = a.register("dtn://node1/box", null);
        a.receive(ByteSource.of(encode(incoming().destination("dtn://node1/box").build())), FROM_NODE0);
        a.receive(ByteSource.of(encode(incoming().destination("dtn://node1/box").creation(clock.nowDtnMs(), 1)
                .build())), FROM_NODE0);
        assertThat(first.pending()).isEqualTo(2);
        assertThat(first.poll()).isPresent();
        first.close();
        assertThat(first.poll()).isEmpty();
        Registration second = a.register("dtn://node1/box", null);
        assertThat(second.pending()).isEqualTo(1);
        assertThat(second.poll()).isPresent();
        assertThat(a.bundleIds()).isEmpty();
        // expired while waiting for a registration: gone, and nothing is queued later
        a.receive(ByteSource.of(encode(incoming().destination("dtn://node1/late").lifetimeMs(1000).build())), FROM_NODE0);
        clock.advance(Duration.ofSeconds(2));
        a.runJanitor();
        assertThat(a.register("dtn://node1/late", null).pending()).isZero();
    }

    @Test
    void groupEndpointDeliversToEveryRegistrationAndStillForwards() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node2");
        List<Delivery> one = new CopyOnWriteArrayList<>();
        List<Delivery> two = new CopyOnWriteArrayList<>();
        a.register("dtn://chat/~room", one::add);
        a.register("dtn://chat/~room", two::add);
        a.receive(ByteSource.of(encode(incoming().destination("dtn://chat/~room").build())), FROM_NODE0);
        Await.until("both registrations got it", () -> one.size() == 1 && two.size() == 1);
        Await.until("forwarded to the peer as well", () -> sentTo("node2").size() == 1);
        assertThat(a.unregister(EndpointId.parse("dtn://chat/~room"))).isTrue();
        assertThat(a.endpoints()).containsExactly(EndpointId.parse("dtn://node1/"));
    }

    @Test
    void registeringAnotherNodesSingletonEndpointIsRefused() throws Exception {
        BundleProtocolAgent a = agent(config());
        assertThatThrownBy(() -> a.register("dtn://node2/inbox", null)).hasMessageContaining("belongs to node");
        assertThatThrownBy(() -> a.register(EndpointId.NONE, null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------- §5.6 reception

    @Test
    void duplicatesAreSuppressed() throws Exception {
        BundleProtocolAgent a = agent(config());
        List<Delivery> got = new CopyOnWriteArrayList<>();
        a.register("dtn://node1/inbox", got::add);
        byte[] bytes = encode(incoming().build());
        assertThat(a.receive(ByteSource.of(bytes), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        assertThat(a.hasBundle(BundleCodec.decode(bytes, io.dtn7j.bundle.codec.DecodeOptions.DEFAULT).id())).isTrue();
        Await.until("delivered", () -> got.size() == 1);
        Await.idle(a);
        // still a duplicate after it was delivered and left the store
        assertThat(a.receive(ByteSource.of(bytes), FROM_NODE0)).isInstanceOf(ReceptionResult.Duplicate.class);
        Await.idle(a);
        assertThat(got).hasSize(1);
        assertThat(a.statistics().duplicates()).isEqualTo(1);
    }

    @Test
    void duplicateMemoryIsBounded() throws Exception {
        BundleProtocolAgent a = agent(config().seenCapacity(10));
        Registration reg = a.register("dtn://node1/inbox", null);
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] b = encode(incoming().creation(clock.nowDtnMs(), i).build());
            all.add(b);
            a.receive(ByteSource.of(b), FROM_NODE0);
            assertThat(reg.poll()).isPresent();
        }
        // the oldest IDs were forgotten (and the bundles left the store): accepted again; recent ones are duplicates
        assertThat(a.receive(ByteSource.of(all.get(0)), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        assertThat(a.receive(ByteSource.of(all.get(19)), FROM_NODE0)).isInstanceOf(ReceptionResult.Duplicate.class);
    }

    @Test
    void malformedBundlesAreRejectedWithAReason() throws Exception {
        BundleProtocolAgent a = agent(config());
        byte[] good = encode(incoming().build());
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[rnd.nextInt(64)];
            rnd.nextBytes(junk);
            assertThat(a.receive(ByteSource.of(junk), FROM_NODE0)).isInstanceOf(ReceptionResult.Rejected.class);
        }
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        ReceptionResult r = a.receive(ByteSource.of(cut), FROM_NODE0);
        assertThat(r).isInstanceOf(ReceptionResult.Rejected.class);
        assertThat(((ReceptionResult.Rejected) r).reason()).startsWith("malformed bundle");
        assertThat(a.bundleIds()).isEmpty();
        assertThat(a.statistics().rejected()).isEqualTo(201);
    }

    /** The block layout py-dtn7/dtn7zero send: hop count block number 1, payload block number 2. */
    Bundle dtn7zeroStyle(String destination) {
        Bundle b = incoming().destination(destination).build();
        return b.withBlocks(List.of(CanonicalBlock.hopCount(1, 32, 0, CrcType.CRC32C), b.payloadBlock().withNumber(2)));
    }

    @Test
    void lenientAgentForwardsAPayloadBlockNumberedTwoKeepingItsNumber() throws Exception {
        BundleProtocolAgent strictish = agent(config());
        byte[] bytes = encode(dtn7zeroStyle("dtn://node2/inbox"));
        ReceptionResult refused = strictish.receive(ByteSource.of(bytes), FROM_NODE0);
        assertThat(refused).isInstanceOf(ReceptionResult.Rejected.class);
        assertThat(((ReceptionResult.Rejected) refused).reason()).contains("PAYLOAD_BLOCK_NUMBER");

        BundleProtocolAgent a = agent(config().validationPolicy(io.dtn7j.bundle.codec.ValidationPolicy.LENIENT));
        addPeer(a, "node2");
        assertThat(a.receive(ByteSource.of(bytes), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        Await.until("forwarded to node2", () -> sentTo("node2").size() == 1);
        Bundle out = sentTo("node2").get(0);
        // the payload keeps number 2 and its data; the blocks the agent adds or updates get numbers of their own
        assertThat(out.payloadBlock().number()).isEqualTo(2);
        assertThat(out.payloadText()).isEqualTo("data");
        assertThat(out.hopCount().orElseThrow().count()).isEqualTo(1);
        assertThat(out.block(io.dtn7j.bundle.BlockType.HOP_COUNT).orElseThrow().number()).isEqualTo(1);
        assertThat(out.previousNode()).contains(EndpointId.parse("dtn://node1/"));
        assertThat(out.block(io.dtn7j.bundle.BlockType.PREVIOUS_NODE).orElseThrow().number()).isEqualTo(3);
        assertThat(out.blocks().get(out.blocks().size() - 1).isPayload()).isTrue();
        Bundle again = BundleCodec.decode(encode(out), io.dtn7j.bundle.codec.DecodeOptions.LENIENT);
        assertThat(again.payloadText()).isEqualTo("data");
    }

    @Test
    void unsupportedBlockWithDeleteFlagDeletesTheBundleAndReports() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node0");
        Bundle b = incoming().flags(BundleFlags.REPORT_DELETION)
                .addBlock(new CanonicalBlock(200, 5, BlockFlags.of(BlockFlags.DELETE_BUNDLE_IF_UNPROCESSABLE),
                        CrcType.NONE, ByteSource.ofUtf8("??"))).build();
        assertThat(a.receive(ByteSource.of(encode(b)), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        Await.until("the deletion report went to node0", () -> sentTo("node0").size() == 1);
        BundleStatusReport report = reportIn(sentTo("node0").get(0));
        assertThat(report.deleted().asserted()).isTrue();
        assertThat(report.reason()).isEqualTo(StatusReportReason.BLOCK_UNSUPPORTED);
        assertThat(report.subjectId()).isEqualTo(b.id());
        assertThat(sentTo("node0").get(0).destination()).isEqualTo(EndpointId.parse("dtn://node0/app"));
        assertThat(a.statistics().deleted()).containsEntry("block_unsupported", 1L);
        assertThat(a.bundleIds()).isEmpty();
    }

    @Test
    void unsupportedBlockWithDiscardFlagIsRemovedAndWithReportFlagReported() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node0");
        Registration reg = a.register("dtn://node1/inbox", null);
        Bundle b = incoming().flags(0)
                .addBlock(new CanonicalBlock(201, 5, BlockFlags.of(BlockFlags.DISCARD_IF_UNPROCESSABLE
                        | BlockFlags.REPORT_IF_UNPROCESSABLE), CrcType.NONE, ByteSource.ofUtf8("??")))
                .addBlock(new CanonicalBlock(202, 6, BlockFlags.NONE, CrcType.NONE, ByteSource.ofUtf8("keep")))
                .build();
        a.receive(ByteSource.of(encode(b)), FROM_NODE0);
        Delivery d = reg.poll().orElseThrow();
        assertThat(d.bundle().blockByNumber(5)).isEmpty();           // discarded
        assertThat(d.bundle().blockByNumber(6)).isPresent();         // no flags: kept as it is
        Await.until("a reception report about the unsupported block", () -> sentTo("node0").size() == 1);
        BundleStatusReport report = reportIn(sentTo("node0").get(0));
        assertThat(report.received().asserted()).isTrue();
        assertThat(report.reason()).isEqualTo(StatusReportReason.BLOCK_UNSUPPORTED);
    }

    @Test
    void hopLimitExceededAndExpiredBundlesAreDeletedOnReception() throws Exception {
        BundleProtocolAgent a = agent(config());
        Bundle overHops = incoming().build();
        overHops = overHops.withBlock(CanonicalBlock.hopCount(7, 2, 3, CrcType.NONE));
        assertThat(a.receive(ByteSource.of(encode(overHops)), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        Bundle expired = incoming().creation(clock.nowDtnMs() - 10_000, 1).lifetimeMs(5_000).build();
        a.receive(ByteSource.of(encode(expired)), FROM_NODE0);
        assertThat(a.bundleIds()).isEmpty();
        assertThat(a.statistics().deleted()).containsEntry("hop_limit_exceeded", 1L).containsEntry("lifetime_expired", 1L);
    }

    @Test
    void fullStoreRefusesWithDepletedStorageAndReports() throws Exception {
        BundleProtocolAgent a = agent(config().store(new MemoryBundleStore(new StoreLimits(100, 3000))));
        addPeer(a, "node0");
        byte[] big = new byte[2000];
        Bundle first = incoming().destination("dtn://node1/x").payload(big).build();
        Bundle second = incoming().destination("dtn://node1/x").creation(clock.nowDtnMs(), 1).payload(big)
                .flags(BundleFlags.REPORT_DELETION).build();
        assertThat(a.receive(ByteSource.of(encode(first)), FROM_NODE0)).isInstanceOf(ReceptionResult.Accepted.class);
        ReceptionResult r = a.receive(ByteSource.of(encode(second)), FROM_NODE0);
        assertThat(r).isInstanceOf(ReceptionResult.Rejected.class);
        assertThat(((ReceptionResult.Rejected) r).reason()).contains("depleted storage");
        Await.until("a deletion report", () -> sentTo("node0").size() == 1);
        assertThat(reportIn(sentTo("node0").get(0)).reason()).isEqualTo(StatusReportReason.DEPLETED_STORAGE);
        assertThat(a.statistics().deleted()).containsEntry("depleted_storage", 1L);
        // never silently dropped: the sender hears it was refused (not a duplicate)
        assertThat(a.hasBundle(second.id())).isFalse();
    }

    // ---------------------------------------------------------------------------------------------- §5.4 forwarding

    @Test
    void forwardingReplacesPreviousNodeIncrementsHopCountAndAddsResidenceTime() throws Exception {
        BundleProtocolAgent a = agent(config());
        Bundle b = incoming().destination("dtn://node9/x").previousNode(EndpointId.parse("dtn://node0/"))
                .hopLimit(5).bundleAgeMs(100).build();
        b = b.withBlock(CanonicalBlock.hopCount(b.block(BlockType.HOP_COUNT).orElseThrow().number(), 5, 1, CrcType.CRC32C));
        a.receive(ByteSource.of(encode(b)), FROM_NODE0);
        Await.idle(a);
        BundleId id = b.id();
        // no peer: forwarding contraindicated, kept (§5.4.1)
        assertThat(a.metadata(id).orElseThrow().constraints())
                .contains(Constraint.FORWARD_PENDING, Constraint.CONTRAINDICATED);
        clock.advance(Duration.ofMillis(250));
        addPeer(a, "node2"); // a contact: forwarding is retried
        Await.until("forwarded", () -> sentTo("node2").size() == 1);
        Bundle out = sentTo("node2").get(0);
        assertThat(out.previousNode()).contains(EndpointId.parse("dtn://node1/"));
        assertThat(out.hopCount().orElseThrow().count()).isEqualTo(2);
        assertThat(out.bundleAge().orElseThrow().ageMs()).isEqualTo(350);
        assertThat(out.payload().toByteArray()).isEqualTo(b.payload().toByteArray());
        // epidemic keeps it for other peers, but not for node2 again, nor for node0 it came from
        Await.idle(a);
        assertThat(a.metadata(id).orElseThrow().forwardedTo()).containsExactlyInAnyOrder("dtn:node0", "dtn:node2");
        a.runJanitor();
        Await.idle(a);
        assertThat(sentTo("node2")).hasSize(1);
    }

    @Test
    void previousNodeBlockIsAddedWhenAbsent() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node2");
        a.send(SendRequest.to("dtn://node2/x").payload("p").build());
        Await.until("forwarded", () -> sentTo("node2").size() == 1);
        Bundle out = sentTo("node2").get(0);
        assertThat(out.previousNode()).contains(EndpointId.parse("dtn://node1/"));
        assertThat(out.hopCount().orElseThrow().count()).isEqualTo(1);
        // direct delivery to the destination node: the bundle left the store
        Await.until("store empty", () -> a.bundleIds().isEmpty());
    }

    @Test
    void hopLimitReachedWhenForwardingDeletesTheBundle() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node2");
        Bundle b = incoming().destination("dtn://node9/x").flags(BundleFlags.REPORT_DELETION).build();
        b = b.withBlock(CanonicalBlock.hopCount(b.nextBlockNumber(), 3, 3, CrcType.NONE));
        a.receive(ByteSource.of(encode(b)), FROM_NODE0);
        Await.until("deleted", () -> a.statistics().deleted().getOrDefault("hop_limit_exceeded", 0L) == 1L);
        Await.idle(a);
        // only the deletion report travels (epidemically, to node0/app via node2); the bundle itself never left
        assertThat(sentTo("node2")).allMatch(Bundle::isAdministrativeRecord);
        assertThat(reportIn(sentTo("node2").get(0)).reason()).isEqualTo(StatusReportReason.HOP_LIMIT_EXCEEDED);
    }

    @Test
    void failedForwardingIsRetriedByTheJanitorAndOnContact() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node2");
        cla.failing = true;
        BundleId id = a.send(SendRequest.to("dtn://node9/x").payload("retry me").build());
        Await.idle(a);
        assertThat(a.metadata(id).orElseThrow().constraints()).contains(Constraint.CONTRAINDICATED);
        assertThat(a.statistics().forwardFailures()).isGreaterThanOrEqualTo(1);
        cla.failing = false;
        a.runJanitor();
        Await.until("retried", () -> sentTo("node2").size() == 1);
        Await.idle(a);
        assertThat(a.metadata(id).orElseThrow().constraints()).doesNotContain(Constraint.CONTRAINDICATED);
        // a link coming up (here: node3) makes the agent offer the bundle to the new peer
        cla.context.linkUp(new ClaPeer(new ClaAddress("capture", "node3", 1), EndpointId.parse("dtn://node3/")));
        Await.until("offered to the new peer", () -> sentTo("node3").size() == 1);
    }

    @Test
    void forwardingReportGoesToReportTo() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node0");
        addPeer(a, "node2");
        Bundle b = incoming().destination("dtn://node2/x").flags(BundleFlags.REPORT_FORWARDING
                | BundleFlags.STATUS_TIME_REQUESTED).build();
        a.receive(ByteSource.of(encode(b)), new ClaPeer(new ClaAddress("capture", "node7", 1), null));
        Await.until("forwarded and reported", () -> sentTo("node2").size() == 1 && sentTo("node0").size() == 1);
        BundleStatusReport r = reportIn(sentTo("node0").get(0));
        assertThat(r.forwarded().asserted()).isTrue();
        assertThat(r.forwarded().time()).hasValue(clock.nowDtnMs());
    }

    // ---------------------------------------------------------------------------------------------- §5.8, §5.9

    @Test
    void bundlesLargerThanTheClaMaximumAreFragmented() throws Exception {
        CapturingCla small = new CapturingCla(1000);
        BundleProtocolAgent a = agent(AgentConfig.builder("dtn://node1/").clock(clock).janitorInterval(Duration.ZERO)
                .convergenceLayer(small));
        a.addStaticPeer(Peer.staticPeer(NODE2, new ClaAddress("capture", "node2", 1)));
        byte[] payload = new byte[5000];
        new Random(1).nextBytes(payload);
        a.send(SendRequest.to("dtn://node2/x").payload(payload).build());
        Await.until("all fragments sent", () -> small.sent.stream().mapToLong(s -> s.bundle().payload().size()).sum() == 5000);
        assertThat(small.sent).allSatisfy(s -> {
            assertThat(s.encoded().length).isLessThanOrEqualTo(1000);
            assertThat(s.bundle().isFragment()).isTrue();
            assertThat(s.bundle().primary().fragment().totalAduLength()).isEqualTo(5000);
        });
        byte[] joined = new byte[5000];
        for (CapturingCla.Sent s : small.sent) {
            byte[] part = s.bundle().payload().toByteArray();
            System.arraycopy(part, 0, joined, (int) s.bundle().primary().fragment().offset(), part.length);
        }
        assertThat(joined).isEqualTo(payload);
        assertThat(a.statistics().fragmentsCreated()).isEqualTo(small.sent.size());
    }

    @Test
    void mustNotFragmentBundlesWaitForABiggerLink() throws Exception {
        CapturingCla small = new CapturingCla(1000);
        BundleProtocolAgent a = agent(AgentConfig.builder("dtn://node1/").clock(clock).janitorInterval(Duration.ZERO)
                .convergenceLayer(small));
        a.addStaticPeer(Peer.staticPeer(NODE2, new ClaAddress("capture", "node2", 1)));
        BundleId id = a.send(SendRequest.to("dtn://node9/x").payload(new byte[5000]).mustNotFragment().build());
        Await.idle(a);
        assertThat(small.sent).isEmpty();
        assertThat(a.metadata(id).orElseThrow().constraints()).contains(Constraint.CONTRAINDICATED);
    }

    @Test
    void fragmentsArrivingOutOfOrderAreReassembledAndDeliveredOnce() throws Exception {
        BundleProtocolAgent a = agent(config());
        Registration reg = a.register("dtn://node1/inbox", null);
        byte[] payload = new byte[20_000];
        new Random(3).nextBytes(payload);
        Bundle whole = incoming().payload(payload).flags(0).build();
        List<Bundle> fragments = new ArrayList<>(Fragmenter.fragment(whole, 3000));
        assertThat(fragments.size()).isGreaterThan(5);
        Collections.shuffle(fragments, new Random(5));
        for (Bundle f : fragments.subList(0, fragments.size() - 1)) {
            a.receive(ByteSource.of(encode(f)), FROM_NODE0);
        }
        Await.idle(a);
        assertThat(reg.poll()).isEmpty();
        assertThat(a.bundleIds()).hasSize(fragments.size() - 1)
                .allSatisfy(id -> assertThat(a.metadata(id).orElseThrow().has(Constraint.REASSEMBLY_PENDING)).isTrue());
        a.receive(ByteSource.of(encode(fragments.get(fragments.size() - 1))), FROM_NODE0);
        Await.until("reassembled", () -> reg.pending() == 1);
        Delivery d = reg.poll().orElseThrow();
        assertThat(d.bundle().isFragment()).isFalse();
        assertThat(d.id()).isEqualTo(whole.id());
        assertThat(d.payload().toByteArray()).isEqualTo(payload);
        Await.idle(a);
        assertThat(a.bundleIds()).isEmpty(); // fragments and the delivered ADU are gone
        assertThat(a.statistics().reassembled()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------- lifetime, §5.10

    @Test
    void janitorDeletesExpiredBundlesAndReportsDeletion() throws Exception {
        BundleProtocolAgent a = agent(config());
        addPeer(a, "node0");
        Bundle b = incoming().destination("dtn://node1/unregistered").lifetimeMs(60_000)
                .flags(BundleFlags.REPORT_DELETION).build();
        a.receive(ByteSource.of(encode(b)), FROM_NODE0);
        clock.advance(Duration.ofSeconds(59));
        a.runJanitor();
        assertThat(a.bundleIds()).containsExactly(b.id());
        clock.advance(Duration.ofSeconds(1));
        a.runJanitor();
        assertThat(a.bundleIds()).doesNotContain(b.id());
        Await.until("deletion report sent", () -> sentTo("node0").size() == 1);
        BundleStatusReport r = reportIn(sentTo("node0").get(0));
        assertThat(r.deleted().asserted()).isTrue();
        assertThat(r.reason()).isEqualTo(StatusReportReason.LIFETIME_EXPIRED);
    }

    @Test
    void clocklessNodeCreatesAgedBundlesAndExpiresThemByAge() throws Exception {
        VirtualClock clockless = new VirtualClock(5_000_000, false);
        BundleProtocolAgent a = agent(AgentConfig.builder("dtn://node1/").clock(clockless)
                .janitorInterval(Duration.ZERO).convergenceLayer(cla));
        BundleId id = a.send(SendRequest.to("dtn://node9/x").payload("x").lifetime(Duration.ofSeconds(10)).build());
        assertThat(id.creation().dtnTimeMs()).isZero();
        clockless.advance(Duration.ofMillis(1500));
        addPeer(a, "node2");
        Await.until("forwarded", () -> sentTo("node2").size() == 1);
        assertThat(sentTo("node2").get(0).bundleAge().orElseThrow().ageMs()).isEqualTo(1500);
        clockless.advance(Duration.ofMillis(8499));
        a.runJanitor();
        assertThat(a.bundleIds()).contains(id);
        clockless.advance(Duration.ofMillis(1));
        a.runJanitor();
        assertThat(a.bundleIds()).doesNotContain(id);
        // a received clockless bundle aged 4 s with 5 s lifetime has 1 s left here
        Bundle aged = incoming().creation(0, 9).lifetimeMs(5000).bundleAgeMs(4000).destination("dtn://node1/a").build();
        a.receive(ByteSource.of(encode(aged)), FROM_NODE0);
        clockless.advance(Duration.ofMillis(999));
        a.runJanitor();
        assertThat(a.bundleIds()).contains(aged.id());
        clockless.advance(Duration.ofMillis(1));
        a.runJanitor();
        assertThat(a.bundleIds()).doesNotContain(aged.id());
    }

    @Test
    void cancellingATransmissionDeletesWithTransmissionCanceled() throws Exception {
        BundleProtocolAgent a = agent(config());
        BundleId id = a.send(SendRequest.to("dtn://node9/x").payload("x").build());
        assertThat(a.cancel(id)).isTrue();
        assertThat(a.cancel(id)).isFalse();
        assertThat(a.statistics().deleted()).containsEntry("transmission_canceled", 1L);
    }

    // ---------------------------------------------------------------------------------------------- §6 status reports

    @Test
    void noStatusReportIsEverAboutAStatusReport() throws Exception {
        // PARSE_ONLY, so that the forged record below is not refused by validation (RFC 9171 §4.2.3) first
        BundleProtocolAgent a = agent(config().validationPolicy(io.dtn7j.bundle.codec.ValidationPolicy.PARSE_ONLY));
        addPeer(a, "node0");
        Bundle subject = incoming().flags(BundleFlags.REPORT_DELIVERY).build();
        BundleStatusReport r = BundleStatusReport.forSubject(subject, Status.DELIVERED,
                StatusReportReason.NO_ADDITIONAL_INFORMATION, 0);
        Bundle report = StatusReports.bundleFor(subject, r, EndpointId.parse("dtn://node5/"),
                new io.dtn7j.bundle.CreationTimestamp(clock.nowDtnMs(), 0));
        // an administrative record asking for reports anyway (forged flags) and destined elsewhere
        Bundle forged = report.withPrimary(report.primary().withFlags(report.flags().with(BundleFlags.REPORT_RECEPTION
                | BundleFlags.REPORT_FORWARDING)).withDestination(EndpointId.parse("dtn://node0/app")));
        a.receive(ByteSource.of(encode(forged)), new ClaPeer(new ClaAddress("capture", "node5", 1), null));
        Await.until("forwarded", () -> !sentTo("node0").isEmpty());
        Await.idle(a);
        assertThat(a.statistics().statusReportsSent()).isZero();
        assertThat(sentTo("node0")).allMatch(Bundle::isAdministrativeRecord).hasSize(1);
    }

    @Test
    void statusReportsAreOffUnlessConfigured() throws Exception {
        BundleProtocolAgent a = agent(config().statusReports(false));
        addPeer(a, "node0");
        a.receive(ByteSource.of(encode(incoming().flags(BundleFlags.REPORT_RECEPTION).build())), FROM_NODE0);
        Await.idle(a);
        assertThat(a.statistics().statusReportsSent()).isZero();
        assertThat(sentTo("node0")).isEmpty();
    }

    @Test
    void incomingReportsReachTheSendingRegistrationAndCompleteItsFuture() throws Exception {
        BundleProtocolAgent a = agent(config());
        List<BundleStatusReport> seenByApp = new CopyOnWriteArrayList<>();
        a.register("dtn://node1/app", new DeliveryListener() {
            @Override
            public void onDelivery(Delivery d) {
            }

            @Override
            public void onStatusReport(BundleStatusReport r) {
                seenByApp.add(r);
            }
        });
        BundleId id = a.send(SendRequest.to("dtn://node2/x").source(EndpointId.parse("dtn://node1/app"))
                .payload("x").requestDeliveryReport().build());
        CompletableFuture<BundleStatusReport> delivered = a.deliveryReport(id);
        assertThat(delivered).isNotDone();
        Bundle subject = BundleCodec.decode(a.encodedBundle(id).orElseThrow(), io.dtn7j.bundle.codec.DecodeOptions.DEFAULT);
        Bundle reportBundle = StatusReports.bundleFor(subject, BundleStatusReport.forSubject(subject, Status.DELIVERED,
                StatusReportReason.NO_ADDITIONAL_INFORMATION, 0), NODE2,
                new io.dtn7j.bundle.CreationTimestamp(clock.nowDtnMs(), 0));
        a.receive(ByteSource.of(encode(reportBundle)), new ClaPeer(new ClaAddress("capture", "node2", 1), NODE2));
        assertThat(delivered.get(5, TimeUnit.SECONDS).subjectId()).isEqualTo(id);
        Await.until("the registration saw the report", () -> seenByApp.size() == 1);
        assertThat(a.statistics().statusReportsReceived()).isEqualTo(1);
    }

    @Test
    void aReportThatOvertakesTheDeliveryReportCallStillCompletesIt() throws Exception {
        // over a fast link the report can arrive between send() returning and deliveryReport() being called
        BundleProtocolAgent a = agent(config());
        List<BundleStatusReport> heard = new CopyOnWriteArrayList<>(); // listeners run after the report was filed
        a.addStatusReportListener(heard::add);
        BundleId id = a.send(SendRequest.to("dtn://node2/x").payload("x").requestDeliveryReport().build());
        Bundle subject = BundleCodec.decode(a.encodedBundle(id).orElseThrow(), io.dtn7j.bundle.codec.DecodeOptions.DEFAULT);
        Bundle reportBundle = StatusReports.bundleFor(subject, BundleStatusReport.forSubject(subject, Status.DELIVERED,
                StatusReportReason.NO_ADDITIONAL_INFORMATION, 0), NODE2,
                new io.dtn7j.bundle.CreationTimestamp(clock.nowDtnMs(), 0));
        a.receive(ByteSource.of(encode(reportBundle)), new ClaPeer(new ClaAddress("capture", "node2", 1), NODE2));
        Await.until("the report was received", () -> heard.size() == 1);
        CompletableFuture<BundleStatusReport> delivered = a.deliveryReport(id);
        assertThat(delivered).isDone();
        assertThat(delivered.get().subjectId()).isEqualTo(id);
        assertThat(a.statusReport(id, Status.FORWARDED)).as("no report asserted forwarding").isNotDone();
    }

    // ---------------------------------------------------------------------------------------------- concurrency

    @Test
    void concurrentReceptionDeliversEveryBundleExactlyOnce() throws Exception {
        BundleProtocolAgent a = agent(config());
        Map<BundleId, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        a.register("dtn://node1/inbox", d -> deliveries.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet());
        int n = 1000;
        List<byte[]> bundles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bundles.add(encode(incoming().creation(clock.nowDtnMs(), i).payload("m" + i).build()));
        }
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                int offset = t;
                pool.execute(() -> {
                    for (int i = 0; i < n; i++) {
                        byte[] b = bundles.get((i + offset * 97) % n);
                        ReceptionResult r = a.receive(ByteSource.of(b), FROM_NODE0);
                        (r instanceof ReceptionResult.Accepted ? accepted : duplicates).incrementAndGet();
                    }
                });
            }
        }
        assertThat(accepted.get()).isEqualTo(n);
        assertThat(duplicates.get()).isEqualTo(7 * n);
        Await.until("all delivered", () -> deliveries.size() == n);
        Await.idle(a);
        assertThat(deliveries.values()).allMatch(c -> c.get() == 1);
        assertThat(a.bundleIds()).isEmpty();
    }
}
