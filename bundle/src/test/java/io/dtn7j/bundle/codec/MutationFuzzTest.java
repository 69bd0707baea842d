package io.dtn7j.bundle.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random mutations of valid bundles: each must decode to a bundle (which then re-encodes byte-exact) or fail
 * with a {@link BundleException} subclass, quickly and without large allocations. 100,000 mutations by
 * default (bounded to 15 s), 1,000,000 with {@code -Ddtn7j.slow=true}.
 */
class MutationFuzzTest {
    private static final boolean SLOW = Boolean.getBoolean("dtn7j.slow");
    private static final int ITERATIONS = SLOW ? 1_000_000 : 100_000;
    private static final long TIME_BUDGET_MS = SLOW ? 30 * 60_000 : 15_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final byte[] INTERESTING = {0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x40, 0x5b, 0x5f, 0x7b,
            (byte) 0x7f, (byte) 0x80, (byte) 0x9b, (byte) 0x9f, (byte) 0xbf, (byte) 0xc0, (byte) 0xf6, (byte) 0xff};

    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (JsonNode v : Vectors.load("bpv7-bundles.json").get("bundles")) {
            seeds.add(Vectors.hex(v.get("hex").asText()));
        }
        Random r = new Random(42);
        for (int i = 0; i < 80; i++) {
            seeds.add(BundleCodec.encode(randomBundle(r)));
        }
        return seeds;
    }

    /** A random RFC-valid bundle (java.util.Random based, so it works outside jqwik). */
    static Bundle randomBundle(Random r) {
        io.dtn7j.bundle.EndpointId[] eids = {
                io.dtn7j.bundle.EndpointId.parse("dtn://node" + r.nextInt(100) + "/app" + r.nextInt(5)),
                io.dtn7j.bundle.EndpointId.parse("dtn://n/"),
                io.dtn7j.bundle.EndpointId.ipn(r.nextLong() & Long.MAX_VALUE, r.nextInt(70000)),
                io.dtn7j.bundle.EndpointId.parse("ipn:977000." + r.nextInt(1000) + ".7")};
        io.dtn7j.bundle.CrcType crc = io.dtn7j.bundle.CrcType.values()[1 + r.nextInt(2)];
        byte[] payload = new byte[r.nextInt(r.nextBoolean() ? 40 : 400)];
        r.nextBytes(payload);
        var b = Bundle.builder().source(eids[r.nextInt(eids.length)]).destination(eids[r.nextInt(eids.length)])
                .crcType(crc).creation(1 + (r.nextLong() & 0xFFFFFFFFFFL), r.nextInt(300)).payload(payload)
                .lifetimeMs(r.nextInt(1 << 30)).flags(r.nextBoolean() ? 0 : io.dtn7j.bundle.BundleFlags.REPORT_DELIVERY);
        if (r.nextBoolean()) {
            b.hopLimit(1 + r.nextInt(255));
        }
        if (r.nextBoolean()) {
            b.bundleAgeMs(r.nextInt(100000));
        }
        if (r.nextBoolean()) {
            b.previousNode(io.dtn7j.bundle.EndpointId.parse("dtn://prev/"));
        }
        if (r.nextInt(4) == 0) {
            byte[] d = new byte[r.nextInt(20)];
            r.nextBytes(d);
            b.addBlock(new io.dtn7j.bundle.CanonicalBlock(192 + r.nextInt(50), 0, io.dtn7j.bundle.BlockFlags.of(r.nextInt(32)),
                    io.dtn7j.bundle.CrcType.values()[r.nextInt(3)], ByteSource.of(d)));
        }
        if (r.nextInt(5) == 0) {
            b.fragment(new io.dtn7j.bundle.FragmentInfo(r.nextInt(1000), 1000 + payload.length));
        }
        return b.build();
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        int rounds = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 0 -> b[pos] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[pos] = (byte) rnd.nextInt(256);
                case 2 -> b[pos] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                case 3 -> { // truncate
                    b = java.util.Arrays.copyOf(b, pos);
                }
                case 4 -> { // delete a range
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(8));
                    byte[] o = new byte[b.length - len];
                    System.arraycopy(b, 0, o, 0, pos);
                    System.arraycopy(b, pos + len, o, pos, b.length - pos - len);
                    b = o;
                }
                case 5 -> { // insert random bytes
                    int len = 1 + rnd.nextInt(9);
                    byte[] o = new byte[b.length + len];
                    System.arraycopy(b, 0, o, 0, pos);
                    for (int i = 0; i < len; i++) {
                        o[pos + i] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : INTERESTING[rnd.nextInt(INTERESTING.length)];
                    }
                    System.arraycopy(b, pos, o, pos + len, b.length - pos);
                    b = o;
                }
                case 6 -> { // a huge length claim
                    byte[] huge = {(byte) (0x5b + 0x20 * rnd.nextInt(3)), 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
                    int len = Math.min(huge.length, b.length - pos);
                    System.arraycopy(huge, 0, b, pos, len);
                }
                default -> { // duplicate a range
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(16));
                    byte[] o = new byte[b.length + len];
                    System.arraycopy(b, 0, o, 0, pos + len);
                    System.arraycopy(b, pos, o, pos + len, b.length - pos);
                    b = o;
                }
            }
        }
        return b;
    }

    @Test
    void mutationsYieldBundlesOrTypedErrors() {
        List<byte[]> seeds = seeds();
        Random rnd = new Random(SLOW ? System.nanoTime() : 20261124);
        ValidationPolicy[] policies = ValidationPolicy.values();
        long deadline = System.currentTimeMillis() + TIME_BUDGET_MS;
        int done = 0, decoded = 0, rejected = 0;
        long maxAlloc = 0;
        for (; done < ITERATIONS && System.currentTimeMillis() < deadline; done++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            ValidationPolicy policy = policies[done % policies.length];
            long allocBefore = THREADS.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            Bundle b = null;
            try {
                b = BundleCodec.decode(input, DecodeOptions.of(policy));
                decoded++;
            } catch (BundleException e) {
                rejected++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("decoding " + HexFormat.of().formatHex(input) + " with " + policy + " threw " + t, t);
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocBefore;
            long nanos = System.nanoTime() - t0;
            if (allocated > 1_000_000 + 64L * input.length) {
                // the first run of a code path may load classes; measure again before failing
                long again = THREADS.getCurrentThreadAllocatedBytes();
                try {
                    BundleCodec.decode(input, DecodeOptions.of(policy));
                } catch (BundleException e) {
                    // as before
                }
                allocated = THREADS.getCurrentThreadAllocatedBytes() - again;
            }
            if (allocated > 1_000_000 + 64L * input.length) {
                fail("decoding " + input.length + " bytes allocated " + allocated + " bytes: " + HexFormat.of().formatHex(input));
            }
            maxAlloc = Math.max(maxAlloc, allocated);
            if (nanos > 2_000_000_000L) {
                fail("decoding took " + nanos / 1_000_000 + " ms: " + HexFormat.of().formatHex(input));
            }
            if (b != null) {
                try {
                    assertThat(BundleCodec.encode(b)).isEqualTo(input);
                    Bundle fresh = BundleCodec.decode(BundleCodec.encode(b.withoutReceivedEncodings()), DecodeOptions.PARSE_ONLY);
                    assertThat(fresh).isEqualTo(b);
                } catch (Throwable t) {
                    fail("re-encoding the bundle decoded from " + HexFormat.of().formatHex(input) + " failed: " + t, t);
                }
            }
        }
        System.out.printf("mutation fuzz: %d inputs (%d decoded, %d rejected), max allocation per decode %d bytes%n",
                done, decoded, rejected, maxAlloc);
        assertThat(done).isGreaterThanOrEqualTo(Math.min(ITERATIONS, 2_000));
        assertThat(rejected).isGreaterThan(done / 4);
        assertThat(decoded).isGreaterThan(0);
    }

    @Test
    void fileBackedMutationsYieldBundlesOrTypedErrors(@TempDir Path dir) throws Exception {
        List<byte[]> seeds = seeds();
        Random rnd = new Random(7);
        Path f = dir.resolve("bundle");
        int n = SLOW ? 20_000 : 500;
        for (int i = 0; i < n; i++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            Files.write(f, input);
            try {
                Bundle b = BundleCodec.decode(ByteSource.ofFile(f), DecodeOptions.of(ValidationPolicy.values()[i % 3]));
                assertThat(BundleCodec.encode(b)).isEqualTo(input);
                // the in-memory decoder agrees
                assertThat(BundleCodec.decode(input, DecodeOptions.PARSE_ONLY))
                        .isEqualTo(BundleCodec.decode(BundleCodec.encode(b), DecodeOptions.PARSE_ONLY));
                assertThat(b.blocks()).allMatch(x -> !x.data().hasArray() || x.data().isEmpty());
            } catch (BundleException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("decoding file " + HexFormat.of().formatHex(input) + " threw " + t, t);
            }
        }
    }
}
