package io.dtn7j.store.sqlite;

import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.agent.SendRequest;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node that is killed: an agent on the durable store with no peers sends {@code count} bundles to
 * {@code dtn://receiver/inbox} from several threads and prints {@code ACK <i> END} after each send returned
 * (the agent returns after storing). Arguments: store directory, count, threads.
 */
public final class AgentCrashChild {

    static final String NODE = "dtn://crashed-node/";
    static final String DESTINATION = "dtn://receiver/inbox";
    private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private AgentCrashChild() {
    }

    /** Payload of bundle {@code i}: names {@code i}; every 50th is large enough to live in a payload file. */
    static byte[] payload(int i) {
        String head = "crash-payload " + i + " ";
        int size = i % 50 == 3 ? 150_000 : 40 + i % 200;
        byte[] b = new byte[Math.max(size, head.length())];
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(h, 0, b, 0, h.length);
        for (int k = h.length; k < b.length; k++) {
            b[k] = (byte) ('a' + (i + k) % 26);
        }
        return b;
    }

    /** Inverse of {@link #payload(int)}: the index named by a payload, or -1 when it is not one of ours. */
    static int indexOf(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 40), StandardCharsets.US_ASCII);
        if (!s.startsWith("crash-payload ")) {
            return -1;
        }
        int end = s.indexOf(' ', 14);
        return end < 0 ? -1 : Integer.parseInt(s.substring(14, end));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        SqliteBundleStore store = SqliteBundleStore.open(dir);
        BundleProtocolAgent agent = BundleProtocolAgent.start(AgentConfig.builder(NODE).store(store)
                .janitorInterval(Duration.ofSeconds(1)).build());
        say("STARTED");
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        agent.send(SendRequest.to(DESTINATION).payload(payload(i)).lifetime(Duration.ofHours(1)).build());
                        say("ACK " + i + " END");
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        say("DONE");
        Thread.sleep(60_000); // wait to be killed
    }

    private static void say(String line) throws IOException {
        byte[] b = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (OUT) {
            OUT.write(b);
        }
    }
}
