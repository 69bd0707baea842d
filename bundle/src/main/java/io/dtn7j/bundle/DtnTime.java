package io.dtn7j.bundle;

import java.time.Instant;

/**
 * DTN time (RFC 9171 §4.2.6): milliseconds since 2000-01-01T00:00:00Z, as an unsigned number. Zero means
 * "unknown" in creation timestamps of nodes without an accurate clock.
 */
public final class DtnTime {
    /** The DTN epoch, 2000-01-01T00:00:00Z. */
    public static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    /** The DTN epoch in Unix milliseconds (946684800000). */
    public static final long EPOCH_UNIX_MS = EPOCH.toEpochMilli();

    private DtnTime() {}

    /**
     * DTN time of {@code instant} (milliseconds truncated).
     *
     * @param instant the instant
     * @return milliseconds since the DTN epoch (2000-01-01T00:00:00Z)
     */
    public static long fromInstant(Instant instant) {
        return instant.toEpochMilli() - EPOCH_UNIX_MS;
    }

    /**
     * The instant of a DTN time.
     *
     * @param dtnTimeMs milliseconds since the DTN epoch
     * @return the instant
     */
    public static Instant toInstant(long dtnTimeMs) {
        return Instant.ofEpochMilli(EPOCH_UNIX_MS + dtnTimeMs);
    }

    /**
     * DTN time of a Unix time in milliseconds.
     *
     * @param unixMs milliseconds since the Unix epoch
     * @return milliseconds since the DTN epoch
     */
    public static long fromUnixMillis(long unixMs) {
        return unixMs - EPOCH_UNIX_MS;
    }

    /**
     * Unix time in milliseconds of a DTN time.
     *
     * @param dtnTimeMs milliseconds since the DTN epoch
     * @return milliseconds since the Unix epoch
     */
    public static long toUnixMillis(long dtnTimeMs) {
        return dtnTimeMs + EPOCH_UNIX_MS;
    }

    /** {@return the current DTN time according to the system clock} */
    public static long now() {
        return fromUnixMillis(System.currentTimeMillis());
    }
}
