package io.dtn7j.bundle.admin;

import java.util.OptionalLong;

/**
 * One bundle status item of a status report (RFC 9171 §6.1.1): whether the reporting node asserts the status
 * (received, forwarded, delivered or deleted) and, when it does and the subject bundle asked for status times,
 * the DTN time (ms since 2000-01-01 UTC) at which it happened.
 *
 * @param asserted whether the status is asserted
 * @param time     the DTN time of the event; present only when {@code asserted}
 */
public record StatusAssertion(boolean asserted, OptionalLong time) {

    /** Not asserted. */
    public static final StatusAssertion NOT_ASSERTED = new StatusAssertion(false, OptionalLong.empty());

    /** Asserted without a time. */
    public static final StatusAssertion ASSERTED = new StatusAssertion(true, OptionalLong.empty());

    /** Checks that a time is given only for an asserted status. */
    public StatusAssertion {
        java.util.Objects.requireNonNull(time, "time");
        if (!asserted && time.isPresent()) {
            throw new IllegalArgumentException("a status that is not asserted has no time");
        }
    }

    /**
     * Asserted at DTN time {@code dtnTimeMs}.
     *
     * @param dtnTimeMs the time, in milliseconds since the DTN epoch
     * @return an assertion that carries the time
     */
    public static StatusAssertion at(long dtnTimeMs) {
        return new StatusAssertion(true, OptionalLong.of(dtnTimeMs));
    }

    @Override
    public String toString() {
        return !asserted ? "no" : time.isPresent() ? "yes@" + Long.toUnsignedString(time.getAsLong()) : "yes";
    }
}
