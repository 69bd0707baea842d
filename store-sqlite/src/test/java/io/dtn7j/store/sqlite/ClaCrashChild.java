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
import io.dtn7j.core.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

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
    private record SlowPuts(BundleStore store, long delayMs) implements BundleStore {
        @Override
        public void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted", e);
            }
            store.put(id, encodedBundle, metadata);
        }

        @Override
        public Optional<ByteSource> encoded(BundleId id) {
            return store.encoded(id);
        }

        @Override
        public Optional<BundleMetadata> metadata(BundleId id) {
            return store.metadata(id);
        }

        @Override
        public void updateMetadata(BundleId id, BundleMetadata metadata) throws StoreException {
            store.updateMetadata(id, metadata);
        }

        @Override
        public boolean remove(BundleId id) throws StoreException {
            return store.remove(id);
        }

        @Override
        public boolean contains(BundleId id) {
            return store.contains(id);
        }

        @Override
        public void forEach(Consumer<BundleMetadata> action) {
            store.forEach(action);
        }

        @Override
        public long count() {
            return store.count();
        }

        @Override
        public long bytes() {
            return store.bytes();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
