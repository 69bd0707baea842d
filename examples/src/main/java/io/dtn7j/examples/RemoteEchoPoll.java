package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.api.Message;

import java.util.Optional;

/**
 * Node B of the ping/echo pair, polling: takes each message sent to {@code dtn://node-b/echo} and sends it back.
 * Run a ping example ({@link RemotePingCallback} or {@link RemotePingPoll}) on another machine in the same network.
 */
public final class RemoteEchoPoll {

    private RemoteEchoPoll() {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        Dtn.setup("dtn://node-b/");

        LocalEndpoint echo = Dtn.register("echo");

        Dtn.startBackgroundUpdateThread();
        System.out.println("node-b listening on MTCP port " + Dtn.node().port("mtcp"));

        long rounds = Rounds.count();
        long echoed = 0;
        while (echoed < rounds) {
            Optional<Message> message = echo.poll();
            if (message.isPresent()) {
                System.out.println("received ping " + message.get().text() + ", sending back echo");
                echo.send(message.get().payload(), message.get().source());
                echoed++;
            } else {
                Thread.sleep(10); // dtn7zero spins here; a short pause keeps a core free
            }
        }
        Thread.sleep(Rounds.interval(1000)); // let the last echo leave before shutting down
        Dtn.shutdown();
    }
}
