package io.dtn7j.core.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.cbor.CborWriter;
import java.util.Random;

/**
 * Encoded test bundles, written by hand with {@link CborWriter} (no CRC) so the CLA tests do not depend on
 * the bundle codec: an indefinite array of a primary block and a payload block.
 */
public final class TestBundles {
    private TestBundles() {
    }

    /** The ID of the bundle with sequence number {@code seq}. */
    public static BundleId id(long seq) {
        return BundleId.of(EndpointId.parse("dtn://src/app"), new CreationTimestamp(800_000_000_000L, seq));
    }

    /** A bundle from {@code dtn://src/app} with a {@code payloadSize}-byte pseudo-random payload, sequence {@code seq}. */
    public static byte[] encoded(int payloadSize, long seq) {
        return encoded(payloadSize, seq, "//src/app");
    }

    /** As {@link #encoded(int, long)}, from the {@code dtn} EID with scheme-specific part {@code sourceSsp}. */
    public static byte[] encoded(int payloadSize, long seq, String sourceSsp) {
        byte[] payload = new byte[payloadSize];
        new Random(seq * 31 + payloadSize).nextBytes(payload);
        CborWriter w = new CborWriter(payloadSize + 64);
        w.writeIndefiniteArray();
        w.writeArrayHeader(8);
        w.writeUnsigned(7).writeUnsigned(0).writeUnsigned(0);
        eid(w, "//dst/inbox");
        eid(w, sourceSsp);
        eid(w, sourceSsp);
        w.writeArrayHeader(2).writeUnsigned(800_000_000_000L).writeUnsigned(seq);
        w.writeUnsigned(3_600_000);
        w.writeArrayHeader(5).writeUnsigned(1).writeUnsigned(1).writeUnsigned(0).writeUnsigned(0);
        w.writeByteString(payload);
        w.writeBreak();
        return w.toByteArray();
    }

    private static void eid(CborWriter w, String ssp) {
        w.writeArrayHeader(2).writeUnsigned(1).writeTextString(ssp);
    }

    /** An outgoing bundle for {@link #encoded}. */
    public static OutgoingBundle outgoing(int payloadSize, long seq) {
        return new OutgoingBundle(id(seq), ByteSource.of(encoded(payloadSize, seq)));
    }
}
