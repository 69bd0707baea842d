package io.dtn7j.daemon.cli.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/** Runs a tool in-process with captured streams (also used by the daemon package's end-to-end tests). */
public final class ToolRun {

    /** The outcome of one run. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        /** Standard output as UTF-8 text. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + stderr;
        }
    }

    private ToolRun() {
    }

    /** Runs {@code tool} with {@code args}, environment {@code env} and standard input {@code stdin}. */
    public static Result run(Function<ToolIo, Object> tool, Map<String, String> env, InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream pout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream perr = new PrintStream(err, true, StandardCharsets.UTF_8);
        ToolIo io = new ToolIo(stdin, pout, perr, env);
        CommandLine cl = new CommandLine(tool.apply(io));
        cl.setOut(new PrintWriter(pout, true));
        cl.setErr(new PrintWriter(perr, true));
        int rc = cl.execute(args);
        pout.flush();
        perr.flush();
        return new Result(rc, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code tool} with {@code args}, an empty environment and empty standard input. */
    public static Result run(Function<ToolIo, Object> tool, String... args) {
        return run(tool, Map.of(), new ByteArrayInputStream(new byte[0]), args);
    }
}
