package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import java.util.Objects;

/**
 * The result of {@link BundleCodec#encodeShared}: the encoding, and the bundle again, now remembering each block's
 * bytes as a slice of that encoding (as a decoded bundle does), so that encoding a changed copy of it (another
 * previous node block, one more hop) writes the unchanged blocks, the payload above all, from those bytes
 * without encoding them or computing their CRCs again.
 *
 * @param bundle the bundle, remembering its blocks' encodings
 * @param bytes  the encoded bundle (large data shared with the bundle, not copied)
 */
public record EncodedBundle(Bundle bundle, ByteSource bytes) {
    /**
     * Checks that neither part is null.
     *
     * @param bundle the bundle
     * @param bytes  its encoding
     */
    public EncodedBundle {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(bytes, "bytes");
    }
}
