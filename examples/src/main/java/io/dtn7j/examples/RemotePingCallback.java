package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Node A of the ping/echo pair: sends a number to {@code dtn://node-b/echo} every second and prints the echoes
 * from a callback. Run an echo example ({@link RemoteEchoCallback} or {@link RemoteEchoPoll}) on another machine
 * in the same network.
 */
public final class RemotePingCallback {

    private RemotePingCallback() {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        Dtn.setup("dtn://node-a/");

        Dtn.startBackgroundUpdateThread();

        LocalEndpoint ping = Dtn.register("ping", (payload, source, destination, primaryBlock) ->
                System.out.println("received echo " + new String(payload, StandardCharsets.UTF_8)));

        Duration interval = Rounds.interval(1000);
        for (long counter = 1; counter <= Rounds.count(); counter++) {
            System.out.println("sending ping " + counter);
            ping.send(String.valueOf(counter), "dtn://node-b/echo");
            Thread.sleep(interval);
        }
        Dtn.shutdown();
    }
}
