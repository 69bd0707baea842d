package io.dtn7j.daemon.cli.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the client tools: API options, the {@link ToolIo}, and uniform error handling (an {@link ApiException}
 * becomes a one-line message on standard error and its exit code).
 */
abstract class ToolCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Spec
    CommandSpec spec;

    private final ToolIo io;

    ToolCommand(ToolIo io) {
        this.io = io;
    }

    /** Streams and environment of this run. */
    ToolIo io() {
        return io;
    }

    /** "dtn7j send", "dtn7j query peers", ... */
    String displayName() {
        return spec.qualifiedName();
    }

    @Override
    public final Integer call() {
        ToolIo io = io();
        try {
            return run();
        } catch (ApiException e) {
            io.err().println(displayName() + ": " + e.getMessage());
            return e.exitCode();
        } finally {
            io.out().flush();
            io.err().flush();
        }
    }

    /** The tool's work; returns its exit code. */
    abstract int run() throws ApiException;

    /** A usage error: picocli prints it with the usage hint and exits with {@link ExitCodes#USAGE}. */
    picocli.CommandLine.ParameterException usageError(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }
}
