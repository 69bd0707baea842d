package io.dtn7j.daemon.cli.tools;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dtn7j send}: builds a bundle locally and hands it to the daemon with {@code POST /insert}, exactly as
 * dtn7-rs's dtnsend does (flags 0x20004, hop limit 32, no CRC, creation timestamp from {@code GET /cts}).
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a file or standard input as a bundle (like dtn7-rs's dtnsend). The bundle is built here " +
                           "(source = the daemon's node ID unless -s, creation timestamp from GET /cts, flags 0x20004, hop " +
                           "limit 32, no CRC) and handed to the daemon with POST /insert. Large payloads are streamed from " +
                           "the file, with progress on standard error."},
        footer = {"",
            "Output: 'Bundle-Id: <id>', the bundle in hex with -v or -D, 'Result: <daemon reply>', 'Time: " +
                "<creation time>'. Exit codes: 0 sent; 1 failure (unreadable file, ...); 2 usage error; 3 the " +
                "daemon rejected the bundle; 4 daemon unreachable."})
public final class SendCommand extends ToolCommand {

    /** Bundle flags of dtnsend's bundles: must not fragment + delivery report requested. */
    static final long DTNSEND_FLAGS = BundleFlags.MUST_NOT_FRAGMENT | BundleFlags.REPORT_DELIVERY;
    private static final long HEX_LIMIT = 1 << 20;

    @Option(names = {"-r", "--receiver"}, required = true, paramLabel = "EID", description = "Destination EID, e.g. dtn://node2/incoming.")
    String receiver;

    @Option(names = {"-s", "--sender"}, paramLabel = "EID",
            description = "Source EID (default: the daemon's node ID). The daemon drops bundles whose source is not one of its endpoints.")
    String sender;

    @Option(names = {"-l", "--lifetime"}, paramLabel = "SECONDS", defaultValue = "3600",
            description = "Bundle lifetime in seconds (default: ${DEFAULT-VALUE}).")
    long lifetimeSeconds;

    @Option(names = {"-D", "--dryrun"}, description = "Build the bundle and print it in hex, but do not send it.")
    boolean dryRun;

    @Option(names = {"-v", "--verbose"}, description = "Also print the bundle in hex (bundles up to 1 MiB).")
    boolean verbose;

    @Option(names = "--no-progress", description = "Do not print progress for large payloads.")
    boolean noProgress;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "File with the payload (default: standard input).")
    Path infile;

    /** For the CLI. */
    public SendCommand() {
        this(ToolIo.system());
    }

    /**
     * With explicit streams (tests).
     *
     * @param io the streams to use
     */
    public SendCommand(ToolIo io) {
        super(io);
    }

    @Override
    int run() throws ApiException {
        EndpointId dst = parseEid(receiver, "-r/--receiver");
        if (dst.isNone()) {
            throw usageError("-r/--receiver must not be dtn:none");
        }
        if (lifetimeSeconds < 0 || lifetimeSeconds > Long.MAX_VALUE / 1000) {
            throw usageError("-l/--lifetime must be a non-negative number of seconds");
        }
        ToolIo io = io();
        Path spooled = null;
        try {
            ByteSource payload;
            if (infile != null) {
                if (!Files.isRegularFile(infile)) {
                    throw ApiException.failure("cannot read " + infile + ": not a regular file", null);
                }
                payload = ByteSource.ofFile(infile);
            } else {
                spooled = Files.createTempFile("dtn7j-send-", ".payload");
                try (OutputStream out = Files.newOutputStream(spooled)) {
                    io.in().transferTo(out);
                }
                payload = ByteSource.ofFile(spooled);
            }
            return send(io, dst, payload);
        } catch (IOException e) {
            throw ApiException.failure("cannot read the payload: " + e.getMessage(), e);
        } finally {
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException e) {
                    // temp file stays behind
                }
            }
        }
    }

    private int send(ToolIo io, EndpointId dst, ByteSource payload) throws ApiException {
        DtnApiClient client = dryRun && sender != null ? null : api.client(io);
        EndpointId src = sender != null ? parseEid(sender, "-s/--sender") : parseEid(client.nodeId(), "the daemon's node ID");
        long[] cts = client != null ? client.creationTimestamp() : new long[] {DtnTime.now(), 0};
        Bundle bundle;
        try {
            bundle = Bundle.builder().source(src).destination(dst).reportTo(src).creation(cts[0], cts[1])
                    .lifetimeMs(lifetimeSeconds * 1000).flags(DTNSEND_FLAGS).crcType(CrcType.NONE).hopLimit(32)
                    .payload(payload).build();
        } catch (BundleException | IllegalArgumentException | IllegalStateException e) {
            throw ApiException.failure("cannot build the bundle: " + e.getMessage(), e);
        }
        long size = BundleCodec.encodedSize(bundle);
        io.out().println("Bundle-Id: " + bundle.id());
        if (verbose || dryRun) {
            if (size <= HEX_LIMIT) {
                io.out().println(HexFormat.of().formatHex(BundleCodec.encode(bundle)));
            } else {
                io.out().println("(bundle of " + size + " bytes; hex output is limited to " + HEX_LIMIT + " bytes)");
            }
        }
        if (!dryRun) {
            Progress progress = noProgress ? Progress.NONE : new Progress(io.err(), "sent");
            progress.start(size);
            DtnApiClient.Response r = client.post("/insert", size, () -> encodedStream(bundle, progress));
            progress.finish();
            if (r.status() != 200) {
                throw ApiException.rejected("POST /insert", r.status(), r.text());
            }
            io.out().println("Result: " + r.text().strip());
        }
        io.out().println("Time: " + DateTimeFormatter.ISO_INSTANT.format(DtnTime.toInstant(cts[0])));
        return ExitCodes.OK;
    }

    private EndpointId parseEid(String text, String what) {
        try {
            return EndpointId.parse(text.strip());
        } catch (RuntimeException e) {
            throw usageError(what + " \"" + text + "\" is not an endpoint ID: " + e.getMessage());
        }
    }

    /** The encoded bundle as a stream, produced by a virtual thread (the payload is never held in memory whole). */
    private static InputStream encodedStream(Bundle bundle, Progress progress) {
        if (BundleCodec.encodedSize(bundle) <= HEX_LIMIT) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try {
                BundleCodec.encodeTo(bundle, buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress.advance(buf.size());
            return new java.io.ByteArrayInputStream(buf.toByteArray());
        }
        try {
            PipedInputStream in = new PipedInputStream(1 << 16);
            PipedOutputStream out = new PipedOutputStream(in);
            Thread.ofVirtual().name("dtn7j-send-encoder").start(() -> {
                try (out) {
                    BundleCodec.encodeTo(bundle, out);
                } catch (IOException e) {
                    // the reader side reports the broken pipe
                }
            });
            return new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        progress.advance(n);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
