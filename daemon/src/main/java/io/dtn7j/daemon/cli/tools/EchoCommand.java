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
        DtnApiClient client = api.client(io);
        String nodeId = client.nodeId();
        String service = LocalEndpoint.serviceName(nodeId, endpoint, "echo", "7");
        LocalEndpoint.register(client, service);
        long echoed = 0;
        try (WsSession ws = LocalEndpoint.subscribe(client, "data", service)) {
            io.err().println("echo service on " + LocalEndpoint.eid(nodeId, service) + " (Ctrl-C to stop)");
            while (count <= 0 || echoed < count) {
                WsSession.Message m = ws.next(Duration.ofSeconds(30));
                if (m == null) {
                    continue;
                }
                switch (m) {
                    case WsSession.Text t -> {
                        if (!t.text().startsWith("200")) {
                            io.err().println("[!] " + t.text());
                        } else if (verbose) {
                            io.err().println("[<] " + t.text());
                        }
                    }
                    case WsSession.Binary b -> {
                        WsData.Recv r;
                        try {
                            r = WsData.decodeRecv(b.data());
                        } catch (ApiException e) {
                            io.err().println("[!] " + e.getMessage());
                            continue;
                        }
                        if (verbose) {
                            io.err().println("Bundle-Id: " + r.bid() + " // From: " + r.src() + " / To: " + r.dst()
                                    + " / " + r.data().length + " bytes");
                        }
                        ws.sendBinary(new WsData.Send(r.dst(), r.src(), false, life.toMillis(), r.data()).encode());
                        echoed++;
                        if (!verbose) {
                            io.out().print('.');
                            io.out().flush();
                        }
                    }
                    case WsSession.Closed c -> throw ApiException.failure(
                            "the daemon closed the WebSocket (" + c.code() + " " + c.reason() + ")", null);
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
