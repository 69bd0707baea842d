package io.dtn7j.daemon.cli.tools;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtn7j ping}: sends bundles to an echo endpoint and prints round-trip times like ping(8). Options as dtn7-rs's
 * dtnping ({@code -d -s -c -t}); it registers {@code ping} ({@code 7007} on an ipn node) and uses the WebSocket data
 * mode.
 */
@Command(name = "ping", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ping an echo endpoint (e.g. one run by 'dtn7j echo' or dtn7-rs's dtnecho2) and print round-trip " +
                           "times like ping(8), then a summary. Registers the local endpoint 'ping' (7007 on an ipn node), " +
                           "sends each ping as a bundle over the daemon's WebSocket in data mode and waits for the echo " +
                           "before sending the next."},
        footer = {"",
            "Exit codes: 0 every ping answered; 1 some or all pings unanswered (as ping(8)); 2 usage error; 3" +
                " the daemon refused a request; 4 daemon unreachable."})
public final class PingCommand extends ToolCommand {

    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    @Option(names = {"-d", "--dst"}, required = true, paramLabel = "EID", description = "Destination to ping, e.g. dtn://node2/echo.")
    String dst;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "64",
            description = "Payload size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "-1",
            description = "Number of pings to send; 0 or negative pings until interrupted (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for each reply: 500ms, 10s, 2m, ... (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", defaultValue = "1s",
            description = "Pause between a reply and the next ping (default: ${DEFAULT-VALUE}, as dtnping).")
    String interval;

    @Option(names = {"-e", "--endpoint"}, paramLabel = "NAME",
            description = "Local service name to send from and receive replies on (default: ping, or 7007 on an ipn node).")
    String endpoint;

    @Option(names = {"-l", "--lifetime"}, paramLabel = "DURATION", defaultValue = "24h",
            description = "Lifetime of each ping bundle (default: ${DEFAULT-VALUE}).")
    String lifetime;

    @Option(names = {"-v", "--verbose"}, description = "Print the daemon's replies and each echo's bundle ID on standard error.")
    boolean verbose;

    private final SecureRandom random = new SecureRandom();
    private final List<Double> rtts = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile long transmitted;
    private volatile long received;
    private final java.util.concurrent.atomic.AtomicBoolean summaryPrinted = new java.util.concurrent.atomic.AtomicBoolean();

    /** For the CLI. */
    public PingCommand() {
        this(ToolIo.system());
    }

    /**
     * With explicit streams (tests).
     *
     * @param io the streams to use
     */
    public PingCommand(ToolIo io) {
        super(io);
    }

    /** Round-trip statistics. */
    record Stats(long transmitted, long received, List<Double> rttsMs) {
        double min() {
            return rttsMs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        }

        double max() {
            return rttsMs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        double avg() {
            return rttsMs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        }

        /** Mean deviation as ping(8) prints it: sqrt(mean(x²) − mean(x)²). */
        double mdev() {
            double avg = avg();
            double sq = rttsMs.stream().mapToDouble(x -> x * x).average().orElse(0);
            return Math.sqrt(Math.max(0, sq - avg * avg));
        }
    }

    @Override
    int run() throws ApiException {
        Duration replyTimeout;
        Duration pause;
        Duration life;
        try {
            replyTimeout = Durations.parse(timeout);
            pause = Durations.parse(interval);
            life = Durations.parse(lifetime);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        if (size < 1 || size > 64 << 20) {
            throw usageError("--size must be between 1 and 67108864 bytes");
        }
        try {
            io.dtn7j.bundle.EndpointId.parse(dst);
        } catch (RuntimeException e) {
            throw usageError("--dst \"" + dst + "\" is not an endpoint ID: " + e.getMessage());
        }
        ToolIo io = io();
        DtnApiClient client = api.client(io);
        // like ping(8), print the summary when interrupted (Ctrl-C) during an endless run
        Thread hook = count <= 0 && io.out() == System.out ? new Thread(() -> printSummary(io)) : null;
        Stats stats;
        try (DataEndpoint ep = DataEndpoint.open(client, endpoint, "ping", "7007", io, verbose)) {
            if (hook != null) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            io.out().printf(Locale.ROOT, "PING %s from %s: %d bytes of payload%n", dst, ep.eid(), size);
            io.out().flush();
            stats = pingLoop(ep, replyTimeout, pause, life);
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // shutting down (the hook prints the summary), or never added
                }
            }
        }
        printSummary(io);
        return stats.received() == stats.transmitted() && stats.transmitted() > 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private void printSummary(ToolIo io) {
        if (!summaryPrinted.compareAndSet(false, true)) {
            return;
        }
        Stats stats = new Stats(transmitted, received, List.copyOf(rtts));
        io.out().println();
        io.out().printf(Locale.ROOT, "--- %s ping statistics ---%n", dst);
        long lossPct = stats.transmitted() == 0 ? 0 : (stats.transmitted() - stats.received()) * 100 / stats.transmitted();
        io.out().printf(Locale.ROOT, "%d bundles transmitted, %d received, %d%% loss%n", stats.transmitted(), stats.received(), lossPct);
        if (stats.received() > 0) {
            io.out().printf(Locale.ROOT, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n",
                    stats.min(), stats.avg(), stats.max(), stats.mdev());
        }
        io.out().flush();
    }

    private Stats pingLoop(DataEndpoint ep, Duration replyTimeout, Duration pause, Duration life) throws ApiException {
        ToolIo io = io();
        Map<String, long[]> pending = new HashMap<>(); // payload -> {seq, sentNanos}
        try {
            for (long seq = 1; count <= 0 || seq <= count; seq++) {
                String payload = randomPayload(seq);
                byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
                pending.put(payload, new long[] {seq, System.nanoTime()});
                ep.send(ep.eid(), dst, life, data);
                transmitted++;
                long deadline = System.nanoTime() + replyTimeout.toNanos();
                boolean answered = false;
                while (!answered) {
                    WsData.Recv r = ep.receive(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    if (r == null) {
                        io.out().printf(Locale.ROOT, "no reply for seq=%d within %s%n", seq, timeout);
                        io.out().flush();
                        break;
                    }
                    long[] sent = pending.remove(new String(r.data(), StandardCharsets.US_ASCII));
                    if (sent == null) {
                        if (verbose) {
                            io.err().println("[!] ignoring a bundle that answers no ping: " + r.bid());
                        }
                        continue;
                    }
                    double ms = (System.nanoTime() - sent[1]) / 1e6;
                    rtts.add(ms);
                    received++;
                    io.out().printf(Locale.ROOT, "%d bytes from %s: seq=%d time=%.3f ms%s%n", r.data().length, r.src(),
                            sent[0], ms, sent[0] == seq ? "" : " (late)");
                    io.out().flush();
                    if (verbose) {
                        io.err().println("Bundle-Id: " + r.bid() + " // From: " + r.src() + " / To: " + r.dst());
                    }
                    answered = sent[0] == seq;
                }
                if (answered && (count <= 0 || seq < count) && !pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Stats(transmitted, received, rtts);
    }

    private String randomPayload(long seq) {
        StringBuilder sb = new StringBuilder(size);
        String prefix = seq + "-";
        for (int i = 0; i < size; i++) {
            sb.append(i < prefix.length() ? prefix.charAt(i) : ALNUM[random.nextInt(ALNUM.length)]);
        }
        return sb.toString();
    }
}
