package io.dtn7j.examples;

import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two nodes in one JVM, linked by MTCP on loopback: node1 sends N numbered messages to node2's endpoint, which
 * counts them. Prints {@code received N of N in T ms} and exits 0 only if every message arrived exactly once.
 * Run by {@link TenThousandMessagesTest} with {@code -Xmx32m} and only the core and bundle jars.
 */
public final class TenThousandMessages {

    private TenThousandMessages() {
    }

    /** Arguments: the number of messages (default 10000). */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        BitSet seen = new BitSet(n);
        int[] duplicates = {0};
        CountDownLatch all = new CountDownLatch(n);
        try (DtnNode node2 = DtnNode.builder("dtn://node2/").mtcpPort(0).discovery(false).start()) {
            node2.register("sink", (payload, source, destination, primaryBlock) -> {
                int i = Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
                synchronized (seen) {
                    if (seen.get(i)) {
                        duplicates[0]++;
                        return;
                    }
                    seen.set(i);
                }
                all.countDown();
            });
            try (DtnNode node1 = DtnNode.builder("dtn://node1/").mtcpPort(0).discovery(false)
                    .peer("mtcp://127.0.0.1:" + node2.port("mtcp") + "/node2").start()) {
                LocalEndpoint source = node1.register("source");
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    source.send(Integer.toString(i), "dtn://node2/sink");
                }
                boolean done = all.await(120, TimeUnit.SECONDS);
                long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                int received;
                synchronized (seen) {
                    received = seen.cardinality();
                }
                System.out.println("received " + received + " of " + n + " in " + ms + " ms, " + duplicates[0]
                        + " duplicates, max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
                System.exit(done && duplicates[0] == 0 ? 0 : 1);
            }
        }
    }
}
