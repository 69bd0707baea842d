package io.dtn7j.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.LocalEndpoint;
import io.dtn7j.core.api.Message;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bundle exchange with a real ION-DTN node (JPL, C) on loopback, both directions, over STCP and UDP.
 *
 * <p>Each test configures and starts a fresh ION node {@code ipn:2.0} in a temporary directory (ionadmin,
 * bpadmin, ipnadmin), with an induct on an ephemeral loopback port and an egress plan to the dtn7j node
 * {@code ipn:1.0} running in-process. ION sends with {@code bpsendfile} and receives with {@code bprecvfile};
 * the exact payload bytes are compared. ION is shut down with {@code bpadmin .} and {@code ionadmin .} after
 * each test.
 *
 * <p>Runs only with {@code -Ddtn7j.interop=true} and {@code ION_HOME} (environment variable or system
 * property) naming an ION installation prefix (with {@code bin/ionadmin}); see docs/INTEROP.md.
 */
@EnabledIfSystemProperty(named = "dtn7j.interop", matches = "true")
class IonInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path bin;
    private PeerProcesses ion;
    private boolean ionStarted;
    private Set<String> ipcBefore = Set.of();

    /** ION's default working-memory key (65281) as {@code ipcs} prints it. */
    private static final String ION_WM_KEY = "0x0000ff01";

    @BeforeEach
    void locateIon() {
        String home = PeerProcesses.setting("ION_HOME");
        assumeTrue(home != null, "ION_HOME is not set: point it at an ION installation prefix (see docs/INTEROP.md)");
        bin = Path.of(home, "bin");
        assumeTrue(Files.isExecutable(bin.resolve("ionadmin")), "ION_HOME=" + home + " has no bin/ionadmin");
        String path = bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        String libs = Path.of(home, "lib") + ":" + System.getenv().getOrDefault("LD_LIBRARY_PATH", "");
        ion = new PeerProcesses(dir, Map.of("PATH", path, "LD_LIBRARY_PATH", libs));
    }

    @AfterEach
    void stopIon() throws Exception {
        if (ion == null) {
            return;
        }
        try {
            if (ionStarted) {
                ion.run("bpadmin .", null, TIMEOUT, bin.resolve("bpadmin").toString(), ".");
                ion.run("ionadmin .", null, TIMEOUT, bin.resolve("ionadmin").toString(), ".");
                printIonLog();
            }
        } finally {
            ion.close();
            if (ionStarted) {
                removeIonIpc();
            }
        }
    }

    /**
     * ION keeps its SDR and working memory in System V shared memory and its semaphores in /dev/shm after
     * {@code ionadmin .}; a next start would find the old node's state. Removes the segments that appeared
     * since {@link #startIon} and ION's named semaphores (what ION's own {@code killm} script removes).
     */
    private void removeIonIpc() throws IOException, InterruptedException {
        Set<String> now = sharedMemoryKeys();
        now.removeAll(ipcBefore);
        for (String key : now) {
            ion.run("ipcrm " + key, null, TIMEOUT, "ipcrm", "-M", key);
        }
        try (var files = Files.list(Path.of("/dev/shm"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("sem.ion:GLOBAL")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The keys of the System V shared memory segments that exist now. */
    private Set<String> sharedMemoryKeys() throws IOException, InterruptedException {
        PeerProcesses.Child ipcs = ion.run("ipcs", null, TIMEOUT, "ipcs", "-m");
        Set<String> keys = new HashSet<>();
        for (String l : ipcs.output()) {
            String[] f = l.trim().split("\\s+");
            if (f.length > 1 && f[0].startsWith("0x") && !f[0].equals("0x00000000")) {
                keys.add(f[0]);
            }
        }
        return keys;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stcp", "udp"})
    void ionSendsToDtn7j(String cla) throws Exception {
        int ionPort = "udp".equals(cla) ? PeerProcesses.freeUdpPort() : PeerProcesses.freeTcpPort();
        try (DtnNode node = node(cla, ionPort)) {
            LocalEndpoint incoming = node.register("1");
            startIon(cla, ionPort, node.port(cla));

            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] payload = payload(i, 100 + 700 * i);
                Path file = Files.write(dir.resolve("out" + i), payload);
                ion.run("bpsendfile", null, TIMEOUT, bin.resolve("bpsendfile").toString(), "ipn:2.2", "ipn:1.1",
                        file.toString());
                sent.add(payload);
            }

            for (byte[] expected : sent) {
                Message m = incoming.receive().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                System.out.println("[dtn7j] received from ION: " + m.primaryBlock());
                assertThat(m.source()).isEqualTo("ipn:2.2");
                assertThat(m.destination()).isEqualTo("ipn:1.1");
                assertThat(HexFormat.of().formatHex(m.payload())).isEqualTo(HexFormat.of().formatHex(expected));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stcp", "udp"})
    void dtn7jSendsToIon(String cla) throws Exception {
        int ionPort = "udp".equals(cla) ? PeerProcesses.freeUdpPort() : PeerProcesses.freeTcpPort();
        try (DtnNode node = node(cla, ionPort)) {
            LocalEndpoint sender = node.register("7");
            startIon(cla, ionPort, node.port(cla));
            int count = 3;
            PeerProcesses.Child recv = ion.start("bprecvfile", null, bin.resolve("bprecvfile").toString(), "ipn:2.1",
                    Integer.toString(count));
            Thread.sleep(500); // bprecvfile opens its endpoint; ION queues for ipn:2.1 anyway ('q')

            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] payload = payload(100 + i, 50 + 900 * i);
                sender.send(payload, "ipn:2.1", false);
                sent.add(payload);
            }

            assertThat(recv.awaitExit(TIMEOUT)).isZero();
            for (int i = 0; i < count; i++) {
                Path file = dir.resolve("testfile" + (i + 1));
                assertThat(file).exists();
                assertThat(HexFormat.of().formatHex(Files.readAllBytes(file)))
                        .as("payload of the %d. bundle ION received", i + 1)
                        .isEqualTo(HexFormat.of().formatHex(sent.get(i)));
            }
        }
    }

    private DtnNode node(String cla, int ionPort) {
        return DtnNode.builder("ipn:1.0").withoutMtcp().discovery(false)
                .convergenceLayer(ConvergenceLayers.create(cla, ClaOptions.builder().bindHost("127.0.0.1").port(0).build()))
                .peer(cla + "://127.0.0.1:" + ionPort + "/2")
                .start();
    }

    /** Starts ION node 2 with an induct on {@code ionPort} and an egress plan to dtn7j's {@code jPort}. */
    private void startIon(String cla, int ionPort, int jPort) throws IOException, InterruptedException {
        ipcBefore = sharedMemoryKeys();
        assumeTrue(!ipcBefore.contains(ION_WM_KEY), "an ION node seems to run on this host already (shared memory key "
                + ION_WM_KEY + " exists): stop it (ionstop/killm) before running this test");
        // ION's default shared-memory keys: a second key needs ION's multi-instance set-up (ION_NODE_LIST_DIR).
        ion.write("node.ionconfig", """
                wmSize 5000000
                configFlags 1
                heapWords 2000000
                """);
        Path ionrc = ion.write("node.ionrc", """
                1 2 node.ionconfig
                s
                m horizon +0
                """);
        Path bprc = ion.write("node.bprc", """
                1
                a scheme ipn 'ipnfw' 'ipnadminep'
                a endpoint ipn:2.0 x
                a endpoint ipn:2.1 q
                a endpoint ipn:2.2 q
                a protocol %1$s
                a induct %1$s 127.0.0.1:%2$d %1$scli
                a outduct %1$s 127.0.0.1:%3$d %1$sclo
                s
                """.formatted(cla, ionPort, jPort));
        Path ipnrc = ion.write("node.ipnrc", "a plan 1 %s/127.0.0.1:%d\n".formatted(cla, jPort));
        ionStarted = true;
        ion.run("ionadmin", null, TIMEOUT, bin.resolve("ionadmin").toString(), ionrc.toString());
        ion.run("bpadmin", null, TIMEOUT, bin.resolve("bpadmin").toString(), bprc.toString());
        ion.run("ipnadmin", null, TIMEOUT, bin.resolve("ipnadmin").toString(), ipnrc.toString());
        Thread.sleep(1000); // the induct task binds its port after bpadmin returns
    }

    private void printIonLog() throws IOException {
        Path log = dir.resolve("ion.log");
        if (Files.exists(log)) {
            for (String l : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                System.out.println("[ion.log] " + l);
            }
        }
    }

    private static byte[] payload(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
