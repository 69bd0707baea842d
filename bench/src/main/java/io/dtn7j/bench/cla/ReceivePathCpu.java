package io.dtn7j.bench.cla;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.core.cla.ReceiveBuffer;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * CPU per MiB of a CLA's receive path without sockets or threads: reading an encoded 1 MiB bundle (CRC-32C) from a
 * stream and decoding it (every block's CRC checked), once into one array (TCPCLv4's single-segment path) and once
 * through {@link ReceiveBuffer}'s chunks (MTCP, STCP), so the two can be compared on one thread.
 */
public final class ReceivePathCpu {

    private ReceivePathCpu() {
    }

    /**
     * Prints six rounds of CPU milliseconds per MiB for both paths (the first rounds include JIT compilation).
     *
     * @param args optionally the number of bundles per round (default 1000)
     * @throws Exception if the temporary directory cannot be created
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        byte[] payload = new byte[1 << 20];
        new Random(1).nextBytes(payload);
        Bundle bundle = Bundle.builder().destination(EndpointId.parse("dtn://b/sink"))
                .source(EndpointId.parse("dtn://a/src")).reportTo(EndpointId.parse("dtn://a/src"))
                .creation(700_000_000_000L, 0).lifetimeMs(3_600_000).crcType(CrcType.CRC32C).payload(payload).build();
        byte[] encoded = BundleCodec.encode(bundle);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path spool = Files.createTempDirectory("receive-path-cpu");
        double mib = encoded.length / (double) (1 << 20);
        long sink = 0;
        System.out.println("round | one array: read + decode ms/MiB | ReceiveBuffer: read + decode | ReceiveBuffer: read only");
        for (int round = 1; round <= 6; round++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                byte[] array = new byte[encoded.length];
                new ByteArrayInputStream(encoded).readNBytes(array, 0, array.length);
                sink += BundleCodec.decode(array, DecodeOptions.DEFAULT).blocks().size();
            }
            long c1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                try (ReceiveBuffer buffer = new ReceiveBuffer(spool, 1L << 30)) {
                    buffer.appendFrom(new ByteArrayInputStream(encoded), encoded.length);
                    sink += BundleCodec.decode(buffer.toByteSource(), DecodeOptions.DEFAULT).blocks().size();
                }
            }
            long c2 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                try (ReceiveBuffer buffer = new ReceiveBuffer(spool, 1L << 30)) {
                    buffer.appendFrom(new ByteArrayInputStream(encoded), encoded.length);
                    sink += buffer.size();
                }
            }
            long c3 = mx.getCurrentThreadCpuTime();
            System.out.printf(Locale.ROOT, "%d | %.3f | %.3f | %.3f%n", round, (c1 - c0) / 1e6 / n / mib,
                    (c2 - c1) / 1e6 / n / mib, (c3 - c2) / 1e6 / n / mib);
        }
        Files.deleteIfExists(spool);
        if (sink == 0) {
            throw new IllegalStateException("nothing decoded");
        }
    }
}
