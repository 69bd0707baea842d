package io.dtn7j.daemon.cli.tools;

/**
 * Exit codes of the {@code dtn7j} client tools. Scripts can rely on them; docs/CLI.md lists them per tool.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A failure not covered below (I/O error, undecodable reply, ...). {@code ping}: some pings got no reply, as ping(8). */
    public static final int FAILURE = 1;
    /** Bad command line (picocli's usage error code). */
    public static final int USAGE = 2;
    /** The daemon answered with an error (HTTP 4xx/5xx, or a WebSocket error reply). */
    public static final int REJECTED = 3;
    /** The daemon could not be reached (connection refused, timeout). */
    public static final int UNREACHABLE = 4;
    /** {@code recv}: nothing to receive ({@code -v}) or a non-200 reply, as dtn7-rs's dtnrecv. */
    public static final int RECV_NOTHING = 23;

    private ExitCodes() {
    }
}
