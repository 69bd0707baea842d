package io.dtn7j.bundle.fragment;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Run in a child JVM with a small heap by {@link HugePayloadTest}: writes a payload file of the given size, encodes a
 * bundle with that file-backed payload, decodes the encoding from its file, fragments it, encodes and decodes every
 * fragment from files, and reassembles them into a spill file, checking the payload's CRC-32C at each step. Prints
 * timings and the peak heap use, and "HUGE PAYLOAD OK" at the end.
 */
public final class HugePayloadMain {

    private HugePayloadMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        long fragmentMax = Long.parseLong(args[2]);
        Files.createDirectories(dir);
        log("max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, payload " + size + " bytes, fragments <= "
                + fragmentMax + " bytes, in " + dir);

        long t = System.nanoTime();
        Path payloadFile = dir.resolve("payload.bin");
        long expected = writePayload(payloadFile, size);
        log(String.format("wrote payload file: %.1f s, CRC-32C %08x", secs(t), expected));

        t = System.nanoTime();
        Bundle bundle = Bundle.builder().source("dtn://big/src").destination("dtn://big/dst").creation(700_000_000_000L, 1)
                .lifetimeMs(86_400_000).crcType(CrcType.CRC32C).hopLimit(16).bundleAgeMs(0)
                .payload(ByteSource.ofFile(payloadFile, 0, size)).build();
        Path encoded = dir.resolve("bundle.bin");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(encoded), 1 << 16)) {
            BundleCodec.encodeTo(bundle, out);
        }
        check(Files.size(encoded) == BundleCodec.encodedSize(bundle), "encoded size " + Files.size(encoded)
                + " != encodedSize " + BundleCodec.encodedSize(bundle));
        log(String.format("encoded to file (%d bytes): %.1f s", Files.size(encoded), secs(t)));
        Files.delete(payloadFile);

        t = System.nanoTime();
        Bundle decoded = BundleCodec.decode(ByteSource.ofFile(encoded), DecodeOptions.STRICT);
        check(!decoded.payload().hasArray(), "decoded payload is in the heap");
        check(decoded.payload().size() == size, "decoded payload has " + decoded.payload().size() + " bytes");
        log(String.format("decoded from file (CRCs checked): %.1f s", secs(t)));
        t = System.nanoTime();
        check(crc(decoded.payload()) == expected, "decoded payload differs");
        log(String.format("decoded payload CRC-32C matches: %.1f s", secs(t)));

        t = System.nanoTime();
        List<Bundle> fragments = Fragmenter.fragment(decoded, fragmentMax);
        log(String.format("fragmented into %d fragments: %.3f s", fragments.size(), secs(t)));
        check(fragments.size() > 1, "no fragmentation happened");

        t = System.nanoTime();
        Reassembler reassembler = new Reassembler(ReassemblyOptions.DEFAULT.withMaxBufferedBytes(8 << 20)
                .withSpillDirectory(dir.resolve("spill"), 1 << 20, Long.MAX_VALUE));
        Optional<Bundle> whole = Optional.empty();
        for (int i = fragments.size() - 1; i >= 0; i--) { // last first
            Bundle f = fragments.get(i);
            check(!f.payload().hasArray(), "fragment payload was copied into the heap");
            Path fragFile = dir.resolve("fragment-" + i + ".bin");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(fragFile), 1 << 16)) {
                BundleCodec.encodeTo(f, out);
            }
            check(Files.size(fragFile) <= fragmentMax, "fragment " + i + " has " + Files.size(fragFile) + " bytes");
            Bundle received = BundleCodec.decode(ByteSource.ofFile(fragFile), DecodeOptions.STRICT);
            whole = reassembler.accept(received);
            Files.delete(fragFile);
            check(whole.isPresent() == (i == 0), "reassembly completed at the wrong fragment " + i);
        }
        log(String.format("encoded, decoded and reassembled the fragments through files: %.1f s", secs(t)));
        Bundle result = whole.orElseThrow();
        check(result.primary().equals(bundle.primary()), "reassembled primary block differs");
        check(result.payload().size() == size, "reassembled payload has " + result.payload().size() + " bytes");
        t = System.nanoTime();
        check(crc(result.payload()) == expected, "reassembled payload differs");
        log(String.format("reassembled payload CRC-32C matches: %.1f s", secs(t)));

        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        log("peak heap use (sum of pool peaks) " + (peak >> 20) + " MiB of max " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB");
        log("HUGE PAYLOAD OK");
    }

    private static long writePayload(Path file, long size) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long written = 0;
            long index = 0;
            while (written < size) {
                ByteBuffer.wrap(block).putLong(0, index++); // every MiB differs
                int n = (int) Math.min(block.length, size - written);
                crc.update(block, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(block, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                written += n;
            }
        }
        return crc.getValue();
    }

    private static long crc(ByteSource source) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = source.openStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(String s) {
        System.out.println("[huge] " + s);
        System.out.flush();
    }
}
