package io.dtn7j.bundle;

import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.cbor.CborReader;

/** Shared helpers of the typed extension block views. */
final class ExtensionData {
    private ExtensionData() {}

    static CborReader reader(ByteSource data, String what) {
        if (data.size() > PreviousNodeBlock.MAX_DATA) {
            throw new BundleDecodeException(Reason.MALFORMED_BLOCK_DATA, what + " data of " + data.size()
                    + " bytes is implausibly large", -1);
        }
        return CborReader.over(data);
    }

    static void requireEnd(CborReader r, String what) {
        if (!r.atEnd()) {
            throw new BundleDecodeException(Reason.MALFORMED_BLOCK_DATA, what + ": " + r.remaining()
                    + " bytes follow the content", r.position());
        }
    }
}
