package io.dtn7j.daemon.cli.tools;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtn7j recv}: fetches a bundle from the daemon like dtn7-rs's dtnrecv: the next bundle queued for an
 * endpoint ({@code GET /endpoint?<ep>}) or any stored bundle by ID ({@code GET /download?<id>}); also registers,
 * unregisters and deletes.
 */
@Command(name = "recv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Receive a bundle (like dtn7-rs's dtnrecv) and write its payload to standard output or a file; or" +
                           " manage endpoints and bundles. Exactly one of -e, -b, -r, -u, -d. With -w it polls until a " +
                           "bundle arrives. Large bundles stream to disk with progress on standard error."},
        footer = {"",
            "Exit codes: 0 ok (also 'nothing to receive' without -v, as dtnrecv); 23 nothing to receive with " +
                "-v, or the daemon answered with an error status (dtnrecv's code); 1 failure (undecodable bundle," +
                " file error, -w timeout); 2 usage error; 4 daemon unreachable."})
public final class RecvCommand extends ToolCommand {

    static final String NOTHING = "Nothing to receive";

    /** What to do (exactly one). */
    static final class Action {
        @Option(names = {"-e", "--endpoint"}, paramLabel = "ENDPOINT",
                description = "Fetch the next bundle for a local endpoint, e.g. 'incoming' or 'dtn://helpers/~incoming' (GET /endpoint).")
        String endpoint;

        @Option(names = {"-b", "--bid"}, paramLabel = "BUNDLE-ID", description = "Download any stored bundle by its ID (GET /download).")
        String bid;

        @Option(names = {"-r", "--register"}, paramLabel = "ENDPOINT", description = "Register an endpoint (GET /register).")
        String register;

        @Option(names = {"-u", "--unregister"}, paramLabel = "ENDPOINT", description = "Unregister an endpoint (GET /unregister).")
        String unregister;

        @Option(names = {"-d", "--delete"}, paramLabel = "BUNDLE-ID", description = "Delete a stored bundle (GET /delete).")
        String delete;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    @Option(names = {"-o", "--outfile"}, paramLabel = "FILE", description = "Write the payload (or with --raw the bundle) to FILE instead of standard output.")
    Path outfile;

    @Option(names = {"-x", "--hex"}, description = "Print the whole bundle in hex instead of the payload.")
    boolean hex;

    @Option(names = "--raw", description = "Write the whole bundle (CBOR) instead of the payload.")
    boolean raw;

    @Option(names = {"-w", "--wait"}, description = "With -e: poll until a bundle arrives (see --timeout, --poll-interval).")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0s",
            description = "With -w: give up after this long; 0s waits forever (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "500ms",
            description = "With -w: time between polls (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--no-progress", description = "Do not print progress for large bundles.")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Explain what happens (on standard error); exit 23 when there is nothing to receive.")
    boolean verbose;

    /** For the CLI. */
    public RecvCommand() {
        this(ToolIo.system());
    }

    /**
     * With explicit streams (tests).
     *
     * @param io the streams to use
     */
    public RecvCommand(ToolIo io) {
        super(io);
    }

