package io.dtn7j.daemon.cli.tools;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a large transfer, printed on standard error: nothing for transfers below {@link #THRESHOLD}, at
 * most five updates a second otherwise, and a final summary line with the throughput.
 */
public class Progress {

    /** Transfers smaller than this (1 MiB) print no progress. */
    public static final long THRESHOLD = 1 << 20;
    /** A progress that prints nothing. */
    public static final Progress NONE = new Progress(null, "");

    private final PrintStream err;
    private final String verb;
    private long total = -1;
    private long done;
    private long startNanos;
    private long lastPrint;
    private boolean active;

    /**
     * Progress printed on {@code err} (null = silent), e.g. verb "sent".
     *
     * @param err where progress is printed, or null for none
     * @param verb the verb in the progress line
     */
    public Progress(PrintStream err, String verb) {
        this.err = err;
        this.verb = verb;
    }

    /**
     * A transfer of {@code total} bytes (-1 = unknown) begins.
     *
     * @param totalBytes the transfer's size in bytes, or -1 if unknown
     */
    public void start(long totalBytes) {
        this.total = totalBytes;
        this.done = 0;
        this.startNanos = System.nanoTime();
        this.active = err != null && (totalBytes < 0 || totalBytes >= THRESHOLD);
    }

    /**
     * {@code n} more bytes were transferred.
     *
     * @param n the number of bytes
     */
    public void advance(long n) {
        done += n;
        if (!active) {
            return;
        }
        long now = System.nanoTime();
        if (done >= THRESHOLD && now - lastPrint > 200_000_000L) {
            lastPrint = now;
            err.print("\r" + line());
            err.flush();
        }
    }

    /** The transfer ended; prints a summary if progress was shown. */
    public void finish() {
        if (active && done >= THRESHOLD) {
            double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
            err.println("\r" + line() + String.format(Locale.ROOT, " in %.1f s (%s/s)", secs, human((long) (done / secs))));
        }
        active = false;
    }

    /** {@return bytes counted so far} */
    public long done() {
        return done;
    }

    private String line() {
        if (total > 0) {
            return String.format(Locale.ROOT, "%s %s of %s (%d%%)", verb, human(done), human(total), done * 100 / total);
        }
        return verb + " " + human(done);
    }

    /** 1.5 MiB, 200 B, ... */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
