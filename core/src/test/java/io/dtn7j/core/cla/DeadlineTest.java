package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Exactly one of "finished in time" and "cut off" happens, and the cut-off runs once at most. */
class DeadlineTest {

    @Test
    void anExchangeFinishedInTimeIsNeverCutOff() throws Exception {
        AtomicInteger cuts = new AtomicInteger();
        Deadline d = Deadline.after(Duration.ofMillis(50), cuts::incrementAndGet);
        assertThat(d.finish()).isTrue();
        assertThat(d.finish()).as("finishing again").isTrue();
        Thread.sleep(200);
        assertThat(cuts.get()).isZero();
    }

    @Test
    void anExchangeStillRunningAtTheDeadlineIsCutOffOnceAndCannotFinishAfter() throws Exception {
        AtomicInteger cuts = new AtomicInteger();
        CountDownLatch cut = new CountDownLatch(1);
        Deadline d = Deadline.after(Duration.ofMillis(50), () -> {
            cuts.incrementAndGet();
            cut.countDown();
        });
        assertThat(cut.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(d.finish()).isFalse();
        assertThat(d.finish()).isFalse();
        Thread.sleep(100);
        assertThat(cuts.get()).isEqualTo(1);
    }
}
