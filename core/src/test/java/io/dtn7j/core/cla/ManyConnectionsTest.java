package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.cla.mtcp.MtcpFraming;
import io.dtn7j.core.cla.stcp.StcpFraming;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hundreds of connections open at once into one node over the length-framed adapters (MTCP as dtn7-go keeps it open,
 * STCP as ION and HDTN do): every connection delivers a bundle while all the others stay open, and the node serves
 * them without a platform thread per connection.
 */
class ManyConnectionsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mtcp", "stcp"})
    void hundredsOfOpenConnectionsCostNoPlatformThreadEach(String cla) throws Exception {
        int connections = 400;
        LongFunction<byte[]> header = cla.equals("mtcp") ? MtcpFraming::header : StcpFraming::header;
        TestClaContext ctx = new TestClaContext("dtn://many/", tmp.resolve("spool"));
        ConvergenceLayer node = ConvergenceLayers.create(cla, ClaOptions.builder().bindHost("127.0.0.1").port(0)
                .idleTimeout(Duration.ofMinutes(2)).build());
        List<Socket> sockets = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            node.start(ctx);
            int platformBefore = threads.getThreadCount();
            for (int i = 0; i < connections; i++) {
                Socket s = new Socket("127.0.0.1", LoopbackPair.address(node).port());
                s.setTcpNoDelay(true);
                sockets.add(s);
            }
            for (int i = 0; i < connections; i++) { // each sends while all are open, and keeps its connection
                byte[] bundle = TestBundles.encoded(200, 20_000 + i);
                OutputStream out = sockets.get(i).getOutputStream();
                out.write(header.apply(bundle.length));
                out.write(bundle);
                out.flush();
            }
            Set<Long> got = new HashSet<>();
            for (int i = 0; i < connections; i++) {
                got.add(ctx.take(Duration.ofSeconds(10)).id().creation().sequence());
            }
            assertThat(got).hasSize(connections);
            assertThat(ctx.rejected).isEmpty();
            assertThat(sockets).noneMatch(Socket::isClosed);
            // carrier and poller threads may be added as load comes, but nothing in proportion to the connections
            assertThat(threads.getThreadCount() - platformBefore)
                    .as("platform threads added for %d open %s connections", connections, cla).isLessThan(16);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            node.close();
        }
    }
}
