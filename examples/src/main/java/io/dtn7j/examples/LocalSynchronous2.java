package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;

/**
 * Single-threaded with a hand-written loop: {@code update()} runs the callbacks of what arrived, and the loop
 * sends a message every second. It calls {@code update()} often and sleeps only briefly.
 */
public final class LocalSynchronous2 {

    private LocalSynchronous2() {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        LocalEndpoint nodeEndpoint = Dtn.setup("dtn://node1/", (payload, source, destination, primaryBlock) ->
                System.out.println("received message: " + new String(payload, StandardCharsets.UTF_8)));

        long intervalNanos = Rounds.interval(1000).toNanos();
        long rounds = Rounds.count();
        long sent = 0;
        long lastSend = System.nanoTime();
        while (true) {
            Dtn.update();

            if (System.nanoTime() - lastSend >= intervalNanos) {
                if (sent++ == rounds) {
                    break;
                }
                nodeEndpoint.send("hello world", "dtn://node1/");
                lastSend = System.nanoTime();
            }

            Thread.sleep(10);
        }
        Dtn.shutdown();
    }
}