    @Override
    int run() throws ApiException {
        if (hex && raw) {
            throw usageError("choose either -x/--hex or --raw, not both");
        }
        if (await && action.endpoint == null) {
            throw usageError("-w/--wait only works with -e/--endpoint");
        }
        ToolIo io = io();
        DtnApiClient client = api.client(io);
        if (action.register != null) {
            return simple(client, "/register?" + DtnApiClient.rawQuery(action.register));
        }
        if (action.unregister != null) {
            return simple(client, "/unregister?" + DtnApiClient.rawQuery(action.unregister));
        }
        if (action.delete != null) {
            return simple(client, "/delete?" + DtnApiClient.rawQuery(action.delete));
        }
        String path = action.endpoint != null ? "/endpoint?" + DtnApiClient.rawQuery(action.endpoint)
                : "/download?" + DtnApiClient.rawQuery(action.bid);
        if (!await) {
            return fetch(client, path, false);
        }
        Duration limit;
        Duration every;
        try {
            limit = Durations.parse(timeout);
            every = Durations.parse(pollInterval);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        long deadline = limit.isZero() ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        while (true) {
            int rc = fetch(client, path, true);
            if (rc != ExitCodes.RECV_NOTHING) {
                return rc;
            }
            if (System.nanoTime() + every.toNanos() > deadline) {
                throw ApiException.failure("nothing arrived for " + action.endpoint + " within " + timeout, null);
            }
            try {
                Thread.sleep(Math.max(1, every.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.failure("interrupted", e);
            }
        }
    }

    private int simple(DtnApiClient client, String path) throws ApiException {
        DtnApiClient.Response r = client.get(path);
        if (r.status() != 200) {
            io().err().println(displayName() + ": the daemon answered GET " + path + " with HTTP " + r.status() + " " + r.text().strip());
            return ExitCodes.RECV_NOTHING;
        }
        io().out().println(r.text().strip());
        return ExitCodes.OK;
    }

    /** One fetch; returns RECV_NOTHING when polling and nothing is there. */
    private int fetch(DtnApiClient client, String path, boolean polling) throws ApiException {
        ToolIo io = io();
        Path tmp;
        try {
            tmp = Files.createTempFile("dtn7j-recv-", ".bundle");
        } catch (IOException e) {
            throw ApiException.failure("cannot create a temporary file: " + e.getMessage(), e);
        }
        try {
            DtnApiClient.Response r;
            Progress progress = noProgress ? Progress.NONE : new Progress(io.err(), "received");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                r = client.download(path, out, progress);
            }
            if (r.status() != 200) {
                io.err().println(displayName() + ": the daemon answered GET " + path + " with HTTP " + r.status() + " " + r.text().strip());
                return ExitCodes.RECV_NOTHING;
            }
            long size = Files.size(tmp);
            if (size == NOTHING.length() && Arrays.equals(Files.readAllBytes(tmp), NOTHING.getBytes(StandardCharsets.US_ASCII))) {
                if (polling) {
                    return ExitCodes.RECV_NOTHING;
                }
                if (verbose) {
                    io.err().println("Nothing to fetch.");
                    return ExitCodes.RECV_NOTHING;
                }
                return ExitCodes.OK;
            }
            return output(ByteSource.ofFile(tmp), size);
        } catch (IOException e) {
            throw ApiException.failure("cannot store the received bundle: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // temp file stays behind
            }
        }
    }

    private int output(ByteSource bundleBytes, long size) throws ApiException, IOException {
        ToolIo io = io();
        if (hex) {
            if (size > Integer.MAX_VALUE / 2) {
                throw ApiException.failure("the bundle (" + size + " bytes) is too large for hex output; use --raw", null);
            }
            io.out().println(HexFormat.of().formatHex(bundleBytes.toByteArray()));
            return ExitCodes.OK;
        }
        ByteSource data;
        if (raw) {
            data = bundleBytes;
        } else {
            Bundle bundle;
            try {
                bundle = BundleCodec.decode(bundleBytes, DecodeOptions.PARSE_ONLY);
            } catch (BundleException e) {
                throw ApiException.failure("the daemon sent something that is not a bundle (" + size + " bytes): " + e.getMessage(), e);
            }
            if (!bundle.hasPayload()) {
                throw ApiException.failure("bundle " + bundle.id() + " has no payload block", null);
            }
            if (verbose) {
                io.err().println("Bundle-Id: " + bundle.id() + " // From: " + bundle.source().uri() + " / To: "
                        + bundle.destination().uri());
            }
            data = bundle.payload();
        }
        if (outfile != null) {
            try (OutputStream out = Files.newOutputStream(outfile)) {
                data.writeTo(out);
            }
            if (verbose) {
                io.err().println("Wrote " + data.size() + " bytes to " + outfile);
            }
        } else {
            try (InputStream in = data.openStream()) {
                in.transferTo(io.out());
            }
            io.out().flush();
        }
        return ExitCodes.OK;
    }
}
