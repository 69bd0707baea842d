package io.dtn7j.core.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition (real time) for asynchronous agent work in tests. */
final class Await {
    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    static void idle(BundleProtocolAgent... agents) {
        for (int round = 0; round < 3; round++) {
            for (BundleProtocolAgent a : agents) {
                try {
                    if (!a.awaitIdle(Duration.ofSeconds(10))) {
                        throw new AssertionError("agent " + a.nodeId() + " did not become idle");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }
}
