package io.dtn7j.examples;

import java.time.Duration;

/**
 * How long an example runs: forever (as in dtn7zero, until Ctrl-C) unless {@code -Dexamples.count=N} limits it to
 * N rounds; {@code -Dexamples.interval=MS} sets the pause between rounds.
 */
final class Rounds {

    private Rounds() {
    }

    /** The number of rounds to run, or {@link Long#MAX_VALUE} for "forever". */
    static long count() {
        String v = System.getProperty("examples.count");
        return v == null ? Long.MAX_VALUE : Long.parseLong(v.strip());
    }

    /** The pause between rounds: {@code examples.interval} milliseconds, else {@code defaultMillis}. */
    static Duration interval(long defaultMillis) {
        String v = System.getProperty("examples.interval");
        return Duration.ofMillis(v == null ? defaultMillis : Long.parseLong(v.strip()));
    }

    /** Sleeps for {@code d}. */
    static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }
}
