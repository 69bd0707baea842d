package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** File-backed payloads: decoding slices the file, encoding streams it, CRCs are checked streaming. */
class FileBackedCodecTest {
    @TempDir
    Path dir;

    private Path payloadFile(int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path f = dir.resolve("payload-" + seed);
        Files.write(f, data);
        return f;
    }

    @Test
    void fileBackedRoundTripMatchesInMemoryEncoding() throws IOException {
        for (CrcType crc : CrcType.values()) {
            Path pf = payloadFile(3 * 1024 * 1024 + 17, crc.code());
            Bundle b = Bundle.builder().source("ipn:1.1").destination("dtn://x/y").creation(5, 6).crcType(crc)
                    .hopLimit(9).payload(ByteSource.ofFile(pf)).build();
            Bundle inMemory = Bundle.builder().source("ipn:1.1").destination("dtn://x/y").creation(5, 6).crcType(crc)
                    .hopLimit(9).payload(Files.readAllBytes(pf)).build();
            byte[] expected = BundleCodec.encode(inMemory);

            Path enc = dir.resolve("bundle-" + crc);
            try (OutputStream out = Files.newOutputStream(enc)) {
                BundleCodec.encodeTo(b, out);
            }
            assertThat(Files.readAllBytes(enc)).isEqualTo(expected);
            assertThat(BundleCodec.encodedSize(b)).isEqualTo(expected.length);
            assertThat(BundleCodec.encode(b)).isEqualTo(expected);

            DecodeOptions opts = crc == CrcType.NONE ? DecodeOptions.DEFAULT : DecodeOptions.STRICT;
            Bundle d = BundleCodec.decode(ByteSource.ofFile(enc), opts);
            assertThat(d.payload().hasArray()).isFalse();
            assertThat(d.payload().toByteArray()).isEqualTo(Files.readAllBytes(pf));
            assertThat(d.hopCount().orElseThrow().limit()).isEqualTo(9);
            assertThat(BundleCodec.decode(expected, opts)).isEqualTo(inMemory);

            ByteArrayOutputStream again = new ByteArrayOutputStream();
            BundleCodec.encodeTo(d, again);
            assertThat(again.toByteArray()).isEqualTo(expected);
            assertThat(BundleCodec.encode(d)).isEqualTo(expected);
            // re-encode with fresh CRCs from the file-backed data
            assertThat(BundleCodec.encode(d.withoutReceivedEncodings())).isEqualTo(expected);
            ByteArrayOutputStream fresh = new ByteArrayOutputStream();
            BundleCodec.encodeTo(d.withoutReceivedEncodings(), fresh);
            assertThat(fresh.toByteArray()).isEqualTo(expected);
        }
    }

    @Test
    void corruptedFilePayloadFailsTheStreamingCrc() throws IOException {
        Path pf = payloadFile(200_000, 99);
        Bundle b = Bundle.builder().source("ipn:1.1").destination("ipn:2.1").creation(5, 6).crcType(CrcType.CRC32C)
                .payload(ByteSource.ofFile(pf)).build();
        byte[] enc = BundleCodec.encode(b);
        enc[enc.length / 2] ^= 1;
        Path f = dir.resolve("corrupt");
        Files.write(f, enc);
        assertThatThrownBy(() -> BundleCodec.decode(ByteSource.ofFile(f), DecodeOptions.PARSE_ONLY))
                .isInstanceOf(BundleDecodeException.class)
                .extracting(e -> ((BundleDecodeException) e).reason()).isEqualTo(BundleDecodeException.Reason.CRC_MISMATCH);
        Files.write(f, java.util.Arrays.copyOf(BundleCodec.encode(b), enc.length - 5));
        assertThatThrownBy(() -> BundleCodec.decode(ByteSource.ofFile(f), DecodeOptions.PARSE_ONLY))
                .isInstanceOf(BundleDecodeException.class)
                .extracting(e -> ((BundleDecodeException) e).reason()).isEqualTo(BundleDecodeException.Reason.TRUNCATED);
    }

    @Test
    void maxBundleSizeIsEnforcedBeforeParsing() {
        byte[] enc = BundleCodec.encode(Bundle.builder().destination("ipn:2.1").creation(1, 0).payload(new byte[1000]).build());
        assertThatThrownBy(() -> BundleCodec.decode(enc, DecodeOptions.DEFAULT.withMaxBundleSize(999)))
                .isInstanceOf(BundleDecodeException.class)
                .extracting(e -> ((BundleDecodeException) e).reason()).isEqualTo(BundleDecodeException.Reason.TOO_LARGE);
        assertThat(BundleCodec.decode(enc, DecodeOptions.DEFAULT.withMaxBundleSize(enc.length)).payload().size()).isEqualTo(1000);
    }

    private List<String> runSmallHeapCheck(String heap, long payloadBytes) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                HugePayloadCheck.class.getName(), dir.toString(), Long.toString(payloadBytes))
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var r = p.inputReader()) {
            r.lines().forEach(l -> {
                lines.add(l);
                System.out.println(l);
            });
        }
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        return lines;
    }

    /** A payload 4 times larger than the heap is encoded, decoded and re-encoded. */
    @Test
    void payloadLargerThanTheHeapStaysOnDisk() throws Exception {
        List<String> out = runSmallHeapCheck("16m", 64L << 20);
        assertThat(out).contains("ok: payload is file-backed", "ok: hop count incremented");
    }

    /** The 4 GiB case of issue 2, under -Xmx64m (slow: writes about 12 GiB). */
    @Test
    @EnabledIfSystemProperty(named = "dtn7j.slow", matches = "true")
    void fourGibPayloadUnder64MiBHeap() throws Exception {
        List<String> out = runSmallHeapCheck("64m", 4L << 30);
        assertThat(out).contains("ok: payload is file-backed", "ok: payload size " + (4L << 30));
    }
}
