package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;

/**
 * Group messages, node a: joins the group {@code dtn://global/~news}, sends one message to it and prints
 * every group message it receives. Run {@link RemoteGroupB} on another machine in the same network.
 */
public final class RemoteGroupA {

    private RemoteGroupA() {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        LocalEndpoint node = Dtn.setup("dtn://node-a/");

        Dtn.registerGroup("dtn://global/~news", (payload, source, destination, primaryBlock) ->
                System.out.println("received group-message " + new String(payload, StandardCharsets.UTF_8)
                        + ", from " + source));

        Dtn.startBackgroundUpdateThread();

        node.send("hi from node a", "dtn://global/~news");

        long rounds = Rounds.count();
        for (long i = 0; i < rounds; i++) {
            Thread.sleep(1000);
        }
        Dtn.shutdown();
    }
}
