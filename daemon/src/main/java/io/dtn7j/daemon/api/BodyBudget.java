package io.dtn7j.daemon.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies ({@code /push}, {@code /send}, {@code /insert}) the API holds in heap at once. Each body
 * is limited on its own ({@link ApiOptions#maxBodyBytes()}), but without a bound on their sum a few hundred
 * concurrent pushes of large bundles, which any node may send to an API that faces the network, would exhaust the
 * heap and take the whole node down. A request whose body does not fit what is left is answered 503 at once, without
 * reading the rest; its sender (dtn7j's and dtnd's HTTP convergence layers alike) tries again later.
 */
final class BodyBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /**
     * A budget of {@code capacity} bytes.
     *
     * @param capacity bytes of bodies held at once
     */
    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** {@return the bytes of bodies held at once at most} */
    long capacity() {
        return capacity;
    }

    /** {@return the bytes taken now} */
    long inUse() {
        return used.get();
    }

    /**
     * Takes {@code n} bytes if they fit.
     *
     * @param n bytes
     * @return whether they were taken
     */
    boolean tryTake(long n) {
        while (true) {
            long u = used.get();
            if (u + n > capacity) {
                refusals.incrementAndGet();
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    /** {@return how many times bytes did not fit} */
    long refusals() {
        return refusals.get();
    }

    /** {@return the budget's samples for {@code /metrics}} */
    List<MetricSample> metrics() {
        return List.of(
                MetricSample.gauge("dtn7j_api_request_body_bytes", "Bytes of request bodies the API holds now.",
                        inUse()),
                MetricSample.gauge("dtn7j_api_request_body_budget_bytes",
                        "Most bytes of request bodies the API holds at once.", capacity),
                MetricSample.counter("dtn7j_api_requests_refused_busy_total",
                        "Requests answered 503 because their body did not fit what other requests left.",
                        refusals()));
    }

    /**
     * Gives back {@code n} bytes taken before.
     *
     * @param n bytes
     */
    void give(long n) {
        used.addAndGet(-n);
    }
}
