package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.RecordingClaContext;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.Keepalive;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.MsgReject;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessInit;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessTerm;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferAck;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferRefuse;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferSegment;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The TCPCLv4 session as a whole under a hostile peer: after a proper contact header and SESS_INIT, a raw peer sends
 * a random sequence of messages (complete and partial transfers, segments of other transfers, extension items that
 * are critical and unknown, acknowledgements and refusals of transfers that never were, KEEPALIVEs, MSG_REJECTs, a
 * second SESS_INIT, SESS_TERMs), perhaps ending in garbage or an unknown message type, then SESS_TERM. Whatever the
 * sequence, the node:
 * <ul>
 *   <li>hands the agent only transfers the peer completed, each exactly the data of its segments, in order (a model
 *       of RFC 9174 §5.2 that the sequence is run through gives what may be delivered);</li>
 *   <li>writes only well-formed TCPCLv4 messages back, and ends the session within a bounded time;</li>
 *   <li>keeps serving: after every sequence, another session delivers a bundle.</li>
 * </ul>
 * One node serves every try, so state one hostile session leaves behind would show in the later ones.
 */
class TcpclSessionFuzzTest {

    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(150);
    /** Well past the frame timeout, so a session still open after it is a session that did not end. */
    private static final long END_WITHIN_MS = 3_000;
    private static final AtomicLong SEQ = new AtomicLong(1);

    private static Path spool;
    private static RecordingClaContext recorder;
    private static TcpclConvergenceLayer node;
    private static TcpclConvergenceLayer healthClient;
    private static ClaAddress nodeAddress;

    @BeforeContainer
    static void startNode() throws IOException {
        spool = Files.createTempDirectory("tcpcl-session-fuzz");
        recorder = new RecordingClaContext(spool);
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(FRAME_TIMEOUT)
                .keepalive(Duration.ofSeconds(30)).idleTimeout(Duration.ofMinutes(5)).maxBundleSize(64 << 10)
                .segmentMru(64 << 10).build();
        node = new TcpclConvergenceLayer(options);
        node.start(recorder);
        nodeAddress = new ClaAddress("tcp", "127.0.0.1", node.port());
        healthClient = new TcpclConvergenceLayer(options);
        healthClient.start(new TestClaContext("dtn://health/", spool.resolve("client")));
    }

    @AfterContainer
    static void stopNode() {
        if (healthClient != null) {
            healthClient.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /** One thing the hostile peer sends; {@link #desyncs} ones make the rest of the stream unpredictable. */
    sealed interface Step {
        default boolean desyncs() {
            return false;
        }
    }

    /** A segment: flags as given (reserved bits included), the data it announces, extension items on START. */
    record Segment(int flags, long id, List<ExtensionItem> items, byte[] data) implements Step {
        boolean start() {
            return (flags & XferSegment.FLAG_START) != 0;
        }

        boolean end() {
            return (flags & XferSegment.FLAG_END) != 0;
        }
    }

    /** A whole transfer of {@code data} in {@code pieces} segments, with a correct transfer-length item or none. */
    record Transfer(long id, byte[] data, int pieces, boolean lengthItem) implements Step {
    }

    /** A message other than a segment. */
    record Other(TcpclMessage message) implements Step {
    }

    /** Bytes that do not follow the protocol: garbage, or a message type that does not exist. */
    record Garbage(byte[] bytes) implements Step {
        @Override
        public boolean desyncs() {
            return true;
        }
    }

    @Property(tries = 150)
    void aHostileSessionGetsOnlyWhatItCompletedAndTheNodeServesOn(@ForAll("sequences") List<Step> steps)
            throws Exception {
        recorder.delivered.clear();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<byte[]> mayDeliver = new ArrayList<>();
        model(steps, wire, mayDeliver);
        wire.write(new SessTerm(0, SessTerm.REASON_UNKNOWN).encode());

        List<TcpclMessage> replies = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            s.setSoTimeout((int) END_WITHIN_MS);
            s.getOutputStream().write(ContactHeader.v4(false).encode());
            TcpclMessageReader reader = new TcpclMessageReader(s.getInputStream(), 1 << 20, 1 << 16);
            reader.readContactHeader();
            s.getOutputStream().write(new SessInit(30, 1 << 20, 1 << 20, "dtn://hostile/", List.of()).encode());
            assertThat(reader.readMessage()).isInstanceOf(SessInit.class);
            t0 = System.nanoTime();
            try {
                s.getOutputStream().write(wire.toByteArray());
            } catch (IOException e) {
                // the node ended the session before it read everything: what it answered is still read below
            }
            readUntilEnd(reader, s.getInputStream(), replies, steps);
        }
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(tookMs).as("session ended within %d ms", END_WITHIN_MS).isLessThan(END_WITHIN_MS);

        List<byte[]> delivered = List.copyOf(recorder.delivered);
        int next = 0; // deliveries come in the order the transfers completed
        for (byte[] d : delivered) {
            int at = indexOf(mayDeliver, d, next);
            assertThat(at).as("delivered %d bytes %s that no completed transfer of %s carried",
                    d.length, HexFormat.of().formatHex(d, 0, Math.min(d.length, 32)), mayDeliver.size()).isNotNegative();
            next = at + 1;
        }

        // the node serves on: a bundle over another session arrives intact
        byte[] healthy = TestBundles.encoded(200, 1_000_000 + SEQ.getAndIncrement());
        healthClient.send(nodeAddress, new io.dtn7j.core.cla.OutgoingBundle(TestBundles.id(0), ByteSource.of(healthy)));
        assertThat(recorder.delivered).anySatisfy(d -> assertThat(d).isEqualTo(healthy));
    }

    /** Reads the node's answers until it closes the connection; each must be a well-formed message. */
    private static void readUntilEnd(TcpclMessageReader reader, InputStream in, List<TcpclMessage> replies,
                                     List<Step> steps) throws IOException {
        while (true) {
            TcpclMessage m;
            try {
                m = reader.readMessage();
            } catch (EOFException | java.net.SocketException end) {
                return; // closed (or reset, when our unread bytes were still in its buffer)
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the node kept the session open past " + END_WITHIN_MS + " ms after "
                        + steps + "; answers so far " + replies, e);
            } catch (TcpclProtocolException e) {
                throw new AssertionError("the node wrote a malformed message after " + replies + ": " + e, e);
            }
            if (m instanceof XferSegment seg) {
                in.skipNBytes(seg.dataLength()); // it has nothing to send us, but a segment is still well-formed
            }
            replies.add(m);
        }
    }

