package io.dtn7j.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over its DevTools protocol: opens a page and evaluates JavaScript in it, so a
 * test can watch a page update itself without reloading. Test-only.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    Chromium(Path profile) throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        String browserWs = null;
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.currentTimeMillis() + 30_000;
        StringBuilder out = new StringBuilder();
        while (browserWs == null && System.currentTimeMillis() < deadline) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            out.append(line).append('\n');
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                browserWs = m.group(1);
            }
        }
        if (browserWs == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not start its DevTools endpoint:\n" + out);
        }
        Thread.ofPlatform().daemon().start(() -> {
            try {
                r.transferTo(java.io.Writer.nullWriter());
            } catch (Exception ignored) {
                // drained
            }
        });
        URI b = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = null;
        for (int i = 0; i < 50; i++) {
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + b.getHost() + ":" + b.getPort() + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            targets = JSON.readTree(list);
            if (targets.isArray() && !targets.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        String pageWs = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                pageWs = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageWs == null) {
            throw new IllegalStateException("chromium shows no page target: " + targets);
        }
        page = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        JsonNode msg = JSON.readTree(text.toString());
                        CompletableFuture<JsonNode> f = pending.remove(msg.path("id").asInt(-1));
                        if (f != null) {
                            f.complete(msg);
                        }
                    } catch (Exception ignored) {
                        // events we do not wait for
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        page.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).get(5, TimeUnit.SECONDS);
        JsonNode reply = f.get(20, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Navigates and waits until the document has loaded. */
    void open(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
        waitFor("document.readyState", v -> v.equals("complete"), 20_000);
    }

    /** Evaluates an expression and returns its value as text. */
    String eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return r.path("result").path("value").asText();
    }

    /** Re-evaluates until the value satisfies the condition; returns the last value or fails. */
    String waitFor(String expression, Predicate<String> condition, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String v = null;
        while (System.currentTimeMillis() < deadline) {
            v = eval(expression);
            if (condition.test(v)) {
                return v;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + expression + "' did not reach the expected value within " + timeoutMs
                + " ms; last value:\n" + v);
    }

    /** The page's visible text. */
    String text() throws Exception {
        return eval("document.body.innerText");
    }

    /** Runs {@code chromium --headless --dump-dom} on a URL (what CI can always do) and returns the DOM. */
    static String dumpDom(Path profile, String url) throws Exception {
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom", url)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium --dump-dom did not finish within 60 s");
        }
        return dom;
    }

    @Override
    public void close() {
        try {
            page.abort();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
