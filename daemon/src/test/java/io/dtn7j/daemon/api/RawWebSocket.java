package io.dtn7j.daemon.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client's bytes written by hand over a plain socket, for tests of peers that misbehave in ways a real
 * client library will not (stop reading, flood frames): the upgrade request, and text frames masked with key 0 (so
 * the payload goes as it is).
 */
public final class RawWebSocket {
    private RawWebSocket() {
    }

    /**
     * Writes the upgrade request for {@code path} (the answer is left unread).
     *
     * @param out the socket's output
     * @param path the WebSocket route, e.g. {@code /ws}
     * @throws IOException if the write fails
     */
    public static void upgrade(OutputStream out, String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A final text frame as a client sends it, masked with key 0.
     *
     * @param text the payload, under 64 KiB
     * @return the frame's bytes
     */
    public static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        }
        f.writeBytes(new byte[4]);
        f.writeBytes(payload);
        return f.toByteArray();
    }
}