    /**
     * Writes the steps to {@code wire} and lists the transfers a node following RFC 9174 may deliver, in order: a
     * START segment begins a transfer (dropping one in progress), a segment of the transfer in progress adds to
     * it, END completes it; a segment of another transfer is not part of any. After a SESS_TERM no transfer starts.
     * Steps after a desynchronizing one are not modelled (there are none: it is only ever last).
     */
    static void model(List<Step> steps, ByteArrayOutputStream wire, List<byte[]> mayDeliver) throws IOException {
        long currentId = -1;
        ByteArrayOutputStream current = null;
        boolean terminating = false;
        for (Step step : steps) {
            List<Segment> segments = switch (step) {
                case Segment s -> List.of(s);
                case Transfer t -> split(t);
                case Other o -> {
                    wire.write(o.message().encode());
                    if (o.message() instanceof SessTerm) {
                        terminating = true;
                    }
                    yield List.of();
                }
                case Garbage g -> {
                    wire.write(g.bytes());
                    yield List.of();
                }
            };
            for (Segment s : segments) {
                wire.write(new XferSegment(s.flags(), s.id(), s.start() ? s.items() : List.of(), s.data().length).encode());
                wire.write(s.data());
                if (s.start()) {
                    current = terminating ? null : new ByteArrayOutputStream();
                    currentId = s.id();
                } else if (current == null || s.id() != currentId) {
                    continue;
                }
                if (current != null) {
                    current.write(s.data());
                    if (s.end()) {
                        mayDeliver.add(current.toByteArray());
                        current = null;
                    }
                }
            }
        }
    }

    private static List<Segment> split(Transfer t) {
        List<Segment> out = new ArrayList<>();
        int n = t.pieces();
        for (int i = 0; i < n; i++) {
            int from = t.data().length * i / n;
            int to = t.data().length * (i + 1) / n;
            int flags = (i == 0 ? XferSegment.FLAG_START : 0) | (i == n - 1 ? XferSegment.FLAG_END : 0);
            List<ExtensionItem> items = i == 0 && t.lengthItem()
                    ? List.of(ExtensionItem.transferLength(t.data().length)) : List.of();
            out.add(new Segment(flags, t.id(), items, Arrays.copyOfRange(t.data(), from, to)));
        }
        return out;
    }

    private static int indexOf(List<byte[]> candidates, byte[] d, int from) {
        for (int i = from; i < candidates.size(); i++) {
            if (Arrays.equals(candidates.get(i), d)) {
                return i;
            }
        }
        return -1;
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Long> ids = Arbitraries.oneOf(Arbitraries.longs().between(0, 3), Arbitraries.longs());
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.integers().between(0, 3000).map(n -> TestBundles.encoded(n, SEQ.getAndIncrement())));
        Arbitrary<ExtensionItem> item = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 4), Arbitraries.bytes().array(byte[].class).ofMaxSize(12))
                .as(ExtensionItem::new);
        Arbitrary<Step> segment = Combinators.combine(Arbitraries.integers().between(0, 255), ids,
                item.list().ofMaxSize(2), data).as(Segment::new);
        Arbitrary<Step> transfer = Combinators.combine(ids, data, Arbitraries.integers().between(1, 4),
                Arbitraries.of(true, false)).as(Transfer::new);
        Arbitrary<Step> other = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 255), ids, Arbitraries.longs().between(0, 5000))
                        .as(XferAck::new),
                Combinators.combine(Arbitraries.integers().between(0, 255), ids).as(XferRefuse::new),
                Arbitraries.just(new Keepalive()),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255))
                        .as(MsgReject::new),
                Arbitraries.just(new SessInit(30, 1 << 20, 1 << 20, "dtn://again/", List.of())),
                Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 255))
                        .as(SessTerm::new))
                .map(Other::new);
        Arbitrary<Step> garbage = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(24),
                Arbitraries.integers().between(0x0A, 0xFF).map(t -> new byte[] {(byte) t.intValue()}),
                Arbitraries.just(new byte[] {0}))
                .map(Garbage::new);
        Arbitrary<List<Step>> body = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, transfer), net.jqwik.api.Tuple.of(3, segment),
                net.jqwik.api.Tuple.of(2, other)).list().ofMaxSize(12);
        return Combinators.combine(body, garbage.optional()).as((b, g) -> {
            List<Step> all = new ArrayList<>(b);
            g.ifPresent(all::add);
            return all;
        });
    }
}
