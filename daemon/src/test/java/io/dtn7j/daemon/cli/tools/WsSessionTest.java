package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tools' blocking WebSocket client against a raw-socket server on loopback. */
@Timeout(30)
class WsSessionTest {

    /** A one-connection server: handshake as configured, then {@code script} runs with the connection. */
    private static final class Server implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final CompletableFuture<Map<String, String>> requestHeaders = new CompletableFuture<>();
        final CompletableFuture<Void> done;

        interface Script {
            void run(InputStream in, OutputStream out) throws Exception;
        }

        Server(String reply, Script script) throws IOException {
            done = CompletableFuture.runAsync(() -> {
                try (Socket s = listener.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    Map<String, String> headers = readHead(in);
                    requestHeaders.complete(headers);
                    String key = headers.getOrDefault("sec-websocket-key", "");
                    out.write(reply.replace("{accept}", WsSession.expectedAccept(key)).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    script.run(in, out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    private static final String UPGRADE = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: {accept}\r\n\r\n";

    private static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("eof in the request head");
            }
            head.write(b);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        headers.put(":request", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
        }
        return headers;
    }

    /** A client frame as the server sees it: opcode and unmasked payload; fails unless it was masked. */
    private record ClientFrame(int opcode, byte[] payload) {
        static ClientFrame read(InputStream raw) throws IOException {
            DataInputStream in = new DataInputStream(raw);
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertThat(b1 & 0x80).as("client frames are masked").isEqualTo(0x80);
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] mask = in.readNBytes(4);
            byte[] p = in.readNBytes((int) len);
            for (int i = 0; i < p.length; i++) {
                p[i] ^= mask[i & 3];
            }
            assertThat(b0 & 0x80).as("FIN").isEqualTo(0x80);
            return new ClientFrame(b0 & 0x0f, p);
        }
    }

    @Test
    void exchangesMaskedFramesOfEverySizeAndClosesCleanly() throws Exception {
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        CompletableFuture<ClientFrame[]> seen = new CompletableFuture<>();
        try (Server server = new Server(UPGRADE, (in, out) -> {
            ClientFrame[] f = {ClientFrame.read(in), ClientFrame.read(in), ClientFrame.read(in), ClientFrame.read(in), null};
            out.write(WsFrameReaderPropertiesTest.frame(true, 0x1, "200 tx mode: data".getBytes(StandardCharsets.US_ASCII)));
            out.write(WsFrameReaderPropertiesTest.frame(true, 0x2, f[3].payload()));
            out.flush();
            f[4] = ClientFrame.read(in);
            out.write(WsFrameReaderPropertiesTest.frame(true, 0x8, new byte[] {0x03, (byte) 0xe8}));
            out.flush();
            seen.complete(f);
        })) {
            WsSession ws = WsSession.open(server.uri(), "s3cret", "test");
            ws.sendText("/data");
            ws.sendBinary(new byte[0]);
            ws.sendBinary(new byte[300]);
            ws.sendBinary(big);
            assertThat(ws.next(Duration.ofSeconds(5))).isEqualTo(new WsSession.Text("200 tx mode: data"));
            assertThat(((WsSession.Binary) ws.next(Duration.ofSeconds(5))).data()).isEqualTo(big);
            ws.close();
            ClientFrame[] f = seen.get(10, TimeUnit.SECONDS);
            assertThat(f[0].opcode()).isEqualTo(0x1);
            assertThat(new String(f[0].payload(), StandardCharsets.UTF_8)).isEqualTo("/data");
            assertThat(f[1].payload()).isEmpty();
            assertThat(f[2].payload()).hasSize(300);
            assertThat(f[3].payload()).isEqualTo(big);
            assertThat(f[4].opcode()).as("close frame").isEqualTo(0x8);
            assertThat(f[4].payload()).startsWith(0x03, 0xe8);
            Map<String, String> h = server.requestHeaders.get();
            assertThat(h.get(":request")).isEqualTo("GET /ws HTTP/1.1");
            assertThat(h.get("authorization")).isEqualTo("Bearer s3cret");
            assertThat(h.get("sec-websocket-version")).isEqualTo("13");
            assertThat(ws.next(Duration.ofMillis(10))).isInstanceOf(WsSession.Closed.class);
        }
    }

    @Test
    void answersPingsWhileTheCallerDoesNotRead() throws Exception {
        CompletableFuture<byte[]> pong = new CompletableFuture<>();
        CompletableFuture<Integer> closing = new CompletableFuture<>();
        try (Server server = new Server(UPGRADE, (in, out) -> {
            out.write(WsFrameReaderPropertiesTest.frame(true, 0x9, "dtn7".getBytes(StandardCharsets.US_ASCII)));
            out.write(WsFrameReaderPropertiesTest.frame(true, 0x2, new byte[] {1, 2, 3}));
            out.flush();
            ClientFrame f = ClientFrame.read(in);
            assertThat(f.opcode()).isEqualTo(0xA);
            pong.complete(f.payload());
            closing.complete(ClientFrame.read(in).opcode());
        })) {
            WsSession ws = WsSession.open(server.uri(), null, "test");
            // the caller is busy (a trigger command running): the Ping must still be answered
            assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("dtn7".getBytes(StandardCharsets.US_ASCII));
            // and the bundle that came meanwhile is kept for the caller
            assertThat(((WsSession.Binary) ws.next(Duration.ofSeconds(5))).data()).containsExactly(1, 2, 3);
            // closing while the background reader is reading still sends a close frame
            Thread.sleep(3_200);
            ws.close();
            assertThat(closing.get(10, TimeUnit.SECONDS)).as("opcode of the client's last frame").isEqualTo(0x8);
        }
    }

    @Test
    void aMessageThatArrivesInPiecesAfterATimeoutIsReadWhole() throws Exception {
        byte[] frame = WsFrameReaderPropertiesTest.frame(true, 0x1, "200 subscribed".getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<Void> go = new CompletableFuture<>();
        try (Server server = new Server(UPGRADE, (in, out) -> {
            out.write(frame, 0, 5);
            out.flush();
            go.get(10, TimeUnit.SECONDS);
            out.write(frame, 5, frame.length - 5);
            out.flush();
            in.read();
        })) {
            try (WsSession ws = WsSession.open(server.uri(), null, "test")) {
                assertThat(ws.next(Duration.ofMillis(200))).isNull();
                go.complete(null);
                assertThat(ws.next(Duration.ofSeconds(5))).isEqualTo(new WsSession.Text("200 subscribed"));
            }
        }
    }

    @Test
    void aRefusedUpgradeIsARejectionWithTheDaemonsMessage() throws Exception {
        String reply = "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 22\r\n\r\nmissing or wrong token";
        try (Server server = new Server(reply, (in, out) -> { })) {
            assertThatThrownBy(() -> WsSession.open(server.uri(), "bad", "test"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCodes.REJECTED);
                        assertThat(e.httpStatus()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("HTTP 401 missing or wrong token");
                    });
        }
    }

    @Test
    void aReplyWithoutTheRightAcceptIsAFailure() throws Exception {
        String reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        try (Server server = new Server(reply, (in, out) -> { })) {
            assertThatThrownBy(() -> WsSession.open(server.uri(), null, "test"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILURE);
                        assertThat(e.getMessage()).contains("Sec-WebSocket-Accept");
                    });
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        assertThatThrownBy(() -> WsSession.open(uri, null, "http://127.0.0.1:" + port))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE));
    }

    @Test
    void theAcceptValueIsTheOneFromRfc6455() {
        // RFC 6455 §1.3's example
        assertThat(WsSession.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
