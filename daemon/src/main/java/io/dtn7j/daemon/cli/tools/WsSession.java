package io.dtn7j.daemon.cli.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client session on the daemon's {@code /ws} application-agent WebSocket (dtn7-compat.md §6): text commands and
 * replies, binary data frames. Received messages are queued; {@link #next(Duration)} takes them in order. The JDK
 * client answers the server's Pings with Pongs, which keeps dtn7-rs from closing the session.
 */
public final class WsSession implements AutoCloseable {

    /** Largest message accepted (dtn7-rs's limit). */
    static final int MAX_MESSAGE = 128 << 20;

    /** A received WebSocket message. */
    public sealed interface Message {
    }

    /**
     * A text frame (a command reply).
     *
     * @param text the frame's text
     */
    public record Text(String text) implements Message {
    }

    /**
     * A binary frame (a bundle or WsRecvData).
     *
     * @param data the frame's bytes
     */
    public record Binary(byte[] data) implements Message {
    }

    /**
     * The server closed the session (or it failed).
     *
     * @param code the WebSocket close code
     * @param reason the close reason
     */
    public record Closed(int code, String reason) implements Message {
    }

    private final WebSocket ws;
    private final BlockingQueue<Message> queue;

    private WsSession(WebSocket ws, BlockingQueue<Message> queue) {
        this.ws = ws;
        this.queue = queue;
    }

    static WsSession open(HttpClient http, URI uri, String token, String target) throws ApiException {
        BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            WebSocket ws = b.buildAsync(uri, new Collector(queue)).get(10, TimeUnit.SECONDS);
            return new WsSession(ws, queue);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof WebSocketHandshakeException h) {
                throw ApiException.rejected("the WebSocket upgrade of " + uri, h.getResponse().statusCode(), String.valueOf(h.getResponse().body()));
            }
            if (c instanceof ConnectException || c instanceof IOException && c.getCause() instanceof ConnectException) {
                throw ApiException.unreachable(target, c);
            }
            throw ApiException.failure("cannot open the WebSocket " + uri + ": " + c, c);
        } catch (TimeoutException e) {
            throw ApiException.failure("the WebSocket " + uri + " did not open within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.failure("interrupted", e);
        }
    }

    /** Queues messages, joining fragmented ones. */
    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<Message> queue;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private boolean tooLarge;

        Collector(BlockingQueue<Message> queue) {
            this.queue = queue;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                queue.add(new Text(text.toString()));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (binary.size() + data.remaining() > MAX_MESSAGE) {
                tooLarge = true;
            } else {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                binary.writeBytes(b);
            }
            if (last) {
                if (tooLarge) {
                    queue.add(new Closed(1009, "a binary message exceeded " + MAX_MESSAGE + " bytes"));
                } else {
                    queue.add(new Binary(binary.toByteArray()));
                }
                binary.reset();
                tooLarge = false;
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            queue.add(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            queue.add(new Closed(1006, String.valueOf(error.getMessage())));
        }
    }

    /**
     * Sends a text command such as {@code /data} or {@code /subscribe incoming}.
     *
     * @param command the command line
     * @throws ApiException if the session is closed or sending fails
     */
    public void sendText(String command) throws ApiException {
        try {
            ws.sendText(command, true).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.failure("cannot send \"" + command + "\" over the WebSocket: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.failure("interrupted", e);
        }
    }

    /**
     * Sends a binary frame.
     *
     * @param data the frame's content
     * @throws ApiException if the session is closed or sending fails
     */
    public void sendBinary(byte[] data) throws ApiException {
        try {
            ws.sendBinary(ByteBuffer.wrap(data), true).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.failure("cannot send " + data.length + " bytes over the WebSocket: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.failure("interrupted", e);
        }
    }

    /**
     * The next message, or null if none arrives within {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the message, or null on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Message next(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Sends {@code command} and waits for its text reply; fails unless the reply starts with {@code
     * expectedPrefix}.
     * Binary messages arriving meanwhile are kept for later.
     *
     * @param command the command to send
     * @param expectedPrefix the prefix a successful reply starts with
     * @param timeout how long to wait for the reply
     * @return the reply
     * @throws ApiException if no reply comes in time, the session closes or the reply is a refusal
     */
    public String command(String command, String expectedPrefix, Duration timeout) throws ApiException {
        sendText(command);
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.List<Message> deferred = new java.util.ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Message m = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw ApiException.failure("no reply to \"" + command + "\" within " + timeout.toSeconds() + " s", null);
                }
                if (m instanceof Text t) {
                    if (t.text().startsWith(expectedPrefix)) {
                        return t.text();
                    }
                    throw ApiException.wsRejected(command, t.text());
                }
                if (m instanceof Closed c) {
                    throw ApiException.failure("the daemon closed the WebSocket (" + c.code() + " " + c.reason()
                            + ") after \"" + command + "\"", null);
                }
                deferred.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.failure("interrupted", e);
        } finally {
            if (!deferred.isEmpty()) {
                java.util.List<Message> rest = new java.util.ArrayList<>();
                queue.drainTo(rest);
                queue.addAll(deferred);
                queue.addAll(rest);
            }
        }
    }

    /** Closes the session normally. */
    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already closed or broken
        }
        ws.abort();
    }
}
