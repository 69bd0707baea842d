package io.dtn7j.daemon.api;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.codec.BundleCodec;
import org.junit.jupiter.api.Assumptions;

/** Skips API tests while the bundle codec is still a stub on main (it lands concurrently). */
final class CodecAvailable {
    private CodecAvailable() {
    }

    static void assume() {
        boolean ok;
        try {
            BundleCodec.encode(Bundle.builder().source("dtn://a/").destination("dtn://b/").reportTo("dtn://a/")
                    .creation(1, 0).lifetimeMs(1000).payload("x").build());
            ok = true;
        } catch (UnsupportedOperationException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "BundleCodec is not implemented yet on this branch: API tests skipped");
    }
}
