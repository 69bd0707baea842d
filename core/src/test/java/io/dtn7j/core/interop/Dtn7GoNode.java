package io.dtn7j.core.interop;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real dtn7-go node ({@code dtnd} from {@code DTN7GO_HOME}) for interop tests: a generated TOML configuration
 * (REST agent and MTCP listener on ephemeral loopback ports, store in the given directory, dispatch every second),
 * the process with its output captured, and its REST agent under {@code /rest} (register, build, fetch). Public so
 * that the daemon module's tests can use it too.
 *
 * <p>dtnd multicasts its discovery on every interface that is up, so {@link #unavailableReason()} insists on a
 * network namespace whose only interface is loopback (docs/INTEROP.md: {@code unshare -n}).
 */
public final class Dtn7GoNode implements AutoCloseable {

    /** A bundle as dtn7-go's {@code /rest/fetch} returns it. */
    public record Received(String source, String destination, byte[] payload) {
    }

    private static final Duration START = Duration.ofSeconds(40);

    private final String nodeId;
    private final PeerProcesses peers;
    private final PeerProcesses.Child process;
    private final int restPort;
    private final int mtcpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Dtn7GoNode(String nodeId, PeerProcesses peers, PeerProcesses.Child process, int restPort, int mtcpPort) {
        this.nodeId = nodeId;
        this.peers = peers;
        this.process = process;
        this.restPort = restPort;
        this.mtcpPort = mtcpPort;
    }

    /**
     * Why dtnd cannot run here, for a test's skip message; empty when it can.
     *
     * @return the reason, or empty
     */
    public static Optional<String> unavailableReason() throws SocketException {
        String home = PeerProcesses.setting("DTN7GO_HOME");
        if (home == null) {
            return Optional.of("DTN7GO_HOME is not set: point it at the directory of a built dtn7-go dtnd "
                    + "(see docs/INTEROP.md) to run this test");
        }
        if (!Files.isExecutable(Path.of(home).resolve("dtnd"))) {
            return Optional.of("DTN7GO_HOME=" + home + " has no executable dtnd");
        }
        List<String> up = new ArrayList<>();
        for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
            if (i.isUp() && !i.isLoopback()) {
                up.add(i.getName());
            }
        }
        if (!up.isEmpty()) {
            return Optional.of("dtn7-go multicasts its discovery on every interface that is up; up here: " + up
                    + ". Run this test in a network namespace with only loopback: "
                    + "unshare -n sh -c 'ip link set lo up && ...' (docs/INTEROP.md)");
        }
        return Optional.empty();
    }

    /**
     * Starts dtnd as node {@code nodeId} with its files in {@code dir}, and waits until its discovery runs.
     *
     * @param dir    working directory (configuration, store)
     * @param nodeId e.g. {@code dtn://gonode/}
     * @return the running node
     */
    public static Dtn7GoNode start(Path dir, String nodeId) throws IOException, InterruptedException {
        Path dtnd = Path.of(PeerProcesses.setting("DTN7GO_HOME")).resolve("dtnd");
        int rest = PeerProcesses.freeTcpPort();
        int mtcp = PeerProcesses.freeTcpPort();
        PeerProcesses peers = new PeerProcesses(Files.createDirectories(dir), Map.of());
        Path config = peers.write("dtnd.toml", """
                node_id = "%s"
                log_level = "Debug"

                [Store]
                path = "%s"

                [Routing]
                algorithm = "epidemic"

                [Agents]
                [Agents.REST]
                address = "127.0.0.1:%d"

                [[Listener]]
                type = "MTCP"
                address = "127.0.0.1:%d"

                [Cron]
                dispatch = "1s"
                gc = "1h15s"
                """.formatted(nodeId, dir.resolve("store"), rest, mtcp));
        PeerProcesses.Child child = peers.start("dtnd", null, dtnd.toString(), config.toString());
        Dtn7GoNode node = new Dtn7GoNode(nodeId, peers, child, rest, mtcp);
        try {
            child.awaitLine(l -> l.contains("Starting discovery manager"), START, "starting its discovery");
        } catch (AssertionError | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** {@return this node's ID} */
    public String nodeId() {
        return nodeId;
    }

    /** {@return the port of dtnd's MTCP listener on 127.0.0.1} */
    public int mtcpPort() {
        return mtcpPort;
    }

    /** {@return dtnd's output so far} */
    public List<String> output() {
        return process.output();
    }

    /**
     * Waits for a line of dtnd's log.
     *
     * @param test    which line
     * @param timeout how long
     * @param what    what it means, for the failure message
     * @return the line
     */
    public String awaitLog(Predicate<String> test, Duration timeout, String what) throws InterruptedException {
        return process.awaitLine(test, timeout, what);
    }

    /**
     * Registers an endpoint at the REST agent (retrying until the agent answers).
     *
     * @param eid the endpoint
     * @return the client's UUID
     */
    public String register(String eid) throws IOException, InterruptedException {
        long end = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                Map<String, Object> r = post("register", "{\"endpoint_id\":" + MiniJson.quote(eid) + "}");
                requireNoError(r, "register");
                return (String) r.get("uuid");
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("dtnd's REST agent on port " + restPort + " did not answer: " + e
                            + "; output: " + output());
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Has dtnd build and send a bundle ({@code /rest/build}); its payload is the UTF-8 bytes of {@code payload}.
     *
     * @param uuid        the registered client
     * @param source      its endpoint
     * @param destination where to
     * @param payload     the payload text
     */
    public void build(String uuid, String source, String destination, String payload)
            throws IOException, InterruptedException {
        Map<String, Object> r = post("build", "{\"uuid\":" + MiniJson.quote(uuid) + ",\"arguments\":{"
                + "\"source\":" + MiniJson.quote(source) + ","
                + "\"destination\":" + MiniJson.quote(destination) + ","
                + "\"creation_timestamp_now\":1,\"lifetime\":\"24h\","
                + "\"payload_block\":" + MiniJson.quote(payload) + "}}");
        requireNoError(r, "build");
    }

    /**
     * Fetches (and so removes) the bundles of a client's mailbox until {@code count} arrived or the time is up.
     *
     * @param uuid    the registered client
     * @param count   how many to wait for
     * @param timeout how long
     * @return what arrived (fewer than {@code count} when the time ran out)
     */
    @SuppressWarnings("unchecked")
    public List<Received> fetch(String uuid, int count, Duration timeout) throws IOException, InterruptedException {
        List<Received> all = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (all.size() < count && System.nanoTime() < end) {
            Map<String, Object> r = post("fetch", "{\"uuid\":" + MiniJson.quote(uuid) + "}");
            requireNoError(r, "fetch");
            if (r.get("bundles") instanceof List<?> l) {
                for (Object o : l) {
                    Map<String, Object> b = (Map<String, Object>) o;
                    Map<String, Object> primary = (Map<String, Object>) b.get("primaryBlock");
                    Map<String, Object> payload = (Map<String, Object>) b.get("payloadBlock");
                    all.add(new Received((String) primary.get("source"), (String) primary.get("destination"),
                            Base64.getDecoder().decode((String) payload.get("data"))));
                }
            }
            if (all.size() < count) {
                Thread.sleep(200);
            }
        }
        return all;
    }

    private void requireNoError(Map<String, Object> reply, String what) {
        if (!"".equals(reply.get("error"))) {
            throw new AssertionError("dtnd's /rest/" + what + " answered error " + reply.get("error"));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort
                        + "/rest/" + path)).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("dtnd's /rest/" + path + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
        return (Map<String, Object>) MiniJson.parse(r.body());
    }

    /** Stops dtnd with SIGTERM (it closes its store), forcibly after 10 s. */
    @Override
    public void close() {
        process.process().destroy();
        try {
            if (!process.process().waitFor(10, TimeUnit.SECONDS)) {
                process.process().destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peers.close();
    }

    /** Just enough JSON for dtn7-go's REST replies: objects, arrays, strings, numbers, booleans, null. */
    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            MiniJson p = new MiniJson(text);
            Object v = p.value();
            p.ws();
            if (p.i != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + p.i + " in JSON: " + text);
            }
            return v;
        }

        static String quote(String v) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : v.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    case '\r' -> b.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = i;
                    while (i < s.length() && "{}[],: \n\r\t".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    String t = s.substring(start, i);
                    return switch (t) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> Double.parseDouble(t);
                    };
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i + " in JSON");
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            i++;
            return b.toString();
        }
    }
}
