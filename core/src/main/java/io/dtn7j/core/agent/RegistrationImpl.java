package io.dtn7j.core.agent;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.admin.BundleStatusReport;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A registration: a queue of bundle IDs drained by a listener thread (active) or by polls (passive). */
final class RegistrationImpl implements Registration {
    private static final System.Logger LOG = System.getLogger(RegistrationImpl.class.getName());

    private final BundleProtocolAgent agent;
    private final EndpointId endpoint;
    private final DeliveryListener listener;
    private final LinkedBlockingQueue<BundleId> queue = new LinkedBlockingQueue<>();
    private volatile boolean open = true;
    private Thread consumer;

    RegistrationImpl(BundleProtocolAgent agent, EndpointId endpoint, DeliveryListener listener) {
        this.agent = agent;
        this.endpoint = endpoint;
        this.listener = listener;
    }

    void start() {
        if (listener != null) {
            consumer = Thread.ofVirtual().name("dtn7j-registration-" + endpoint.uri()).start(this::drain);
        }
    }

    private void drain() {
        while (open) {
            BundleId id;
            try {
                id = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!open) {
                agent.undelivered(id, endpoint);
                return;
            }
            Optional<Delivery> d = agent.loadDelivery(id, endpoint);
            if (d.isEmpty()) {
                continue;
            }
            try {
                listener.onDelivery(d.get());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "delivery listener of " + endpoint + " failed on " + id, e);
            }
            agent.delivered(id, endpoint);
        }
    }

    void enqueue(BundleId id) {
        if (open) {
            queue.add(id);
        }
    }

    java.util.List<BundleId> queuedIds() {
        return java.util.List.copyOf(queue);
    }

    void statusReport(BundleStatusReport report) {
        if (listener == null || !open) {
            return;
        }
        try {
            listener.onStatusReport(report);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "status report listener of " + endpoint + " failed", e);
        }
    }

    @Override
    public EndpointId endpoint() {
        return endpoint;
    }

    @Override
    public boolean isActive() {
        return listener != null;
    }

    @Override
    public Optional<Delivery> poll() {
        if (listener != null) {
            return Optional.empty();
        }
        BundleId id;
        while ((id = queue.poll()) != null) {
            Optional<Delivery> d = agent.loadDelivery(id, endpoint);
            if (d.isPresent()) {
                agent.delivered(id, endpoint);
                return d;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Delivery> poll(Duration timeout) throws InterruptedException {
        if (listener != null) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            BundleId id = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (id == null) {
                return Optional.empty();
            }
            Optional<Delivery> d = agent.loadDelivery(id, endpoint);
            if (d.isPresent()) {
                agent.delivered(id, endpoint);
                return d;
            }
        }
    }

    @Override
    public int pending() {
        return queue.size();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (consumer != null) {
            consumer.interrupt();
        }
        agent.removeRegistration(this);
        queue.clear();
    }

    @Override
    public String toString() {
        return (listener != null ? "active" : "passive") + " registration of " + endpoint;
    }
}
