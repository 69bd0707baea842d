package io.dtn7j.bench.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleBuilder;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import java.util.Random;

/** The bundles the bundle benchmarks measure: bp7-rs's addressing, and the large-payload bundle. */
final class BenchBundles {

    /** bp7-rs's benchmark destination. */
    static final EndpointId DST = EndpointId.parse("dtn://node2/inbox");
    /** bp7-rs's benchmark source (and report-to). */
    static final EndpointId SRC = EndpointId.parse("dtn://node1/123456");

    private BenchBundles() {
    }

    /**
     * A bundle with a large payload: {@link #DST} from {@link #SRC}, a fixed creation time, lifetime one hour,
     * hop limit 32, every block with {@code crc}.
     */
    static BundleBuilder large(CrcType crc, byte[] payload) {
        return Bundle.builder().destination(DST).source(SRC).creation(700_000_000_000L, 0)
                .lifetimeMs(3_600_000).hopLimit(32).crcType(crc).payload(payload);
    }

    /** {@code size} random bytes, the same for the same seed. */
    static byte[] randomPayload(int size, long seed) {
        byte[] payload = new byte[size];
        new Random(seed).nextBytes(payload);
        return payload;
    }
}
