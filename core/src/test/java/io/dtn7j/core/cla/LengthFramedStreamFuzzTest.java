package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.cla.mtcp.MtcpConvergenceLayer;
import io.dtn7j.core.cla.mtcp.MtcpFraming;
import io.dtn7j.core.cla.stcp.StcpConvergenceLayer;
import io.dtn7j.core.cla.stcp.StcpFraming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * MTCP and STCP streams from a hostile peer: a random sequence of frames (bundles and arbitrary bytes, MTCP length
 * headers in any of CBOR's widths, keepalives of length 0) perhaps ending in garbage, then the end of the stream.
 * A stream may also end inside a frame. The node must deliver exactly the complete non-empty frames that a reference reader of the framing (written
 * here, independent of the CLA's) finds before the first malformed or unfinished one, in order and byte for byte;
 * close the connection within a bounded time; and, after every stream, still take a bundle over a new connection.
 * One node of each kind serves every try.
 */
class LengthFramedStreamFuzzTest {

    private static final int MAX_BUNDLE = 64 << 10;
    private static final long END_WITHIN_MS = 3_000;
    private static final AtomicLong SEQ = new AtomicLong(1);

    private static final Map<String, ConvergenceLayer> NODES = new HashMap<>();
    private static final Map<String, ConvergenceLayer> CLIENTS = new HashMap<>();
    private static final Map<String, RecordingClaContext> RECORDERS = new HashMap<>();

    @BeforeContainer
    static void startNodes() throws IOException {
        Path spool = Files.createTempDirectory("framed-fuzz");
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofMillis(150))
                .idleTimeout(Duration.ofMinutes(5)).maxBundleSize(MAX_BUNDLE).build();
        for (String kind : List.of("mtcp", "stcp")) {
            ConvergenceLayer node = kind.equals("mtcp") ? new MtcpConvergenceLayer(options)
                    : new StcpConvergenceLayer(options);
            RecordingClaContext recorder = new RecordingClaContext(spool);
            node.start(recorder);
            ConvergenceLayer client = kind.equals("mtcp") ? new MtcpConvergenceLayer(options)
                    : new StcpConvergenceLayer(options);
            client.start(new TestClaContext("dtn://health/", spool.resolve("client-" + kind)));
            NODES.put(kind, node);
            CLIENTS.put(kind, client);
            RECORDERS.put(kind, recorder);
        }
    }

    @AfterContainer
    static void stopNodes() {
        CLIENTS.values().forEach(ConvergenceLayer::close);
        NODES.values().forEach(ConvergenceLayer::close);
    }

    /** A frame of {@code data}; for MTCP, {@code width} picks the length header's size (0: the shortest). */
    record Frame(byte[] data, int width) {
    }

    /**
     * What ends the stream: {@code bytes} as they are or, when {@code announced} is positive, a frame header for
     * {@code announced} bytes followed by only {@code bytes} (fewer): a frame cut short.
     */
    record Tail(byte[] bytes, int announced) {
    }

    @Property(tries = 150)
    void aHostileStreamGetsExactlyItsCompleteFramesAndTheNodeServesOn(@ForAll("kinds") String kind,
            @ForAll("frames") List<Frame> frames, @ForAll("tails") Tail tail) throws Exception {
        RecordingClaContext recorder = RECORDERS.get(kind);
        recorder.delivered.clear();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (Frame f : frames) {
            wire.write(kind.equals("mtcp") ? mtcpHeader(f.data().length, f.width()) : StcpFraming.header(f.data().length));
            wire.write(f.data());
        }
        if (tail.announced() > 0) {
            wire.write(kind.equals("mtcp") ? MtcpFraming.header(tail.announced()) : StcpFraming.header(tail.announced()));
        }
        wire.write(tail.bytes());
        byte[] stream = wire.toByteArray();
        List<byte[]> expected = kind.equals("mtcp") ? referenceMtcp(stream) : referenceStcp(stream);

        long t0 = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), NODES.get(kind).port())) {
            s.setSoTimeout((int) END_WITHIN_MS);
            try {
                s.getOutputStream().write(stream);
                s.shutdownOutput();
            } catch (IOException e) {
                // the node closed on a malformed header before it read everything
            }
            awaitClose(s.getInputStream(), kind, frames, tail);
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).as("connection closed within %d ms", END_WITHIN_MS)
                .isLessThan(END_WITHIN_MS);

        List<byte[]> delivered = List.copyOf(recorder.delivered);
        assertThat(delivered).as("%s: deliveries (sizes %s) against the complete frames (sizes %s)", kind,
                delivered.stream().map(d -> d.length).toList(), expected.stream().map(d -> d.length).toList())
                .hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(delivered.get(i)).as("%s: delivery %d", kind, i).isEqualTo(expected.get(i));
        }

        byte[] healthy = TestBundles.encoded(200, 1_000_000 + SEQ.getAndIncrement());
        CLIENTS.get(kind).send(new ClaAddress(kind, "127.0.0.1", NODES.get(kind).port()),
                new OutgoingBundle(TestBundles.id(0), ByteSource.of(healthy)));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (recorder.delivered.stream().noneMatch(d -> Arrays.equals(d, healthy)) && System.nanoTime() < deadline) {
            Thread.sleep(5); // MTCP and STCP have no acknowledgement: the send returns once written
        }
        assertThat(recorder.delivered).as("%s: a bundle over a new connection after the hostile one", kind)
                .anySatisfy(d -> assertThat(d).isEqualTo(healthy));
    }

    private static void awaitClose(InputStream in, String kind, List<Frame> frames, Tail tail) throws IOException {
        try {
            while (in.read() >= 0) {
                // nothing is expected from a receiving MTCP/STCP node; read until it closes
            }
        } catch (SocketException reset) {
            // closed with our bytes unread
        } catch (SocketTimeoutException e) {
            throw new AssertionError(kind + ": the node kept the connection open past " + END_WITHIN_MS + " ms after "
                    + frames.size() + " frames and " + tail, e);
        }
    }

    /** An MTCP length header of {@code width} bytes after the initial byte (0: CBOR's shortest form). */
    static byte[] mtcpHeader(int length, int width) {
        if (width == 0 || (width == 1 && length > 0xff) || (width == 2 && length > 0xffff)) {
            return MtcpFraming.header(length);
        }
        ByteBuffer b = ByteBuffer.allocate(1 + width);
        b.put((byte) (0x40 | switch (width) { case 1 -> 24; case 2 -> 25; case 4 -> 26; default -> 27; }));
        switch (width) {
            case 1 -> b.put((byte) length);
            case 2 -> b.putShort((short) length);
            case 4 -> b.putInt(length);
            default -> b.putLong(length);
        }
        return b.array();
    }

    /** The non-empty frames of an MTCP stream up to the first malformed, oversized or unfinished one. */
    static List<byte[]> referenceMtcp(byte[] s) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < s.length) {
            int first = s[i] & 0xff;
            int info = first & 0x1f;
            if (first >>> 5 != 2 || info > 27) {
                break; // not a definite-length byte string
            }
            int n = info < 24 ? 0 : 1 << (info - 24);
            if (i + 1 + n > s.length) {
                break;
            }
            long length = info < 24 ? info : 0;
            for (int k = 0; k < n; k++) {
                length = (length << 8) | (s[i + 1 + k] & 0xff);
            }
            if (length < 0 || length > MAX_BUNDLE) {
                break;
            }
            i += 1 + n;
            if (!take(s, i, (int) length, out)) {
                break;
            }
            i += (int) length;
        }
        return out;
    }

    /** The non-empty frames of an STCP stream (4-byte big-endian lengths) up to the first oversized or unfinished one. */
    static List<byte[]> referenceStcp(byte[] s) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i + 4 <= s.length) {
            long length = ByteBuffer.wrap(s, i, 4).getInt() & 0xffffffffL;
            if (length > MAX_BUNDLE) {
                break;
            }
            i += 4;
            if (!take(s, i, (int) length, out)) {
                break;
            }
            i += (int) length;
        }
        return out;
    }

    /** Adds the frame at {@code i} when it is complete (and not empty: a keepalive); false when it is unfinished. */
    private static boolean take(byte[] s, int i, int length, List<byte[]> out) {
        if (i + length > s.length) {
            return false;
        }
        if (length > 0) {
            out.add(Arrays.copyOfRange(s, i, i + length));
        }
        return true;
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of("mtcp", "stcp");
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<byte[]> data = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(3, Arbitraries.integers().between(0, 3000).map(n -> TestBundles.encoded(n, SEQ.getAndIncrement()))),
                Tuple.of(1, Arbitraries.just(new byte[0]))); // a keepalive
        return Combinators.combine(data, Arbitraries.of(0, 0, 1, 2, 4, 8)).as(Frame::new).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<Tail> tails() {
        Arbitrary<Tail> garbage = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(new byte[0])),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40)),
                Tuple.of(1, Arbitraries.just(new byte[] {0x5f, 0x41, 0x00, (byte) 0xff})), // MTCP: indefinite length
                Tuple.of(1, Arbitraries.just(new byte[] {0x5b, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0})),
                Tuple.of(1, Arbitraries.just(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}))) // STCP: 2 GiB
                .map(b -> new Tail(b, 0));
        Arbitrary<Tail> cutShort = Arbitraries.integers().between(1, 3000).flatMap(announced ->
                Arbitraries.bytes().array(byte[].class).ofMaxSize(announced - 1).map(b -> new Tail(b, announced)));
        return Arbitraries.frequencyOf(Tuple.of(3, garbage), Tuple.of(1, cutShort));
    }
}
