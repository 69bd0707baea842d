package io.dtn7j.examples;

import io.dtn7j.core.external.ExternalEndpoint;
import io.dtn7j.core.api.Message;

import java.util.Optional;

/**
 * An endpoint registered at a running daemon (dtn7-rs's {@code dtnd} or {@code dtn7j daemon}) through its HTTP
 * API: sends "hello_world" to itself and polls until it arrives. Start the daemon first, e.g.
 * {@code dtnd -n node1 -r epidemic -C mtcp -e incoming -U} ({@code -U} allows clients on other hosts).
 *
 * <p>Arguments: the daemon's address (default {@code http://127.0.0.1:3000}).
 */
public final class ExternalEndpointExample {

    private ExternalEndpointExample() {
    }

    /**
     * Runs the example.
     *
     * @param args optionally the daemon's API base URL (default {@code http://127.0.0.1:3000})
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        String daemon = args.length > 0 ? args[0] : "http://127.0.0.1:3000";

        try (ExternalEndpoint endpoint = ExternalEndpoint.connect(daemon, "my-endpoint")) {
            endpoint.send("hello_world", endpoint.nodeId().uri() + "my-endpoint");

            while (true) {
                Optional<Message> message = endpoint.poll();
                if (message.isPresent()) {
                    System.out.println("received: " + message.get().text());
                    break;
                }
                Thread.sleep(100);
            }
        }
    }
}
