package io.dtn7j.core.cla;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A limit on a whole exchange whose single reads or writes are each bounded but could be strung out without end (a
 * peer dripping a byte just inside every per-read limit): at the deadline an action cuts the exchange off, closing
 * its socket or failing its request, unless the exchange {@link #finish finished} first. Exactly one of the two
 * happens. No thread waits: the JDK's shared delay scheduler runs the action.
 */
public final class Deadline {

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int CUT_OFF = 2;

    private final AtomicInteger state = new AtomicInteger(RUNNING);

    private Deadline() {
    }

    /**
     * Starts a deadline.
     *
     * @param limit how long the exchange may take
     * @param cutOff what ends it at the deadline (e.g. closing its socket); runs at most once, on the scheduler
     * @return the deadline
     */
    public static Deadline after(Duration limit, Runnable cutOff) {
        Deadline d = new Deadline();
        CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (d.state.compareAndSet(RUNNING, CUT_OFF)) {
                cutOff.run();
            }
        });
        return d;
    }

    /**
     * Marks the exchange done, successful or not; the cut-off then never runs.
     *
     * @return true if it finished before the deadline, false if the deadline had already cut it off
     */
    public boolean finish() {
        return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
    }
}
