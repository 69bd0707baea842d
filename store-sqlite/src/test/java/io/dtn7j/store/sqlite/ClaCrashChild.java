package io.dtn7j.store.sqlite;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.ForwardingBundleStore;
import io.dtn7j.core.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A node that is killed while peers hand it bundles: an agent on the durable store in the directory given as the
 * first argument, with no peers of its own and a TCPCLv4 listener on an ephemeral loopback port, which it prints as
 * {@code PORT <n>}. Every bundle it acknowledges with the XFER_ACK of the last segment must survive its death. The
 * second argument delays each store write by that many milliseconds, so that an acknowledgement sent before the
 * bundle was stored would have a wide window in which a kill loses it.
 */
public final class ClaCrashChild {

    private ClaCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        BundleStore store = new SlowPuts(SqliteBundleStore.open(Path.of(args[0])), Long.parseLong(args[1]));
        ConvergenceLayer tcp = ConvergenceLayers.create("tcp", ClaOptions.builder().bindHost("127.0.0.1").port(0).build());
        BundleProtocolAgent.start(AgentConfig.builder(AgentCrashChild.NODE).store(store).convergenceLayer(tcp)
                .janitorInterval(Duration.ofSeconds(1)).build());
        System.out.println("PORT " + tcp.port());
        System.out.flush();
        Thread.sleep(600_000); // wait to be killed
    }

    /** The durable store, each {@link #put} starting after a delay. */
    private static final class SlowPuts extends ForwardingBundleStore {
        private final long delayMs;

        SlowPuts(BundleStore store, long delayMs) {
            super(store);
            this.delayMs = delayMs;
        }

        @Override
        public void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted", e);
            }
            super.put(id, encodedBundle, metadata);
        }
    }
}
