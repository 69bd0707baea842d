package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.agent.AgentConfig;
import io.dtn7j.core.agent.BundleProtocolAgent;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.RecordingClaContext;
import io.dtn7j.core.peer.Peer;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that completes SESS_INIT and closes at once: the session must report the link up before its reader can see
 * the end of the stream and report it down, or the agent keeps a link (and a LINK peer) that never goes down, one
 * more for every such connection a hostile peer makes.
 */
class TcpclLinkEventOrderTest {

    @TempDir
    Path tmp;

    /** Contact header and SESS_INIT with {@code nodeId}, as one write. */
    private static byte[] hello(String nodeId) {
        byte[] ch = ContactHeader.v4(false).encode();
        byte[] init = new TcpclMessage.SessInit(30, 1 << 20, 1 << 20, nodeId, List.of()).encode();
        byte[] hello = new byte[ch.length + init.length];
        System.arraycopy(ch, 0, hello, 0, ch.length);
        System.arraycopy(init, 0, hello, ch.length, init.length);
        return hello;
    }

    /** Connects, sends {@code hello}, reads the node's contact header and SESS_INIT, and closes at once. */
    private static void connectAndLeave(int port, byte[] hello) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(5000);
            s.getOutputStream().write(hello);
            TcpclMessageReader r = new TcpclMessageReader(new DataInputStream(s.getInputStream()), 1 << 20, 1 << 16);
            r.readContactHeader();
            r.readMessage();
        }
    }

    @Test
    void linkUpNeverFollowsLinkDownOfTheSameSession() throws Exception {
        RecordingClaContext ctx = new RecordingClaContext(tmp);
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofSeconds(2))
                .build();
        try (TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options)) {
            cla.start(ctx);
            byte[] hello = hello("dtn://quick/");
            for (int i = 0; i < 300; i++) {
                connectAndLeave(cla.port(), hello);
            }
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end && !cla.sessions().isEmpty()) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            // per address: the last event must be "down" (every session ended)
            Map<String, String> last = new HashMap<>();
            List<String> downBeforeUp = new ArrayList<>();
            for (String e : ctx.linkEvents) {
                String addr = e.substring(e.indexOf(' ') + 1);
                if (e.startsWith("up") && "down".equals(last.get(addr))) {
                    downBeforeUp.add(addr);
                }
                last.put(addr, e.startsWith("up") ? "up" : "down");
            }
            List<String> stillUp = last.entrySet().stream().filter(x -> x.getValue().equals("up"))
                    .map(Map.Entry::getKey).toList();
            assertThat(cla.sessions()).as("sessions left").isEmpty();
            assertThat(stillUp).as("links reported up to the agent although their session ended (linkDown came first: %s)",
                    downBeforeUp).isEmpty();
        }
    }

    /**
     * The same against the real agent: peers that connect, send SESS_INIT with a fresh node ID and close at once leave
     * no peer behind (the agent keeps a LINK peer for as long as its link is up, so one reported up after it was
     * reported down would never expire).
     */
    @Test
    void agentKeepsNoPeerOfASessionThatEnded() throws Exception {
        ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).frameTimeout(Duration.ofSeconds(2))
                .build();
        TcpclConvergenceLayer cla = new TcpclConvergenceLayer(options);
        try (BundleProtocolAgent a = BundleProtocolAgent.start(AgentConfig.builder("dtn://node/")
                .convergenceLayer(cla).build())) {
            for (int i = 0; i < 300; i++) {
                connectAndLeave(cla.port(), hello("dtn://phantom-" + i + "/"));
            }
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end && !cla.sessions().isEmpty()) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            assertThat(cla.sessions()).as("sessions left").isEmpty();
            List<String> phantoms = a.peers().stream().map(Peer::key).toList();
            assertThat(phantoms).as("peers the agent keeps although every session with them ended").isEmpty();
        }
    }
}
