package io.dtn7j.daemon.cli.tools;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtn7j echo}: an echo service like dtn7-rs's dtnecho2. Registers {@code echo} ({@code 7} on an ipn node),
 * subscribes over the WebSocket in data mode and sends every received payload back to its source.
 */
@Command(name = "echo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an echo service (like dtn7-rs's dtnecho2): registers the local endpoint 'echo' (7 on an ipn " +
                           "node) and answers every bundle that arrives there with a bundle carrying the same payload back " +
                           "to its source. Prints '.' per echo (details with -v). Runs until interrupted, the daemon goes " +
                           "away, or --count echoes were sent."},
        footer = {"",
            "Exit codes: 0 --count echoes sent; 1 the WebSocket closed or failed; 2 usage error; 3 the daemon" +
                " refused a request; 4 daemon unreachable."})
public final class EchoCommand extends ToolCommand {

    @Option(names = {"-e", "--endpoint"}, paramLabel = "NAME",
            description = "Service name (or full EID) to answer on (default: echo, or 7 on an ipn node).")
    String endpoint;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Exit after N echoes; 0 runs until interrupted (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = {"-l", "--lifetime"}, paramLabel = "DURATION", defaultValue = "24h",
            description = "Lifetime of the echo bundles (default: ${DEFAULT-VALUE}).")
    String lifetime;

    @Option(names = {"-v", "--verbose"}, description = "Print each bundle's ID, source and payload on standard error.")
    boolean verbose;

    /** For the CLI. */
    public EchoCommand() {
        this(ToolIo.system());
    }

    /**
     * With explicit streams (tests).
     *
     * @param io the streams to use
     */
    public EchoCommand(ToolIo io) {
        super(io);
    }

    @Override
    int run() throws ApiException {
        Duration life;
        try {
            life = Durations.parse(lifetime);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        ToolIo io = io();
        long echoed = 0;
        try (DataEndpoint ep = DataEndpoint.open(api.client(io), endpoint, "echo", "7", io, verbose)) {
            io.err().println("echo service on " + ep.eid() + " (Ctrl-C to stop)");
            while (count <= 0 || echoed < count) {
                WsData.Recv r = ep.receive(Duration.ofSeconds(30));
                if (r == null) {
                    continue;
                }
                if (verbose) {
                    io.err().println("Bundle-Id: " + r.bid() + " // From: " + r.src() + " / To: " + r.dst()
                            + " / " + r.data().length + " bytes");
                }
                ep.send(r.dst(), r.src(), life, r.data());
                echoed++;
                if (!verbose) {
                    io.out().print('.');
                    io.out().flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!verbose && echoed > 0) {
            io.out().println();
        }
        io.err().println(echoed + " bundle(s) echoed");
        return ExitCodes.OK;
    }
}
