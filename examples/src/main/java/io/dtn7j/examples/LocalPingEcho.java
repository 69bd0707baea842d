package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Two endpoints on one node send messages to each other: "ping" sends a number every two seconds, "echo" sends
 * it back. Local messages are delivered like any other, just without the network.
 */
public final class LocalPingEcho {

    private static LocalEndpoint echo;

    private LocalPingEcho() {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        Dtn.setup("dtn://node1/");

        LocalEndpoint ping = Dtn.register("ping", (payload, source, destination, primaryBlock) ->
                System.out.println("received integer echo data: "
                        + Integer.parseInt(new String(payload, StandardCharsets.UTF_8))));

        echo = Dtn.register("echo", (payload, source, destination, primaryBlock) -> {
            System.out.println("sending back raw ping data: " + new String(payload, StandardCharsets.UTF_8));
            echo.send(payload, source);
        });

        Dtn.startBackgroundUpdateThread();

        Duration interval = Rounds.interval(2000);
        for (long counter = 1; counter <= Rounds.count(); counter++) {
            System.out.println("sending ping: " + counter);
            ping.send(String.valueOf(counter), "dtn://node1/echo");
            Rounds.pause(interval);
        }
        Dtn.shutdown();
    }
}
