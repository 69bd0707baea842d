package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.api.Message;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Saving power: nothing in dtn7j polls. The background update thread sleeps until a message arrives, and
 * {@code runForever} sleeps until a message arrives or the loop callback is due.
 *
 * <p>First variant (default): the background thread runs callbacks while the main thread sends once a second.
 * Second variant (argument {@code run-forever}): one thread does everything with {@code runForever}.
 */
public final class LocalEfficient {

    private LocalEfficient() {
    }

    /**
     * Runs the example; pass {@code run-forever} for the single-threaded variant.
     *
     * @param args {@code run-forever} for the single-threaded variant, else nothing
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        LocalEndpoint nodeEndpoint = Dtn.setup("dtn://node1/",
                (Message message) -> System.out.println("received message: " + message.text()));

        boolean firstExample = args.length == 0 || !args[0].equals("run-forever");
        Duration interval = Rounds.interval(1000);
        long rounds = Rounds.count();

        if (firstExample) {
            Dtn.startBackgroundUpdateThread();
            for (long i = 0; i < rounds; i++) {
                nodeEndpoint.send("hello world", "dtn://node1/");
                Thread.sleep(interval);
            }
            Dtn.shutdown();
        } else {
            AtomicLong sent = new AtomicLong();
            Dtn.runForever(() -> {
                if (sent.get() == rounds) {
                    Dtn.shutdown(); // ends runForever
                    return;
                }
                nodeEndpoint.send("hello world", "dtn://node1/");
                sent.incrementAndGet();
            }, interval);
        }
    }
}
