package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryCommandTest {

    private FakeDtnd dtnd;

    @BeforeEach
    void start() throws Exception {
        dtnd = new FakeDtnd("dtn://node1/");
    }

    @AfterEach
    void stop() throws Exception {
        dtnd.close();
    }

    private ToolRun.Result query(String... args) {
        // the API options belong to the subcommand: they follow it
        String[] reordered = new String[args.length + 2];
        reordered[0] = args[0];
        reordered[1] = "-p";
        reordered[2] = Integer.toString(dtnd.port());
        System.arraycopy(args, 1, reordered, 3, args.length - 1);
        return ToolRun.run(QueryCommand::new, reordered);
    }

    @Test
    void nodeIdPrintsTheHeaderAndTheReply() {
        ToolRun.Result r = query("nodeid");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Local node ID:\ndtn://node1/\n");
        assertThat(dtnd.requests).extracting(FakeDtnd.Request::target).containsExactly("/status/nodeid");
    }

    @Test
    void quietLeavesOutTheHeader() {
        ToolRun.Result r = query("nodeid", "-q");
        assertThat(r.out()).isEqualTo("dtn://node1/\n");
    }

    @Test
    void eachSubcommandCallsItsRoute() {
        assertThat(query("eids").out()).startsWith("Listing registered endpoint IDs:\n[\n  \"dtn://node1/\"\n]");
        assertThat(query("peers").out()).startsWith("Listing of known peers:\n{").contains("\"//node2/\"");
        assertThat(query("store").out()).startsWith("Listing of bundles status in store:\n");
        assertThat(query("info").out()).startsWith("Daemon info:\n{").contains("\"incoming\": 0");
        assertThat(query("bundles").out()).isEqualTo("Listing of bundles in store:\n[]\n");
        assertThat(query("bundles", "-v").exitCode()).isZero();
        assertThat(query("bundles", "-d").out()).isEqualTo("Digest of bundles in store:\nda39a3ee5e6b4b0d3255bfef95601890afd80709\n");
        assertThat(query("bundles", "-a", "dtn://node1/").exitCode()).isZero();
        assertThat(query("bundles", "-a", "node 1", "-d").out()).endsWith("digest-of-0\n");
        assertThat(dtnd.requests).extracting(FakeDtnd.Request::target).containsExactly(
                "/status/eids", "/status/peers", "/status/store", "/status/info", "/status/bundles",
                "/status/bundles/verbose", "/status/bundles/digest",
                "/status/bundles/filtered?addr=dtn%3A%2F%2Fnode1%2F", "/status/bundles/filtered/digest?addr=node+1");
    }

    @Test
    void conflictingOptionsAreUsageErrors() {
        ToolRun.Result r = query("bundles", "-v", "-d");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("either -v or -d");
        assertThat(ToolRun.run(QueryCommand::new, "nonsense").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(dtnd.requests).isEmpty();
    }

    @Test
    void dtnWebPortOverridesDashP() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        ToolRun.Result r = ToolRun.run(QueryCommand::new, Map.of("DTN_WEB_PORT", Integer.toString(dtnd.port())),
                new ByteArrayInputStream(new byte[0]), "nodeid", "-p", Integer.toString(unused));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dtn://node1/");
    }

    @Test
    void anUnreachableDaemonGivesExitCode4AndAHint() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        ToolRun.Result r = ToolRun.run(QueryCommand::new, "nodeid", "-p", Integer.toString(unused));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.stderr()).contains("cannot reach the daemon at http://127.0.0.1:" + unused).contains("is it running?");
    }

    @Test
    void aDaemonErrorGivesExitCode3WithItsMessage() {
        dtnd.requiredToken = "s3cret";
        ToolRun.Result r = query("nodeid");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(r.stderr()).contains("HTTP 401 missing or wrong bearer token");
        ToolRun.Result ok = query("nodeid", "--token", "s3cret");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(dtnd.requests.get(0).headers()).containsEntry("authorization", "Bearer s3cret");
    }
}
