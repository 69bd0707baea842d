package io.dtn7j.core.cla.large;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayers;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TestBundles;
import io.dtn7j.core.cla.TestClaContext;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 1 GiB bundle over TCPCLv4 and MTCP to a receiver in a child JVM limited to {@code -Xmx128m}: the bundle
 * must arrive intact, which it can only do when it is streamed to a spool file. Part of the default run (about 15 s
 * and 2 GiB of temporary files), since it is one of the convergence layers' acceptance checks.
 */
class LargeTransferTest {

    static final long PAYLOAD = 1L << 30;

    @TempDir
    Path tmp;

    /** Writes a bundle with a {@code PAYLOAD}-byte payload to {@code file}, streaming. */
    static void writeBigBundle(Path file) throws Exception {
        CborWriter w = new CborWriter();
        w.writeIndefiniteArray();
        w.writeArrayHeader(8).writeUnsigned(7).writeUnsigned(0).writeUnsigned(0);
        w.writeArrayHeader(2).writeUnsigned(1).writeTextString("//receiver/in");
        w.writeArrayHeader(2).writeUnsigned(1).writeTextString("//src/app");
        w.writeArrayHeader(2).writeUnsigned(1).writeTextString("//src/app");
        w.writeArrayHeader(2).writeUnsigned(800_000_000_000L).writeUnsigned(1);
        w.writeUnsigned(3_600_000);
        w.writeArrayHeader(5).writeUnsigned(1).writeUnsigned(1).writeUnsigned(0).writeUnsigned(0);
        w.writeByteStringHeader(PAYLOAD);
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(w.toByteArray());
            for (long done = 0; done < PAYLOAD; done += block.length) {
                block[0] = (byte) (done >>> 20); // every MiB differs
                out.write(block);
            }
            out.write(0xff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "mtcp"})
    void oneGibibyteToAReceiverWith128MiBHeap(String cla) throws Exception {
        Path bundleFile = tmp.resolve("big.bundle");
        writeBigBundle(bundleFile);
        ByteSource encoded = ByteSource.ofFile(bundleFile);
        String expected = TestClaContext.sha256(encoded);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                LargeTransferReceiver.class.getName(), cla, tmp.resolve("spool").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).startsWith("PORT ");
            int port = Integer.parseInt(first.substring(5).trim());
            ClaOptions options = ClaOptions.builder().bindHost("127.0.0.1").port(0).maxBundleSize(2L << 30).build();
            try (ConvergenceLayer sender = ConvergenceLayers.create(cla, options)) {
                sender.start(new TestClaContext("dtn://sender/", tmp.resolve("spool-s")));
                long t0 = System.nanoTime();
                sender.send(new ClaAddress(cla, "127.0.0.1", port), new OutgoingBundle(TestBundles.id(1), encoded));
                String line = out.readLine();
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s: 1 GiB bundle delivered in %.1f s (%.0f MiB/s) to a -Xmx128m receiver: %s%n",
                        cla, secs, encoded.size() / secs / (1 << 20), line);
                assertThat(line).isNotNull().startsWith("RECEIVED " + encoded.size() + " " + expected);
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

}
