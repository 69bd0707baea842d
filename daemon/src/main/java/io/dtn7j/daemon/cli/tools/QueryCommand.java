package io.dtn7j.daemon.cli.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dtn7j query}: asks the daemon about itself, like dtn7-rs's dtnquery. Each subcommand prints a header line
 * (unless {@code -q}) and then the daemon's reply as it is.
 */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Query a running daemon (like dtn7-rs's dtnquery): registered endpoints, peers, bundles, store " +
                           "state, statistics, node ID. Prints a header line, then the daemon's reply unchanged."},
        subcommands = {QueryCommand.Eids.class, QueryCommand.Peers.class, QueryCommand.Bundles.class,
            QueryCommand.Store.class, QueryCommand.Info.class, QueryCommand.NodeId.class},
        footer = {"",
            "Exit codes: 0 ok, 2 usage error, 3 the daemon answered with an error, 4 daemon unreachable, 1 " +
                "other failures."})
public final class QueryCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    final ToolIo io;

    /** For the CLI. */
    public QueryCommand() {
        this(ToolIo.system());
    }

    /**
     * With explicit streams (tests).
     *
     * @param io the streams to use
     */
    public QueryCommand(ToolIo io) {
        this.io = io;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: one of eids, peers, bundles, store, info, nodeid");
    }

    /** Shared behaviour: GET a route, print header and body. */
    abstract static class Sub extends ToolCommand {
        @ParentCommand
        QueryCommand parent;

        @Option(names = {"-q", "--quiet"}, description = "Print only the daemon's reply, without the header line.")
        boolean quiet;

        Sub() {
            super(ToolIo.system());
        }

        @Override
        ToolIo io() {
            return parent.io;
        }

        @Override
        int run() throws ApiException {
            ToolIo out = io();
            DtnApiClient client = api.client(out);
            String body = client.getText(path());
            if (!quiet) {
                out.out().println(header());
            }
            out.out().println(body);
            return ExitCodes.OK;
        }

        abstract String header();

        abstract String path() throws ApiException;
    }

    /** {@code query eids}. */
    @Command(name = "eids", mixinStandardHelpOptions = true, description = "List registered endpoint IDs (GET /status/eids).")
    static final class Eids extends Sub {
        String header() {
            return "Listing registered endpoint IDs:";
        }

        String path() {
            return "/status/eids";
        }
    }

    /** {@code query peers}. */
    @Command(name = "peers", mixinStandardHelpOptions = true, description = "List known peers as JSON (GET /status/peers).")
    static final class Peers extends Sub {
        String header() {
            return "Listing of known peers:";
        }

        String path() {
            return "/status/peers";
        }
    }

    /** {@code query bundles}. */
    @Command(name = "bundles", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"List the IDs of the bundles in the store (GET /status/bundles). -v lists source, destination, " +
                               "creation time and size (/status/bundles/verbose); -d prints the SHA-1 digest instead " +
                               "(/status/bundles/digest); -a keeps only bundles whose source or destination contains ADDR " +
                               "(/status/bundles/filtered[/digest])."})
    static final class Bundles extends Sub {
        @Option(names = {"-v", "--verbose"}, description = "Verbose listing: \"<src> <dst> <creation DTN ms> <size>\" per bundle.")
        boolean verbose;

        @Option(names = {"-d", "--digest"}, description = "Print the digest of the bundle IDs instead of the list.")
        boolean digest;

        @Option(names = {"-a", "--addr"}, paramLabel = "ADDR", description = "Only bundles whose source or destination EID contains ADDR.")
        String addr;

        String header() {
            return digest ? "Digest of bundles in store:" : "Listing of bundles in store:";
        }

        String path() throws ApiException {
            if (addr != null) {
                if (verbose) {
                    throw usageError("-v cannot be combined with -a (the daemon has no verbose filtered listing)");
                }
                return "/status/bundles/filtered" + (digest ? "/digest" : "") + "?addr=" + DtnApiClient.param(addr);
            }
            if (verbose && digest) {
                throw usageError("choose either -v or -d, not both");
            }
            return verbose ? "/status/bundles/verbose" : digest ? "/status/bundles/digest" : "/status/bundles";
        }
    }

    /** {@code query store}. */
    @Command(name = "store", mixinStandardHelpOptions = true, description = "List the store's bundles with their processing state (GET /status/store).")
    static final class Store extends Sub {
        String header() {
            return "Listing of bundles status in store:";
        }

        String path() {
            return "/status/store";
        }
    }

    /** {@code query info}. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Daemon statistics as JSON (GET /status/info).")
    static final class Info extends Sub {
        String header() {
            return "Daemon info:";
        }

        String path() {
            return "/status/info";
        }
    }

    /** {@code query nodeid}. */
    @Command(name = "nodeid", mixinStandardHelpOptions = true, description = "The daemon's node ID (GET /status/nodeid).")
    static final class NodeId extends Sub {
        String header() {
            return "Local node ID:";
        }

        String path() {
            return "/status/nodeid";
        }
    }
}
