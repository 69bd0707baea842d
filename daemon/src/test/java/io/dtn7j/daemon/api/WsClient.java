package io.dtn7j.daemon.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket client that queues what it receives: String for text, byte[] for binary. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    /** Messages received: String for text, byte[] for binary. */
    public final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    /** The connection. */
    public final WebSocket ws;
    /** Completes with the close status code when the server closes the connection. */
    public final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();

    /**
     * Connects.
     *
     * @param url ws:// URL
     * @throws Exception if the connection fails
     */
    public WsClient(String url) throws Exception {
        ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), this).get(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            received.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** Payloads of Pings the server sent (the client answers each with a Pong automatically). */
    final BlockingQueue<String> pings = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        byte[] b = new byte[message.remaining()];
        message.get(b);
        pings.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        binary.writeBytes(b);
        if (last) {
            received.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    /**
     * Sends a text frame.
     *
     * @param command the text
     * @throws Exception on failure
     */
    public void send(String command) throws Exception {
        ws.sendText(command, true).get(5, TimeUnit.SECONDS);
    }

    /**
     * Sends a binary frame.
     *
     * @param data the bytes
     * @throws Exception on failure
     */
    public void send(byte[] data) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(data), true).get(5, TimeUnit.SECONDS);
    }

    /** Next text message, failing after 5 s. */
    public String nextText() throws Exception {
        Object o = next();
        if (!(o instanceof String s)) {
            throw new AssertionError("expected a text message, got " + o.getClass().getSimpleName());
        }
        return s;
    }

    /** Next binary message, failing after 5 s. */
    public byte[] nextBinary() throws Exception {
        Object o = next();
        if (!(o instanceof byte[] b)) {
            throw new AssertionError("expected a binary message, got text '" + o + "'");
        }
        return b;
    }

    public Object next() throws Exception {
        Object o = received.poll(5, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no WebSocket message within 5 s");
        }
        return o;
    }

    /** Next message within the given time, or null. */
    public Object poll(long ms) throws InterruptedException {
        return received.poll(ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
