package io.dtn7j.core.api;

import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.ValidationPolicy;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.routing.Router;
import io.dtn7j.core.store.BundleStore;

import java.time.Duration;
import java.util.List;

/** Everything a {@link DtnNode.Builder} collected; {@code router} and {@code store} are null for the defaults. */
record NodeSettings(EndpointId nodeId, boolean mtcp, int mtcpPort, boolean mtcpPortSet,
                    List<ConvergenceLayer> convergenceLayers, Router router, BundleStore store,
                    boolean discovery, Duration discoveryInterval, int discoveryPort,
                    List<String> discoveryInterfaces, List<String> discoveryDestinations, List<String> peers,
                    boolean statusReports, CrcType crcType, Duration lifetime,
                    ValidationPolicy validationPolicy, List<String> dtn7goDiscovery) {
}
