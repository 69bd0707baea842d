package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A /ws client that keeps sending commands but reads none of the replies must not make the server queue them in
 * memory without bound: each reply is waited for before the next command is read (as dtnd's handler awaits each
 * send), so a client that does not read stops being read from, and one that reads nothing for 30 s is disconnected.
 * The unknown-command reply echoes the command, so each 512 KiB command would queue a 512 KiB reply.
 */
class WsBackpressureTest {

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void aClientThatDoesNotReadCannotMakeTheServerQueueRepliesWithoutBound() throws Exception {
        try (ApiServer server = new ApiServer(new SimpleNode("dtn://n1/"), ApiOptions.loopback(0)).start();
             Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            OutputStream out = s.getOutputStream();
            RawWebSocket.upgrade(out, "/ws");
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            long before = usedHeapAfterGc();

            int size = 512 << 10;
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) 'a');
            payload[0] = '/';
            byte[] frameHead = new byte[2 + 8 + 4]; // FIN text, masked, 64-bit length, mask key 0
            frameHead[0] = (byte) 0x81;
            frameHead[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frameHead[2 + i] = (byte) ((long) size >>> (56 - 8 * i));
            }
            int commands = 500; // 250 MiB of commands, answered with 250 MiB of replies nobody reads
            java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < commands; i++) {
                        out.write(frameHead);
                        out.write(payload);
                        written.incrementAndGet();
                    }
                    out.flush();
                } catch (java.io.IOException e) {
                    // the server stopped reading or closed: the writes block or fail, which is fine
                }
            });
            writer.join(10_000); // a server that stops reading us blocks the writer here
            Thread.sleep(2000);
            long after = usedHeapAfterGc();
            long grownMiB = (after - before) >> 20;
            assertThat(grownMiB).as("MiB of heap the server holds for one client that does not read").isLessThan(64);
        }
    }

    /**
     * A subscribed client that stops reading (and answering pings) while a large delivery is being written: the
     * heartbeat closes it after 30 s of silence, and since the close frame waits behind the unread frame, the
     * connection is dropped a few seconds later instead of staying (with the delivery waiting on it) until the idle
     * timeout, 10 minutes.
     */
    @Test
    void aSilentClientBehindAnUnreadDeliveryIsDisconnected() throws Exception {
        SimpleNode node = new SimpleNode("dtn://n1/");
        node.register("dtn://n1/inbox");
        try (ApiServer server = new ApiServer(node, ApiOptions.loopback(0)).start(); Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            OutputStream out = s.getOutputStream();
            RawWebSocket.upgrade(out, "/ws");
            out.write(RawWebSocket.maskedText("/subscribe inbox"));
            out.flush();
            long deadline;
            Thread.sleep(500);
            assertThat(server.webSocketSessions()).as("session up").isEqualTo(1);
            node.send(new SendSpec("dtn://n1/", "dtn://n1/inbox", 3_600_000, 0, 0, new byte[16 << 20]));
            // from here the client reads nothing and answers no ping
            deadline = System.currentTimeMillis() + WsSession.SILENCE_LIMIT_MS + WsSession.CLOSE_WAIT_MS + 10_000;
            while (server.webSocketSessions() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(server.webSocketSessions()).as("sessions left after the silence limit and the close wait")
                    .isZero();
        }
    }
}
