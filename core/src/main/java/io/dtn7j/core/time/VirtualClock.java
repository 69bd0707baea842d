package io.dtn7j.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DtnClock} that only moves when told to: tests set the time and {@link #advance(Duration)} it, so
 * lifetimes of hours expire in microseconds of real time. Thread-safe. Time never goes backwards.
 */
public final class VirtualClock implements DtnClock {
    private final AtomicLong nowMs;
    private final boolean accurate;

    /**
     * A virtual, accurate clock starting at {@code startDtnMs}.
     *
     * @param startDtnMs the initial time, in milliseconds since the DTN epoch
     */
    public VirtualClock(long startDtnMs) {
        this(startDtnMs, true);
    }

    /**
     * A virtual clock starting at {@code startDtnMs}; {@code accurate = false} simulates a clockless node
     * (RFC 9171 §4.2.6).
     *
     * @param startDtnMs the initial time, in milliseconds since the DTN epoch
     * @param accurate whether the clock claims to be accurate
     */
    public VirtualClock(long startDtnMs, boolean accurate) {
        if (startDtnMs < 0) {
            throw new IllegalArgumentException("DTN time must not be negative, got " + startDtnMs);
        }
        this.nowMs = new AtomicLong(startDtnMs);
        this.accurate = accurate;
    }

    /**
     * A virtual clock starting at the given instant.
     *
     * @param instant the initial time
     * @return the clock
     */
    public static VirtualClock startingAt(Instant instant) {
        return new VirtualClock(DtnClock.toDtnMs(instant));
    }

    /** {@return a virtual clock starting at 2025-01-01T00:00:00Z} */
    public static VirtualClock create() {
        return startingAt(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Override
    public long nowDtnMs() {
        return nowMs.get();
    }

    @Override
    public boolean isAccurate() {
        return accurate;
    }

    /**
     * Moves time forward by {@code d} (must not be negative); returns the new DTN time.
     *
     * @param d how far to move
     * @return the new time, in milliseconds since the DTN epoch
     */
    public long advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a virtual clock cannot go backwards: " + d);
        }
        return nowMs.addAndGet(d.toMillis());
    }

    /**
     * Sets the time; it must not be earlier than the current time.
     *
     * @param dtnMs the new time, in milliseconds since the DTN epoch
     */
    public void set(long dtnMs) {
        nowMs.updateAndGet(cur -> {
            if (dtnMs < cur) {
                throw new IllegalArgumentException("a virtual clock cannot go backwards: " + dtnMs + " < " + cur);
            }
            return dtnMs;
        });
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now() + "]";
    }
}
