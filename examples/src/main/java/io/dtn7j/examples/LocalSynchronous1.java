package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-threaded: {@code runForever} blocks, runs callbacks as messages arrive and calls the loop callback
 * every second.
 */
public final class LocalSynchronous1 {

    private LocalSynchronous1() {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     */
    public static void main(String[] args) {
        LocalEndpoint nodeEndpoint = Dtn.setup("dtn://node1/", (payload, source, destination, primaryBlock) ->
                System.out.println("received message: " + new String(payload, StandardCharsets.UTF_8)));

        long rounds = Rounds.count();
        AtomicLong sent = new AtomicLong();
        Dtn.runForever(() -> {
            if (sent.getAndIncrement() == rounds) {
                Dtn.shutdown(); // ends runForever
                return;
            }
            nodeEndpoint.send("hello world", "dtn://node1/");
        }, Rounds.interval(1000));
    }
}
