package io.dtn7j.daemon.api;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.routing.Routers;
import io.dtn7j.core.store.MemoryBundleStore;
import io.dtn7j.daemon.node.AgentNodeService;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The real agent (in-memory store, no CLAs) behind the API, for contract tests. */
final class AgentNodes {
    private AgentNodes() {
    }

    static AgentNodeService start(String nodeId, List<AutoCloseable> toClose) throws Exception {
        BundleProtocolAgent agent = new BundleProtocolAgent(AgentConfig.builder(EndpointId.parse(nodeId))
                .store(new MemoryBundleStore())
                .router(Routers.create("epidemic", Map.of()))
                .janitorInterval(Duration.ofSeconds(1))
                .build());
        agent.register(EndpointId.parse(nodeId), null);
        agent.start();
        toClose.add(agent);
        return new AgentNodeService(agent, new NodeDescription("epidemic", List.of(), 1000, 0, 20_000, "mem"), List::of);
    }
}
