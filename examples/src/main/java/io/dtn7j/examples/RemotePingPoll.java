package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.api.Message;

import java.util.Optional;

/**
 * Node A of the ping/echo pair, polling: sends a number to {@code dtn://node-b/echo} every second and polls for
 * the echoes in the same loop. Run an echo example ({@link RemoteEchoCallback} or {@link RemoteEchoPoll}) on
 * another machine in the same network.
 */
public final class RemotePingPoll {

    private RemotePingPoll() {
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

        LocalEndpoint ping = Dtn.register("ping");

        long intervalNanos = Rounds.interval(1000).toNanos();
        long rounds = Rounds.count();
        long lastPingSent = System.nanoTime() - intervalNanos;
        long counter = 1;
        while (true) {
            Optional<Message> message = ping.poll();
            if (message.isPresent()) {
                System.out.println("received echo " + message.get().text());
            }

            if (System.nanoTime() - lastPingSent >= intervalNanos) {
                if (counter > rounds) {
                    break;
                }
                System.out.println("sending ping " + counter);
                ping.send(String.valueOf(counter), "dtn://node-b/echo");
                counter++;
                lastPingSent = System.nanoTime();
            }
            Thread.sleep(10); // dtn7zero spins here; a short pause keeps a core free
        }
        Dtn.shutdown();
    }
}
