package io.dtn7j.store.sqlite;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.store.StoreLimits;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process the crash test kills: opens the store, puts bundles {@code first .. first+count-1} of
 * {@link CrashWorkload} from several threads and writes {@code ACK <i> END} to stdout after each put
 * returned. Each line is one write(2) of a few bytes to a pipe, hence atomic; the parent accepts only whole
 * lines. Arguments: store directory, first index, count, writer threads.
 */
public final class CrashChild {

    private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        say("OPENING");
        SqliteBundleStore store = SqliteBundleStore.open(dir, StoreLimits.UNLIMITED,
                SqliteStoreOptions.DEFAULTS.withInlineThreshold(64 * 1024));
        say("OPEN " + store.count());
        AtomicInteger next = new AtomicInteger(first);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < first + count; i = next.getAndIncrement()) {
                        store.put(CrashWorkload.id(i), ByteSource.of(CrashWorkload.bytes(i)), CrashWorkload.metadata(i));
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
        // No close(): the parent kills us or we just exit; either way nothing may depend on a clean shutdown.
        Runtime.getRuntime().halt(0);
    }

    private static void say(String line) throws IOException {
        byte[] b = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (OUT) {
            OUT.write(b);
        }
    }
}
