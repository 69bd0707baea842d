package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link WsFrameReader}: messages survive any fragmentation and any split of the byte stream into reads (including
 * reads that time out in the middle of a frame); arbitrary bytes end in a {@link WsSession.Closed}, never an
 * exception or a huge allocation.
 */
class WsFrameReaderPropertiesTest {

    /** A source that hands out {@code data} in reads of the given sizes, with a timeout (0) between any two reads. */
    private static final class ChoppedSource implements WsFrameReader.Source {
        private final byte[] data;
        private final int[] sizes;
        private int pos;
        private int read;
        private boolean timeoutNext;
        int timeouts;

        ChoppedSource(byte[] data, int[] sizes) {
            this.data = data;
            this.sizes = sizes;
        }

        @Override
        public int read(byte[] b, int off, int len, int timeoutMillis) {
            if (pos == data.length) {
                return -1;
            }
            if (timeoutNext) {
                timeoutNext = false;
                timeouts++;
                return 0;
            }
            timeoutNext = true;
            int n = Math.min(len, Math.min(data.length - pos, Math.max(1, sizes[read++ % sizes.length])));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** A server frame (unmasked). */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            f.write(payload.length);
        } else if (payload.length < 65536) {
            f.write(126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        f.writeBytes(payload);
        return f.toByteArray();
    }

    /** Reads every message until the stream ends; timeouts (null) are retried. */
    private static List<WsSession.Message> readAll(WsFrameReader r) throws Exception {
        List<WsSession.Message> out = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            WsSession.Message m = r.next(System.nanoTime() + 1_000_000_000L);
            if (m == null) {
                continue;
            }
            out.add(m);
            if (m instanceof WsSession.Closed) {
                return out;
            }
        }
        throw new AssertionError("the reader never ended");
    }

