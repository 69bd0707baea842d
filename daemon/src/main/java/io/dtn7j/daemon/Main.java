package io.dtn7j.daemon;

import io.dtn7j.daemon.cli.bundle.BundleCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code dtn7j} command: dispatches to its subcommands. */
@Command(name = "dtn7j", mixinStandardHelpOptions = true, version = "dtn7j 0.1.0-SNAPSHOT",
        description = "A DTN Bundle Protocol version 7 (RFC 9171) node and its tools.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DaemonCommand.class,
            io.dtn7j.daemon.cli.tools.SendCommand.class,
            io.dtn7j.daemon.cli.tools.RecvCommand.class,
            io.dtn7j.daemon.cli.tools.QueryCommand.class,
            io.dtn7j.daemon.cli.tools.PingCommand.class,
            io.dtn7j.daemon.cli.tools.EchoCommand.class,
            io.dtn7j.daemon.cli.tools.TriggerCommand.class,
            BundleCommand.class,
        })
public final class Main implements Runnable {

    /** Creates the top-level command; picocli runs its subcommands. */
    public Main() {
    }

    /**
     * Runs the CLI and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** {@return the configured command line, for tests that run the CLI in-process} */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
