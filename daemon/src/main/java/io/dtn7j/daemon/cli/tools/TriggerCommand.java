package io.dtn7j.daemon.cli.tools;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtn7j trigger}: runs a command for every bundle arriving at an endpoint, like dtn7-rs's dtntrigger: the
 * command's words, then the bundle's source EID, then the path of a temporary file holding the payload.
 */
@Command(name = "trigger", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a command for each bundle that arrives at an endpoint (like dtn7-rs's dtntrigger). Registers" +
                           " the endpoint, subscribes over the WebSocket in bundle mode and, for each bundle, runs",
            "  <command words...> <source EID> <payload file>",
            "with the payload in a temporary file that is deleted afterwards. The command also gets the " +
                "environment variables DTN_BUNDLE_ID, DTN_SOURCE, DTN_DESTINATION, DTN_PAYLOAD_FILE, " +
                "DTN_PAYLOAD_SIZE and DTN_CREATION_TIME (RFC 3339). Administrative records are skipped. The " +
                "command's output is shown when it fails or with -v."},
        footer = {"",
            "Exit codes: 0 --count bundles handled; 1 the WebSocket closed or failed; 2 usage error; 3 the " +
                "daemon refused a request; 4 daemon unreachable. A failing command does not stop the trigger."})
public final class TriggerCommand extends ToolCommand {

    @Option(names = {"-e", "--endpoint"}, required = true, paramLabel = "ENDPOINT",
            description = "Local endpoint, e.g. 'incoming', or a group endpoint 'dtn://helpers/~incoming'.")
    String endpoint;

    @Option(names = {"-c", "--command"}, paramLabel = "COMMAND", defaultValue = "echo",
            description = "Command to run, split at spaces; source EID and payload file are appended (default: ${DEFAULT-VALUE}).")
    String command;

    @Option(names = "--print", description = "Do not run a command; print '[<time>] <source> -> <payload>' for each bundle.")
    boolean print;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Exit after N bundles; 0 runs until interrupted (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = {"-v", "--verbose"}, description = "Print each bundle ID and the command's status and output.")
    boolean verbose;

    /** For the CLI. */
    public TriggerCommand() {
        this(ToolIo.system());
    }

    /**
     * With explicit streams (tests).
     *
     * @param io the streams to use
     */
    public TriggerCommand(ToolIo io) {
        super(io);
    }

    @Override
    int run() throws ApiException {
        String[] words = command.strip().split("\\s+");
        if (!print && (words.length == 0 || words[0].isEmpty())) {
            throw usageError("-c/--command must not be empty");
        }
        ToolIo io = io();
        DtnApiClient client = api.client(io);
        LocalEndpoint.register(client, endpoint);
        long handled = 0;
        try (WsSession ws = LocalEndpoint.subscribe(client, "bundle", endpoint)) {
            io.err().println("[*] waiting for bundles to " + endpoint);
            while (count <= 0 || handled < count) {
                WsSession.Message m = ws.next(Duration.ofSeconds(30));
                if (m == null) {
                    continue;
                }
                switch (m) {
                    case WsSession.Text t -> io.err().println("[!] unexpected message from the daemon: " + t.text());
                    case WsSession.Binary b -> {
                        if (handle(b.data(), words)) {
                            handled++;
                        }
                    }
                    case WsSession.Closed c -> throw ApiException.failure(
                            "the daemon closed the WebSocket (" + c.code() + " " + c.reason() + ")", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    /** Handles one binary frame; true if it was a bundle with a payload. */
    private boolean handle(byte[] frame, String[] words) throws ApiException {
        ToolIo io = io();
        Bundle bundle;
        try {
            bundle = BundleCodec.decode(frame, DecodeOptions.PARSE_ONLY);
        } catch (BundleException e) {
            io.err().println("[!] the daemon sent an undecodable bundle (" + frame.length + " bytes): " + e.getMessage());
            return false;
        }
        if (bundle.isAdministrativeRecord()) {
            io.err().println("[!] skipping administrative record " + bundle.id());
            return false;
        }
        if (!bundle.hasPayload()) {
            io.err().println("[!] bundle " + bundle.id() + " has no payload");
            return false;
        }
        if (verbose) {
            io.err().println("[<] Received Bundle-Id: " + bundle.id());
        }
        if (print) {
            io.out().println("[" + DateTimeFormatter.ISO_INSTANT.format(Instant.now()) + "] " + bundle.source().uri()
                    + " -> " + new String(bundle.payload().toByteArray(), StandardCharsets.UTF_8));
            io.out().flush();
            return true;
        }
        Path file = null;
        try {
            file = Files.createTempFile("dtn7j-trigger-", ".payload");
            try (OutputStream out = Files.newOutputStream(file)) {
                bundle.payload().writeTo(out);
            }
            List<String> cmd = new ArrayList<>(Arrays.asList(words));
            cmd.add(bundle.source().uri());
            cmd.add(file.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Map<String, String> env = pb.environment();
            env.put("DTN_BUNDLE_ID", bundle.id().toString());
            env.put("DTN_SOURCE", bundle.source().uri());
            env.put("DTN_DESTINATION", bundle.destination().uri());
            env.put("DTN_PAYLOAD_FILE", file.toString());
            env.put("DTN_PAYLOAD_SIZE", Long.toString(bundle.payload().size()));
            env.put("DTN_CREATION_TIME", DateTimeFormatter.ISO_INSTANT.format(
                    DtnTime.toInstant(bundle.creation().dtnTimeMs())));
            pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            Path outCapture = Files.createTempFile("dtn7j-trigger-", ".out");
            Path errCapture = Files.createTempFile("dtn7j-trigger-", ".err");
            try {
                pb.redirectOutput(outCapture.toFile()).redirectError(errCapture.toFile());
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    io.err().println("[!] Error executing command: " + e.getMessage());
                    return true;
                }
                int status = p.waitFor();
                if (status != 0 || verbose) {
                    io.out().println("[*] status: exit status: " + status);
                    io.out().write(Files.readAllBytes(outCapture));
                    io.out().flush();
                    io.err().write(Files.readAllBytes(errCapture));
                    io.err().flush();
                }
            } finally {
                Files.deleteIfExists(outCapture);
                Files.deleteIfExists(errCapture);
            }
            return true;
        } catch (IOException e) {
            throw ApiException.failure("cannot hand the payload to the command: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.failure("interrupted while the command ran", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // temp file stays behind
                }
            }
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
