package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;

/**
 * Node B of the ping/echo pair: answers every message sent to {@code dtn://node-b/echo} from its callback. Run a
 * ping example ({@link RemotePingCallback} or {@link RemotePingPoll}) on another machine in the same network.
 */
public final class RemoteEchoCallback {

    private static LocalEndpoint echo;

    private RemoteEchoCallback() {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        Dtn.setup("dtn://node-b/");

        echo = Dtn.register("echo", (payload, source, destination, primaryBlock) -> {
            System.out.println("received ping " + new String(payload, StandardCharsets.UTF_8) + ", sending back echo");
            echo.send(payload, source);
        });

        Dtn.startBackgroundUpdateThread();
        System.out.println("node-b listening on MTCP port " + Dtn.node().port("mtcp"));

        long rounds = Rounds.count();
        for (long i = 0; i < rounds; i++) {
            Thread.sleep(1000);
        }
        Dtn.shutdown();
    }
}
