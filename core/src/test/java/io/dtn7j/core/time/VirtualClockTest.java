package io.dtn7j.core.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualClockTest {

    @Test
    void movesOnlyWhenAdvanced() {
        VirtualClock c = VirtualClock.startingAt(Instant.parse("2025-01-01T00:00:00Z"));
        long start = c.nowDtnMs();
        assertThat(start).isEqualTo(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli() - DtnClock.DTN_EPOCH_UNIX_MS);
        assertThat(c.nowDtnMs()).isEqualTo(start);
        assertThat(c.advance(Duration.ofHours(2))).isEqualTo(start + 7_200_000);
        assertThat(c.now()).isEqualTo(Instant.parse("2025-01-01T02:00:00Z"));
        assertThatThrownBy(() -> c.set(start)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemClockIsDtnTime() {
        long expected = System.currentTimeMillis() - 946_684_800_000L;
        assertThat(DtnClock.system().nowDtnMs()).isBetween(expected - 1000, expected + 1000);
        assertThat(DtnClock.toInstant(0)).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(DtnClock.toDtnMs(Instant.parse("2000-01-01T00:00:01Z"))).isEqualTo(1000);
        assertThat(new VirtualClock(5, false).isAccurate()).isFalse();
    }
}
