package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.CrcType;

/**
 * An informal speed check (the JMH benchmarks live in the bench module): the bp7-rs benchmark bundle (dtn
 * EIDs, bundle age block, 3-byte payload) created, encoded and decoded+validated, per CRC type, per
 * second of thread CPU time. Run with
 * {@code java -cp bundle/target/classes:bundle/target/test-classes io.dtn7j.bundle.codec.CodecSpeedCheck}.
 */
public final class CodecSpeedCheck {
    private CodecSpeedCheck() {}

    static Bundle create(CrcType crc, long seq) {
        return Bundle.builder().source("dtn://node1/sms").destination("dtn://node2/incoming").reportTo("dtn://node1/")
                .creation(715_345_678_123L, seq).lifetimeMs(3_600_000).crcType(crc).bundleAgeMs(0)
                .payload(new byte[] {'A', 'B', 'C'}).build();
    }

    /** Thread CPU time: less disturbed than wall time on a shared machine. */
    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        if (args.length > 1 && args[1].equals("decode")) { // profiling aid: decode only, CRC-32C
            byte[] enc = BundleCodec.encode(create(CrcType.CRC32C, 1));
            long sink = 0;
            for (long i = 0; i < n; i++) {
                sink += BundleCodec.decode(enc, DecodeOptions.STRICT).blocks().size();
            }
            System.out.println(sink);
            return;
        }
        for (int round = 0; round < 2; round++) {
            for (CrcType crc : CrcType.values()) {
                long sink = 0;
                long t0 = cpu();
                for (long i = 0; i < n; i++) {
                    sink += create(crc, i).blocks().size();
                }
                long t1 = cpu();
                Bundle b = create(crc, 1);
                for (long i = 0; i < n; i++) {
                    sink += BundleCodec.encode(b).length;
                }
                long t2 = cpu();
                byte[] enc = BundleCodec.encode(b);
                DecodeOptions opts = crc == CrcType.NONE ? DecodeOptions.DEFAULT : DecodeOptions.STRICT;
                for (long i = 0; i < n; i++) {
                    sink += BundleCodec.decode(enc, opts).blocks().size();
                }
                long t3 = cpu();
                if (round == 1) {
                    System.out.printf("%-6s create %5.2f M/s  encode %5.2f M/s  decode+validate %5.2f M/s  (%d bytes, %d)%n",
                            crc, n / ((t1 - t0) / 1e3), n / ((t2 - t1) / 1e3), n / ((t3 - t2) / 1e3), enc.length, sink % 7);
                }
            }
        }
    }
}
