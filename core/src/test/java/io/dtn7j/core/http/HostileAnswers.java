package io.dtn7j.core.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers of a misbehaving HTTP server for tests (in {@code com.sun.net.httpserver} handlers): one that stops in the
 * middle of its body, and one that sends far more than any client should read.
 */
public final class HostileAnswers {

    private HostileAnswers() {
    }

    /**
     * Sends headers for all of {@code body}, then only its first {@code n} bytes, and waits for {@code release}
     * before closing: the client sees a body that stops.
     *
     * @param ex the exchange
     * @param body the body the headers announce
     * @param n how many of its bytes are sent
     * @param release counted down when the test ends
     * @throws IOException if the client went away first
     */
    public static void stallAfter(HttpExchange ex, byte[] body, int n, CountDownLatch release) throws IOException {
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body, 0, n);
        ex.getResponseBody().flush();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.close();
    }

    /**
     * Sends a chunked body of up to {@code mib} MiB, until the client stops reading or {@code release} is counted
     * down, adding what it wrote to {@code written}.
     *
     * @param ex the exchange
     * @param mib the most MiB to send
     * @param release counted down when the test ends
     * @param written the bytes written so far
     */
    public static void flood(HttpExchange ex, int mib, CountDownLatch release, AtomicLong written) {
        byte[] chunk = new byte[1 << 20];
        try {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < mib && release.getCount() > 0; i++) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            }
        } catch (IOException cancelled) {
            // the client stopped reading
        }
    }
}
