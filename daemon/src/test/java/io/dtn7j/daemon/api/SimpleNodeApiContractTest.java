package io.dtn7j.daemon.api;

/** The REST contract over the test node (the HTTP layer on its own). */
class SimpleNodeApiContractTest extends ApiContractTest {
    @Override
    protected NodeService newNode() {
        return new SimpleNode("dtn://node1/");
    }
}
