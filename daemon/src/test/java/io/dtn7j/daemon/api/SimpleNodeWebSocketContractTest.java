package io.dtn7j.daemon.api;

/** The WebSocket contract over the test node (the WS layer on its own). */
class SimpleNodeWebSocketContractTest extends WebSocketContractTest {
    @Override
    protected NodeService newNode() {
        return new SimpleNode("dtn://node1/");
    }
}
