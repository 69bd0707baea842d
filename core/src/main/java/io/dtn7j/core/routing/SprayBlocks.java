package io.dtn7j.core.routing;

import io.dtn7j.bundle.BlockFlags;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.cbor.CborWriter;

import java.util.Optional;

/** Reads and writes the spray-and-wait copies block ({@link SprayAndWaitRouter#COPIES_BLOCK_TYPE}). */
final class SprayBlocks {
    private SprayBlocks() {
    }

    /** Copies announced by the bundle's copies block; 1 when it has none or it is malformed. */
    static long copies(Bundle bundle) {
        Optional<CanonicalBlock> b = bundle.block(SprayAndWaitRouter.COPIES_BLOCK_TYPE);
        if (b.isEmpty() || b.get().data().size() > 9) {
            return 1;
        }
        try {
            CborReader r = new CborReader(b.get().data().toByteArray());
            long n = r.readUnsigned("spray copies");
            return r.atEnd() && n >= 1 ? n : 1;
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** The bundle with its copies block set to {@code copies} (added before the payload if absent). */
    static Bundle withCopies(Bundle bundle, long copies) {
        byte[] data = new CborWriter(9).writeUnsigned(copies).toByteArray();
        Optional<CanonicalBlock> b = bundle.block(SprayAndWaitRouter.COPIES_BLOCK_TYPE);
        CanonicalBlock block = b.map(old -> old.withData(ByteSource.of(data)))
                .orElseGet(() -> new CanonicalBlock(SprayAndWaitRouter.COPIES_BLOCK_TYPE, bundle.nextBlockNumber(),
                        BlockFlags.NONE, bundle.primary().crcType(), ByteSource.of(data)));
        return bundle.withBlock(block);
    }
}
