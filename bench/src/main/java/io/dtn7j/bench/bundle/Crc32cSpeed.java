package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.crc.Crc32c;
import java.util.Locale;
import java.util.Random;

/**
 * How fast this machine computes CRC-32C ({@link Crc32c}, the JDK's intrinsic) over a buffer that stays in the cache
 * (64 KiB, 1 MiB) and over one that does not (100 MiB): the ceiling for the two CRC passes a bundle with a CRC-32C
 * payload block costs end to end (one creating it, one checking it).
 *
 * <pre>
 * java -cp ... io.dtn7j.bench.bundle.Crc32cSpeed [GiB per size, default 4]
 * </pre>
 */
public final class Crc32cSpeed {

    private Crc32cSpeed() {
    }

    /**
     * Prints three rounds per buffer size: GB/s and ms of CPU per MiB.
     *
     * @param args optionally the GiB to checksum per round
     */
    public static void main(String[] args) {
        long total = (args.length > 0 ? Long.parseLong(args[0]) : 4) << 30;
        long sink = 0;
        for (int size : new int[] {64 << 10, 1 << 20, 100 << 20}) {
            byte[] b = new byte[size];
            new Random(1).nextBytes(b);
            for (int round = 1; round <= 3; round++) {
                long t0 = System.nanoTime();
                for (long done = 0; done < total; done += size) {
                    sink += Crc32c.compute(b, 0, size);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%,d KiB buffer, round %d: %.1f GB/s, %.3f ms/MiB%n", size >> 10, round,
                        total / secs / 1e9, secs * 1e3 / (total >> 20));
            }
        }
        if (sink == 42) {
            System.out.println(); // keeps the loop's result alive
        }
    }
}
