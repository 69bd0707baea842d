package io.dtn7j.daemon.cli.tools;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * The process environment a tool runs in: standard streams and environment variables. The CLI uses
 * {@link #system()}; tests pass their own to capture output.
 *
 * @param in  standard input (payloads for {@code send})
 * @param out standard output (results, payloads)
 * @param err standard error (progress, diagnostics)
 * @param env environment variables ({@code DTN_WEB_PORT})
 */
public record ToolIo(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

    /** Validates and copies. */
    public ToolIo {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
    }

    /** {@return the real process streams and environment} */
    public static ToolIo system() {
        return new ToolIo(System.in, System.out, System.err, System.getenv());
    }
}
