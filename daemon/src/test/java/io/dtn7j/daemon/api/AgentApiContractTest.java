package io.dtn7j.daemon.api;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The REST contract with the real bundle protocol agent behind it. */
class AgentApiContractTest extends ApiContractTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @Override
    protected NodeService newNode() throws Exception {
        return AgentNodes.start("dtn://node1/", toClose);
    }

    @AfterEach
    void closeAgent() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }
}
