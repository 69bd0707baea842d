package io.dtn7j.core.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.codec.EidCodec;
import java.util.Optional;

/**
 * Reads the bundle ID from the first bytes of an encoded bundle (its primary block), so a TCPCL receiver can
 * refuse a bundle it already has after the first segment instead of receiving all of it.
 */
public final class BundleIdPeek {

    private static final long FLAG_IS_FRAGMENT = 0x01;

    private BundleIdPeek() {
    }

    /**
     * The ID of the non-fragment bundle whose encoding starts with {@code head}; empty when the primary block is
     * not complete in {@code head}, malformed, or the bundle is a fragment (whose ID needs the payload length).
     *
     * @param head the first bytes of an encoded bundle
     * @return the bundle's ID, or empty
     */
    public static Optional<BundleId> peek(byte[] head) {
        try {
            CborReader r = new CborReader(head);
            r.readArrayHeader("bundle", true);
            long n = r.readArrayHeader("primary block", false);
            if (n < 8 || n > 11) {
                return Optional.empty();
            }
            r.readUnsigned("version");
            long flags = r.readUnsigned("flags");
            r.readUnsigned("crc type");
            EidCodec.read(r, "destination", true);
            EndpointId source = EidCodec.read(r, "source", true);
            EidCodec.read(r, "report-to", true);
            r.readArrayHeader("creation timestamp", 2);
            long time = r.readUnsigned("creation time");
            long seq = r.readUnsigned("sequence number");
            if ((flags & FLAG_IS_FRAGMENT) != 0) {
                return Optional.empty();
            }
            return Optional.of(BundleId.of(source, new CreationTimestamp(time, seq)));
        } catch (RuntimeException e) {
            return Optional.empty(); // truncated or malformed: the agent's decoder will judge the whole bundle
        }
    }
}
