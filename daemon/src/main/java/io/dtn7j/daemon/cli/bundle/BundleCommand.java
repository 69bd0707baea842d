package io.dtn7j.daemon.cli.bundle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dtn7j bundle}: create, inspect and generate BPv7 bundles. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = "Create, inspect and generate BPv7 bundles (RFC 9171).",
        subcommands = {CreateCommand.class, InspectCommand.class, RandomCommand.class})
public final class BundleCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** Creates the command; picocli sets its options from the command line. */
    public BundleCommand() {
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
