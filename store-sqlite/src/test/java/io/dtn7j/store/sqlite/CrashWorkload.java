package io.dtn7j.store.sqlite;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * The deterministic bundles the crash test writes: bundle {@code i}'s ID, bytes and metadata are functions
 * of {@code i} alone, so the parent can check what the killed child acknowledged without talking to it.
 * Every 40th bundle is larger than the inline threshold and goes to a payload file.
 */
final class CrashWorkload {

    static final EndpointId SOURCE = EndpointId.parse("dtn://crash-test/app");
    static final EndpointId DESTINATION = EndpointId.parse("dtn://elsewhere/inbox");

    private CrashWorkload() {
    }

    static BundleId id(int i) {
        return BundleId.of(SOURCE, new CreationTimestamp(800_000_000_000L + i, i % 5));
    }

    static int size(int i) {
        return i % 40 == 7 ? 100_000 + i : 64 + (i * 37) % 2000;
    }

    static byte[] bytes(int i) {
        byte[] b = new byte[size(i)];
        new Random(0x5eed_0000L + i).nextBytes(b);
        return b;
    }

    static BundleMetadata metadata(int i) {
        BundleId id = id(i);
        return new BundleMetadata(id, DESTINATION, SOURCE, 0x4, 3_600_000,
                id.creation().dtnTimeMs() + 3_600_000, id.creation().dtnTimeMs(), -1, size(i),
                EnumSet.of(Constraint.FORWARD_PENDING), Set.of("node-" + (i % 3)), -1, null);
    }

    /** Inverse of {@link #id(int)}, or -1 for an ID the workload does not make. */
    static int indexOf(BundleId id) {
        long i = id.creation().dtnTimeMs() - 800_000_000_000L;
        return id.source().equals(SOURCE) && i >= 0 && i < Integer.MAX_VALUE && id.equals(id((int) i)) ? (int) i : -1;
    }
}
