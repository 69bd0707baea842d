package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.daemon.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The tools are registered in the dtn7j command and explain every option. */
class CliHelpTest {

    @Test
    void mainRegistersTheClientTools() {
        assertThat(Main.commandLine().getSubcommands()).containsKeys("send", "recv", "query", "ping", "echo", "trigger");
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "recv", "query", "ping", "echo", "trigger"})
    void helpDescribesEveryOptionAndTheExitCodes(String tool) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int rc = cl.execute(tool, "--help");
        assertThat(rc).isZero();
        String help = out.toString();
        assertThat(help).contains("Usage: dtn7j " + tool).contains("Exit codes:");
        CommandLine sub = cl.getSubcommands().get(tool);
        for (OptionSpec o : sub.getCommandSpec().options()) {
            assertThat(o.description()).as(tool + " " + o.longestName()).isNotEmpty();
            assertThat(String.join(" ", o.description())).as(tool + " " + o.longestName()).isNotBlank();
            assertThat(help).contains(o.longestName());
        }
    }

    @Test
    void queryHelpListsItsSubcommands() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.execute("query", "--help");
        assertThat(out.toString()).contains("eids", "peers", "bundles", "store", "info", "nodeid");
        CommandLine bundles = cl.getSubcommands().get("query").getSubcommands().get("bundles");
        for (OptionSpec o : bundles.getCommandSpec().options()) {
            assertThat(String.join(" ", o.description())).as("bundles " + o.longestName()).isNotBlank();
        }
    }
}
