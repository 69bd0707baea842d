package io.dtn7j.bundle;

import java.time.Instant;

/**
 * A bundle's creation timestamp (RFC 9171 §4.2.7): DTN time in milliseconds (0 if the creator had no
 * accurate clock; such bundles must carry a Bundle Age block) and a sequence number distinguishing bundles
 * created by the same source in the same millisecond. Both are unsigned 64-bit values.
 *
 * @param dtnTimeMs creation time, milliseconds since 2000-01-01T00:00:00Z, or 0
 * @param sequence  sequence number
 */
public record CreationTimestamp(long dtnTimeMs, long sequence) {
    /** {@return whether the creation time is 0 ("unknown")} */
    public boolean isClockless() {
        return dtnTimeMs == 0;
    }

    /** {@return the creation time as an instant (the DTN epoch for clockless bundles)} */
    public Instant instant() {
        return DtnTime.toInstant(dtnTimeMs);
    }
}