    @Property(tries = 300)
    void messagesSurviveFragmentationInterleavedPingsAndChoppedReads(
            @ForAll @Size(min = 1, max = 6) List<@Size(max = 3000) byte[]> payloads,
            @ForAll @IntRange(min = 1, max = 5) int fragments,
            @ForAll @Size(min = 1, max = 8) int[] readSizes) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int m = 0; m < payloads.size(); m++) {
            byte[] p = payloads.get(m);
            int opcode = m % 2 == 0 ? 0x2 : 0x1;
            byte[] body = opcode == 0x1 ? hexText(p) : p;
            int step = Math.max(1, body.length / fragments);
            int at = 0;
            boolean first = true;
            do {
                int n = Math.min(step, body.length - at);
                boolean last = at + n >= body.length;
                byte[] part = java.util.Arrays.copyOfRange(body, at, at + n);
                stream.writeBytes(frame(last, first ? opcode : 0x0, part));
                if (!last) {
                    stream.writeBytes(frame(true, 0x9, "hb".getBytes(StandardCharsets.US_ASCII))); // between fragments
                }
                first = false;
                at += n;
            } while (at < body.length);
        }
        stream.writeBytes(frame(true, 0x8, new byte[] {0x03, (byte) 0xe8, 'o', 'k'}));
        List<byte[]> pongs = new ArrayList<>();
        int[] sizes = new int[readSizes.length];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.floorMod(readSizes[i], 200) + 1;
        }
        ChoppedSource source = new ChoppedSource(stream.toByteArray(), sizes);
        WsFrameReader reader = new WsFrameReader(source, pongs::add, WsSession.MAX_MESSAGE, new byte[0]);

        List<WsSession.Message> got = readAll(reader);

        assertThat(got).hasSize(payloads.size() + 1);
        for (int m = 0; m < payloads.size(); m++) {
            if (m % 2 == 0) {
                assertThat(got.get(m)).isInstanceOf(WsSession.Binary.class);
                assertThat(((WsSession.Binary) got.get(m)).data()).isEqualTo(payloads.get(m));
            } else {
                assertThat(got.get(m)).isEqualTo(new WsSession.Text(new String(hexText(payloads.get(m)), StandardCharsets.US_ASCII)));
            }
        }
        assertThat(got.getLast()).isEqualTo(new WsSession.Closed(1000, "ok"));
        assertThat(pongs).allSatisfy(p -> assertThat(p).isEqualTo("hb".getBytes(StandardCharsets.US_ASCII)));
        if (stream.size() > sizes[0]) {
            assertThat(source.timeouts).as("reads timed out between pieces").isPositive();
        }
    }

    @Property(tries = 3000)
    void arbitraryBytesEndInAClosedAndNeverThrow(@ForAll @Size(max = 400) byte[] data,
                                                  @ForAll @Size(min = 1, max = 4) int[] readSizes) throws Exception {
        int[] sizes = new int[readSizes.length];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.floorMod(readSizes[i], 64) + 1;
        }
        WsFrameReader reader = new WsFrameReader(new ChoppedSource(data, sizes), p -> { }, 1024, new byte[0]);
        List<WsSession.Message> got = readAll(reader);
        assertThat(got.getLast()).isInstanceOf(WsSession.Closed.class);
        assertThat(reader.ended()).isEqualTo(got.getLast());
        for (WsSession.Message m : got) {
            if (m instanceof WsSession.Binary b) {
                assertThat(b.data().length).isLessThanOrEqualTo(1024);
            }
        }
    }

    @Test
    void aFrameClaimingAHugeLengthIsSkippedNotAllocated() throws Exception {
        // claims 2^62 bytes, then the stream ends: nothing near that size may be allocated
        byte[] claim = {(byte) 0x82, 127, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3};
        WsFrameReader reader = new WsFrameReader(new ChoppedSource(claim, new int[] {64}), p -> { }, 1024, new byte[0]);
        List<WsSession.Message> got = readAll(reader);
        assertThat(got).containsExactly(new WsSession.Closed(1006, "the daemon closed the connection without a close frame"));
    }

    @Test
    void anOversizedMessageEndsTheStreamWith1009() throws Exception {
        byte[] data = frame(true, 0x2, new byte[2000]);
        WsFrameReader reader = new WsFrameReader(new ChoppedSource(data, new int[] {100}), p -> { }, 1024, new byte[0]);
        WsSession.Message m = readAll(reader).getFirst();
        assertThat(m).isInstanceOf(WsSession.Closed.class);
        assertThat(((WsSession.Closed) m).code()).isEqualTo(1009);
        assertThat(((WsSession.Closed) m).reason()).contains("2000 bytes exceeded 1024");
    }

    @Test
    void protocolViolationsEndTheStreamWith1002() throws Exception {
        byte[][] bad = {
            {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 5},         // masked server frame
            {(byte) 0xC2, 0},                                  // RSV1 without an extension
            {(byte) 0x80, 0},                                  // continuation outside a message
            {(byte) 0x09, 0},                                  // fragmented ping
            {(byte) 0x83, 0},                                  // reserved opcode
            {(byte) 0x02, 1, 'a', (byte) 0x81, 0},             // new message inside a fragmented one
            {(byte) 0x88, 1, 3},                               // one-byte close payload
        };
        for (byte[] b : bad) {
            WsFrameReader reader = new WsFrameReader(new ChoppedSource(b, new int[] {64}), p -> { }, 1024, new byte[0]);
            WsSession.Message m = readAll(reader).getLast();
            assertThat(m).as(java.util.HexFormat.of().formatHex(b)).isInstanceOf(WsSession.Closed.class);
            assertThat(((WsSession.Closed) m).code()).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(1002);
        }
    }

    @Test
    void invalidUtf8TextEndsTheStreamWith1007() throws Exception {
        byte[] data = frame(true, 0x1, new byte[] {'o', (byte) 0xff, 'k'});
        WsFrameReader reader = new WsFrameReader(new ChoppedSource(data, new int[] {64}), p -> { }, 1024, new byte[0]);
        assertThat(((WsSession.Closed) readAll(reader).getFirst()).code()).isEqualTo(1007);
    }

    @Test
    void bytesReadWithTheHandshakeAreParsedFirst() throws Exception {
        byte[] first = frame(true, 0x1, "200 tx mode: data".getBytes(StandardCharsets.US_ASCII));
        WsFrameReader reader = new WsFrameReader(new ChoppedSource(new byte[0], new int[] {1}), p -> { }, 1024, first);
        assertThat(reader.next(System.nanoTime() + 1_000_000_000L)).isEqualTo(new WsSession.Text("200 tx mode: data"));
    }

    private static byte[] hexText(byte[] p) {
        return java.util.HexFormat.of().formatHex(p).getBytes(StandardCharsets.US_ASCII);
    }
}
