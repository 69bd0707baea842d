package io.dtn7j.core.api;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.admin.BundleStatusReport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What a {@link DtnNode} needs from the bundle protocol agent underneath it. */
interface Backend extends AutoCloseable {

    EndpointId nodeId();

    /** Registers {@code eid}; every bundle delivered to it is handed to {@code sink} (on any thread). */
    void register(EndpointId eid, Consumer<Message> sink);

    void unregister(EndpointId eid);

    BundleId send(EndpointId source, EndpointId destination, byte[] payload, boolean anonymous);

    List<KnownPeer> peers();

    void addPeer(String claUrl);

    CompletableFuture<BundleStatusReport> deliveryReport(BundleId id);

    /** The port the named convergence layer listens on, or -1 when the node has none by that name. */
    int port(String claName);

    @Override
    void close();
}
