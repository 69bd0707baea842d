package io.dtn7j.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dtn7.toml keys, humantime durations, peer URLs and CLA specs. */
class ConfigTest {
    @TempDir
    Path tmp;

    private Path sample() throws Exception {
        Path p = tmp.resolve("dtn7.toml");
        try (var in = ConfigTest.class.getResourceAsStream("/dtn7-sample.toml")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @Test
    void readsDtn7TomlKeys() throws Exception {
        DaemonConfig c = new DaemonConfig();
        TomlConfig.apply(sample(), c);
        assertThat(c.nodeId).isEqualTo("dtn://node7/");
        assertThat(c.generateStatusReports).isTrue();
        assertThat(c.beaconPeriod).isTrue();
        assertThat(c.workdir).isEqualTo(Path.of("/tmp/dtn7j-sample"));
        assertThat(c.db).isEqualTo("sqlite");
        assertThat(c.webPort).isEqualTo(3017);
        assertThat(c.routing).isEqualTo("sprayandwait");
        assertThat(c.routingOptions).containsEntry("sprayandwait.num_copies", "5");
        assertThat(c.janitorMs).isEqualTo(5_000);
        assertThat(c.discoveryIntervalMs).isEqualTo(3_000);
        assertThat(c.peerTimeoutMs).isEqualTo(60_000);
        assertThat(c.discoveryPort).isEqualTo(3013);
        assertThat(c.discoveryDestinations).containsExactly("224.0.0.26:3013", "192.168.1.255");
        assertThat(c.staticPeers).containsExactly("mtcp://192.168.2.101/node2", "tcp://10.0.0.3:4223/node3");
        assertThat(c.endpoints).containsExactly("incoming", "dtn://global/~news");
        assertThat(c.clas).extracting(DaemonConfig.ClaSpec::name).containsExactly("mtcp", "tcp");
        assertThat(c.clas.get(0).port(0)).isEqualTo(16163);
        assertThat(c.clas.get(1).options()).containsEntry("refuse-existing-bundles", "true");
        assertThat(c.globalClaOptions).containsEntry("tcp", Map.of("keepalive", "30"));
        assertThat(c.services).containsEntry(63, "hello");
    }

    @Test
    void commandLineOverridesTheFile() throws Exception {
        var cmd = new picocli.CommandLine(new io.dtn7j.daemon.DaemonCommand());
        cmd.parseArgs("-c", sample().toString(), "-n", "23", "-w", "3999", "-C", "udp:port=4999", "-i", "0",
                "-r", "epidemic", "-s", "mtcp://127.0.0.1:1/x", "--crc", "32", "--strict", "--api-bind", "0.0.0.0",
                "--token", "secret", "-e", "more");
        DaemonConfig c = ((io.dtn7j.daemon.DaemonCommand) cmd.getCommand()).buildConfig();
        assertThat(c.nodeId).isEqualTo("ipn:23.0");
        assertThat(c.webPort).isEqualTo(3999);
        assertThat(c.clas).containsExactly(new DaemonConfig.ClaSpec("udp", Map.of("port", "4999")));
        assertThat(c.discoveryIntervalMs).isZero();
        assertThat(c.routing).isEqualTo("epidemic");
        assertThat(c.staticPeers).contains("mtcp://127.0.0.1:1/x", "tcp://10.0.0.3:4223/node3");
        assertThat(c.endpoints).containsExactly("incoming", "dtn://global/~news", "more");
        assertThat(c.crc).isEqualTo("32");
        assertThat(c.validationPolicy()).isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.STRICT);
        assertThat(c.apiBind).isEqualTo("0.0.0.0");
        assertThat(c.token).isEqualTo("secret");
        assertThat(c.generateStatusReports).isTrue(); // from the file, not lost as in dtnd
    }

    @Test
    void dtn7goDiscoveryIsOffByDefaultAndSwitchedOnByFlagOrToml() throws Exception {
        assertThat(parse().dtn7goDiscovery).isFalse();
        DaemonConfig flag = parse("--dtn7go-discovery", "--discovery-interface", "lo");
        assertThat(flag.dtn7goDiscovery).isTrue();
        assertThat(flag.discoveryInterfaces).containsExactly("lo");
        Path toml = Files.writeString(tmp.resolve("go.toml"), "[discovery]\ndtn7go = true\n");
        DaemonConfig file = new DaemonConfig();
        TomlConfig.apply(toml, file);
        assertThat(file.dtn7goDiscovery).isTrue();
    }

    private static DaemonConfig parse(String... args) throws Exception {
        var cmd = new picocli.CommandLine(new io.dtn7j.daemon.DaemonCommand());
        cmd.parseArgs(args);
        return ((io.dtn7j.daemon.DaemonCommand) cmd.getCommand()).buildConfig();
    }

    @Test
    void maxApiConnectionsOption() throws Exception {
        assertThat(parse().maxApiConnections).isEqualTo(1024);
        assertThat(parse("--max-api-connections", "16").maxApiConnections).isEqualTo(16);
        assertThatThrownBy(() -> parse("--max-api-connections", "0"))
                .hasMessageContaining("--max-api-connections must be positive");
    }

    @Test
    void validationOptionPicksThePolicy() throws Exception {
        assertThat(parse().validationPolicy()).isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.DEFAULT);
        assertThat(parse("--validation", "lenient").validationPolicy())
                .isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.LENIENT);
        assertThat(parse("--validation", "STRICT").validationPolicy())
                .isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.STRICT);
        assertThat(parse("--validation", "default").validationPolicy())
                .isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.DEFAULT);
        assertThat(parse("--strict").validationPolicy()).isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.STRICT);
        assertThat(parse("--strict", "--validation", "strict").validationPolicy())
                .isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.STRICT);
        assertThatThrownBy(() -> parse("--validation", "parse-only")).hasMessageContaining("--validation 'parse-only'")
                .hasMessageContaining("lenient");
        assertThatThrownBy(() -> parse("--strict", "--validation", "lenient")).hasMessageContaining("--strict");
        assertThat(io.dtn7j.daemon.Main.commandLine().execute("daemon", "--validation", "loose", "-D", "mem")).isEqualTo(2);

        // the TOML key, and the command line over it
        Path f = tmp.resolve("lenient.toml");
        Files.writeString(f, "validation = \"lenient\"\n");
        DaemonConfig c = new DaemonConfig();
        TomlConfig.apply(f, c);
        assertThat(c.validationPolicy()).isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.LENIENT);
        assertThat(parse("-c", f.toString()).validationPolicy()).isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.LENIENT);
        assertThat(parse("-c", f.toString(), "--strict").validationPolicy())
                .isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.STRICT);
        Files.writeString(f, "strict = true\n");
        DaemonConfig s = new DaemonConfig();
        TomlConfig.apply(f, s);
        assertThat(s.validationPolicy()).isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.STRICT);
        assertThat(parse("-c", f.toString(), "--validation", "lenient").validationPolicy())
                .isEqualTo(io.dtn7j.bundle.codec.ValidationPolicy.LENIENT);
        Files.writeString(f, "strict = true\nvalidation = \"lenient\"\n");
        assertThatThrownBy(() -> TomlConfig.apply(f, new DaemonConfig())).hasMessageContaining("contradicts");
    }

    @Test
    void defaultsAreTheEmbeddedOnes() throws Exception {
        var cmd = new picocli.CommandLine(new io.dtn7j.daemon.DaemonCommand());
        cmd.parseArgs();
        DaemonConfig c = ((io.dtn7j.daemon.DaemonCommand) cmd.getCommand()).buildConfig();
        assertThat(c.db).isEqualTo("sqlite");
        assertThat(c.workdir).isEqualTo(Path.of("dtn7j-data"));
        assertThat(c.routing).isEqualTo("epidemic");
        assertThat(c.clas).extracting(DaemonConfig.ClaSpec::name).containsExactly("mtcp", "tcp");
        assertThat(c.discoveryIntervalMs).isEqualTo(2_000);
        assertThat(c.apiBind).isEqualTo("127.0.0.1");
        assertThat(c.webPort).isEqualTo(3000);
        assertThat(c.crc).as("RFC 9171 §4.3.1: bundles this node creates carry a CRC by default").isEqualTo("32");
        assertThat(c.nodeId).isNull();
        assertThat(DaemonConfig.randomNodeId()).matches("dtn://[A-Za-z][A-Za-z0-9]{9}/");
    }

    @Test
    void badValuesSayWhatIsWrong() throws Exception {
        Path bad = tmp.resolve("bad.toml");
        Files.writeString(bad, "[core]\njanitor = \"often\"\n");
        assertThatThrownBy(() -> TomlConfig.apply(bad, new DaemonConfig()))
                .hasMessageContaining("core.janitor").hasMessageContaining("often");
        Files.writeString(bad, "webport = [\n");
        assertThatThrownBy(() -> TomlConfig.apply(bad, new DaemonConfig())).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> TomlConfig.apply(tmp.resolve("missing.toml"), new DaemonConfig()))
                .hasMessageContaining("does not exist");
        var cmd = new picocli.CommandLine(new io.dtn7j.daemon.DaemonCommand());
        cmd.parseArgs("--crc", "64");
        assertThatThrownBy(() -> ((io.dtn7j.daemon.DaemonCommand) cmd.getCommand()).buildConfig())
                .hasMessageContaining("--crc '64'");
        assertThatThrownBy(() -> DaemonConfig.nodeIdFrom("not a node!")).hasMessageContaining("node ID");
        assertThatThrownBy(() -> DaemonConfig.ClaSpec.parse("tcp:port")).hasMessageContaining("key=value");
    }

    @Test
    void claOptionValuesMayBeUrls() {
        assertThat(DaemonConfig.ClaSpec.parse("dtn7rs-rest:url=http://127.0.0.1:3000:poll-interval-ms=500"))
                .isEqualTo(new DaemonConfig.ClaSpec("dtn7rs-rest",
                        Map.of("url", "http://127.0.0.1:3000", "poll-interval-ms", "500")));
        assertThat(DaemonConfig.ClaSpec.parse("dtn7rs-rest:url=http://[::1]:3000/").options())
                .containsEntry("url", "http://[::1]:3000/");
        assertThatThrownBy(() -> DaemonConfig.ClaSpec.parse("tcp:port=1:4556")).hasMessageContaining("key=value");
    }

    @Test
    void daemonCommandExitsWith2OnBadOptions() {
        int rc = io.dtn7j.daemon.Main.commandLine().execute("daemon", "--crc", "7", "-D", "mem");
        assertThat(rc).isEqualTo(2);
    }

    @Test
    void humantime() {
        assertThat(Humantime.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Humantime.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Humantime.parse("2days")).isEqualTo(Duration.ofDays(2));
        assertThat(Humantime.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Humantime.parse("0")).isZero();
        assertThat(Humantime.format(Duration.ofSeconds(90))).isEqualTo("1m 30s");
        assertThat(Humantime.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThatThrownBy(() -> Humantime.parse("10 parsecs")).hasMessageContaining("parsecs");
        assertThatThrownBy(() -> Humantime.parse("86400000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void peerUrls() {
        PeerUrl u = PeerUrl.parse("mtcp://192.168.2.101:16163/node2");
        assertThat(u).isEqualTo(new PeerUrl("mtcp", "192.168.2.101", 16163, "dtn://node2/"));
        assertThat(PeerUrl.parse("tcp://[::1]:4556/23")).isEqualTo(new PeerUrl("tcp", "::1", 4556, "ipn:23.0"));
        assertThat(PeerUrl.parse("http://example.org/n/o/d/e")).isEqualTo(new PeerUrl("http", "example.org", 0, "dtn://node/"));
        assertThat(PeerUrl.parse(u.toString())).isEqualTo(u);
        for (String bad : List.of("", "node2", "mtcp://host", "mtcp://host:99999/n", "mtcp://:1/n", "mtcp://h/bad name",
                "m tcp://h/n", "mtcp://h:x/n")) {
            assertThatThrownBy(() -> PeerUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void eclaKeysOfDtn7Toml() throws Exception {
        Path p = tmp.resolve("ecla.toml");
        Files.writeString(p, "[ecla]\nenabled = true\ntcp_port = 7263\n");
        DaemonConfig c = new DaemonConfig();
        TomlConfig.apply(p, c);
        assertThat(c.ecla).isTrue();
        assertThat(c.eclaTcpPort).isEqualTo(7263);
        Files.writeString(p, "[ecla]\nenabled = false\ntcp_port = 0\n");
        DaemonConfig off = new DaemonConfig();
        TomlConfig.apply(p, off);
        assertThat(off.ecla).isFalse();
        assertThat(off.eclaTcpPort).isNull();
        Files.writeString(p, "[ecla]\ntcp_port = 70000\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TomlConfig.apply(p, new DaemonConfig()))
                .hasMessageContaining("ecla.tcp_port");
    }
}
