package io.dtn7j.core.cla.large;

import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.cla.TestClaContext;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child-JVM receiver for {@link LargeTransferTest}: starts the named CLA on an ephemeral loopback port,
 * prints {@code PORT <n>}, waits for one bundle, prints {@code RECEIVED <size> <sha256> <max heap used>}.
 */
public final class LargeTransferReceiver {
    private LargeTransferReceiver() {
    }

    public static void main(String[] args) throws Exception {
        String cla = args[0];
        Path spool = Path.of(args[1]);
        TestClaContext ctx = new TestClaContext("dtn://receiver/", spool, 1 << 20);
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).maxBundleSize(2L << 30)
                .frameTimeout(Duration.ofSeconds(30)).build();
        try (ConvergenceLayer layer = ConvergenceLayers.create(cla, options)) {
            layer.start(ctx);
            System.out.println("PORT " + layer.port());
            System.out.flush();
            TestClaContext.Received r = ctx.take(Duration.ofMinutes(10));
            Runtime rt = Runtime.getRuntime();
            System.out.println("RECEIVED " + r.size() + " " + r.sha256() + " " + rt.maxMemory());
            System.out.flush();
        }
    }
}
