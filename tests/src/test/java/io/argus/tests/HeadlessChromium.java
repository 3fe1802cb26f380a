package io.argus.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol with the JDK's
 * WebSocket client: one page, opened on a URL, asked to evaluate JavaScript and to take
 * screenshots. Each instance runs its own browser on a fresh profile in a temporary folder, with the
 * network quiet (no sync, no component updates, no background requests), and {@link #close} kills
 * it and deletes the profile. Every wait has a deadline, so a hung browser fails a test instead of
 * hanging the build.
 */
final class HeadlessChromium implements AutoCloseable {

    /** Where the browser is looked for, in order: {@code $CHROMIUM}, this path, {@code chromium} on PATH. */
    static final String DEBIAN_PATH = "/usr/bin/chromium";
    /** Generous: the first start on a fresh, busy CI machine is the slowest; a hung browser still fails. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> awaitedEvents = new ConcurrentHashMap<>();
    private WebSocket socket;
    private String session;

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /**
     * The browser's executable.
     *
     * @throws AssertionError when there is none, saying how to install it
     */
    static Path executable() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) {
                throw new AssertionError("CHROMIUM=" + configured + " is not an executable file; unset it to use "
                        + DEBIAN_PATH + " (bin/setup installs Debian's chromium) or point it at a Chromium executable");
            }
            return p;
        }
        if (Files.isExecutable(Path.of(DEBIAN_PATH))) {
            return Path.of(DEBIAN_PATH);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "chromium"))) {
                return Path.of(dir, "chromium");
            }
        }
        throw new AssertionError("no chromium: neither $CHROMIUM, " + DEBIAN_PATH + " nor 'chromium' on PATH. "
                + "Run bin/setup (it installs Debian's chromium package) or set CHROMIUM to a Chromium executable.");
    }

    /** Starts the browser on a fresh profile and attaches to a blank page of {@code width} x {@code height} CSS pixels. */
    static HeadlessChromium start(int width, int height) throws IOException, InterruptedException {
        Path executable = executable();
        Path profile = Files.createTempDirectory("argus-chromium-");
        List<String> command = List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
                "--force-color-profile=srgb", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            deleteTree(profile);
            throw e;
        }
        HeadlessChromium browser = new HeadlessChromium(process, profile);
        try {
            browser.connect(browser.devToolsUrl(), width, height);
            return browser;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            try {
                browser.close();
            } catch (IOException | InterruptedException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Reads stderr (kept as a tail for messages) until the browser says where DevTools listens. */
    private URI devToolsUrl() throws IOException, InterruptedException {
        CompletableFuture<URI> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        if (stderrTail.size() > 30) {
                            stderrTail.removeFirst();
                        }
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the stream closes when the browser is killed
            }
            url.completeExceptionally(new IOException("chromium exited (" + exitCode() + ") before DevTools listened"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return await(url, START_TIMEOUT, "chromium to open DevTools");
    }

    private void connect(URI browserUrl, int width, int height) throws IOException, InterruptedException {
        socket = await(HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(CALL_TIMEOUT)
                .buildAsync(browserUrl, new Listener()), CALL_TIMEOUT, "the DevTools WebSocket");
        String target = call("Target.createTarget", params().put("url", "about:blank")).path("targetId").asText();
        session = call("Target.attachToTarget", params().put("targetId", target).put("flatten", true))
                .path("sessionId").asText();
        call("Page.enable", params());
        call("Emulation.setDeviceMetricsOverride", params().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** Opens {@code url} in the page and waits for its load event. */
    void open(URI url) throws IOException, InterruptedException {
        CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
        awaitedEvents.put("Page.loadEventFired", loaded);
        JsonNode navigated = call("Page.navigate", params().put("url", url.toString()));
        if (navigated.hasNonNull("errorText")) {
            throw new IOException("chromium cannot open " + url + ": " + navigated.get("errorText").asText());
        }
        await(loaded, CALL_TIMEOUT, "the load event of " + url);
    }

    /** The value of a JavaScript expression evaluated in the page (returned by value: JSON-able values only). */
    JsonNode evaluate(String expression) throws IOException, InterruptedException {
        JsonNode r = call("Runtime.evaluate", params().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("the page threw: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws IOException, InterruptedException {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", params().put("format", "png"))
                .path("data").asText());
    }

    /** A PNG of a rectangle of the page, in CSS pixels from the document's top left, scrolled into view or not. */
    byte[] screenshot(double x, double y, double width, double height) throws IOException, InterruptedException {
        ObjectNode p = params().put("format", "png").put("captureBeyondViewport", true);
        p.putObject("clip").put("x", x).put("y", y).put("width", width).put("height", height).put("scale", 1);
        return Base64.getDecoder().decode(call("Page.captureScreenshot", p).path("data").asText());
    }

    private ObjectNode params() {
        return JSON.createObjectNode();
    }

    private JsonNode call(String method, ObjectNode params) throws IOException, InterruptedException {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        calls.put(id, reply);
        try {
            await(socket.sendText(JSON.writeValueAsString(message), true), CALL_TIMEOUT, "sending " + method);
            JsonNode answer = await(reply, CALL_TIMEOUT, "the answer to " + method);
            if (answer.has("error")) {
                throw new IOException(method + " failed: " + answer.get("error"));
            }
            return answer.path("result");
        } finally {
            calls.remove(id);
        }
    }

    private <T> T await(CompletionStage<T> stage, Duration timeout, String what) throws IOException,
            InterruptedException {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no " + what + " within " + timeout.toSeconds() + " s" + stderrForMessage());
        } catch (ExecutionException e) {
            throw new IOException("waiting for " + what + ": " + e.getCause().getMessage() + stderrForMessage(),
                    e.getCause());
        }
    }

    private String stderrForMessage() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; chromium's last lines on stderr:\n  " + String.join("\n  ", stderrTail);
        }
    }

    private String exitCode() {
        return process.isAlive() ? "still running" : "exit code " + process.exitValue();
    }

    /** Routes answers to their calls and awaited events to their waiters; a message may come in several parts. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = calls.get(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    } else {
                        CompletableFuture<JsonNode> waiter = awaitedEvents.remove(message.path("method").asText());
                        if (waiter != null) {
                            waiter.complete(message.path("params"));
                        }
                    }
                } catch (IOException e) {
                    calls.values().forEach(c -> c.completeExceptionally(new IOException("unreadable DevTools message", e)));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            IOException closed = new IOException("DevTools closed the connection (" + statusCode + " " + reason + ")");
            calls.values().forEach(c -> c.completeExceptionally(closed));
            awaitedEvents.values().forEach(c -> c.completeExceptionally(closed));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            calls.values().forEach(c -> c.completeExceptionally(error));
            awaitedEvents.values().forEach(c -> c.completeExceptionally(error));
        }
    }

    /** Kills the browser and every process it started, then deletes its profile. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (socket != null) {
            socket.abort();
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // still going after a kill: the profile may not delete either, which deleteTree reports
            }
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
