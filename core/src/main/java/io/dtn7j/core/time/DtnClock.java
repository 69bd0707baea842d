package io.dtn7j.core.time;

import java.time.Instant;

/**
 * The agent's time source, in DTN time: milliseconds since 2000-01-01T00:00:00Z (RFC 9171 §4.2.6).
 *
 * <p>Everything in the agent that needs "now" (creation timestamps, expiry, bundle age, peer timeouts) asks
 * its {@code DtnClock}, so tests run on a {@link VirtualClock} and production on {@link #system()}.
 * Implementations must be thread-safe.
 */
public interface DtnClock {

    /** Milliseconds between the Unix epoch and the DTN epoch (2000-01-01T00:00:00Z). */
    long DTN_EPOCH_UNIX_MS = 946_684_800_000L;

    /** {@return current DTN time in milliseconds} Never negative. */
    long nowDtnMs();

    /**
     * {@return whether this clock is synchronized to UTC} A node without an accurate clock (RFC 9171 §4.2.6,
     * "clockless") creates bundles with creation time 0 and a bundle age block, and judges expiry by age.
     */
    default boolean isAccurate() {
        return true;
    }

    /** {@return the current time as an {@link Instant}} */
    default Instant now() {
        return Instant.ofEpochMilli(nowDtnMs() + DTN_EPOCH_UNIX_MS);
    }

    /**
     * Converts an {@link Instant} to DTN milliseconds (0 for instants before the DTN epoch).
     *
     * @param instant the instant
     * @return milliseconds since the DTN epoch (2000-01-01T00:00:00Z)
     */
    static long toDtnMs(Instant instant) {
        return Math.max(0, instant.toEpochMilli() - DTN_EPOCH_UNIX_MS);
    }

    /**
     * Converts DTN milliseconds to an {@link Instant}.
     *
     * @param dtnMs milliseconds since the DTN epoch
     * @return the instant
     */
    static Instant toInstant(long dtnMs) {
        return Instant.ofEpochMilli(dtnMs + DTN_EPOCH_UNIX_MS);
    }

    /** {@return the system clock (UTC wall time), assumed accurate} */
    static DtnClock system() {
        return SystemDtnClock.INSTANCE;
    }
}
