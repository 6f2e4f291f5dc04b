package dev.lambkin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lambkin.contract.Contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LambkinRuntime.start in a JVM of its own: the SIGTERM hook, halt(124) and a handler's System.exit are real. */
class ProcessLifecycleTest {
    static final Pattern LISTENING = Pattern.compile("listening on :(\\d+)");

    final HttpClient http = HttpClient.newHttpClient();
    final List<String> output = new CopyOnWriteArrayList<>();
    Process process;
    int port;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    void start() throws Exception {
        // surefire may put the class path in a manifest-only jar; it passes the real one in this property
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath, ChildFunction.class.getName())
                .redirectErrorStream(true);
        pb.environment().put("LAMBKIN_PORT", "0");
        pb.environment().put("LAMBKIN_TIMEOUT_SECONDS", "3");
        process = pb.start();
        Thread.ofPlatform().daemon().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                // the process is gone
            }
        });
        String line = awaitLine("listening on", 20_000);
        Matcher m = LISTENING.matcher(line);
        assertTrue(m.find(), line);
        port = Integer.parseInt(m.group(1));
    }

    String awaitLine(String part, long timeoutMs) throws InterruptedException {
        long until = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < until) {
            for (String line : output) {
                if (line.contains(part)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line with '" + part + "' in " + output);
    }

    CompletableFuture<HttpResponse<String>> invoke(String event, long deadlineInMs) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header(Contract.REQUEST_ID, "child-1")
                .header(Contract.DEADLINE_MS, Long.toString(System.currentTimeMillis() + deadlineInMs))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sigtermDrainsTheInvocationInFlightThenExits() throws Exception {
        start();
        var running = invoke("{\"sleepMs\": 1000}", 5000);
        awaitLine("child-1 started", 5000);
        process.toHandle().destroy(); // SIGTERM; Process.destroy would also close our end of its output
        var r = running.get(5, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("\"slept\"", r.body());
        assertTrue(process.waitFor(5, TimeUnit.SECONDS));
        assertEquals(143, process.exitValue(), "128 + SIGTERM, as the JVM exits on it");
        awaitLine("drained, 1 invocation(s) finished", 1000);
    }

    @Test
    void aRunawayPastItsDeadlineEndsTheProcessWith124() throws Exception {
        start();
        invoke("{\"sleepMs\": 20000, \"runaway\": true}", 300);
        assertTrue(process.waitFor(5, TimeUnit.SECONDS), "halted long before the runaway returns");
        assertEquals(124, process.exitValue());
        awaitLine("child-1 Task timed out after 3.00 seconds", 1000);
    }

    @Test
    void systemExitInAHandlerEndsTheProcessAtOnce() throws Exception {
        start();
        long t0 = System.nanoTime();
        invoke("{\"exit\": 7}", 5000);
        // the drain hook must not wait for the very call that is exiting (timeout + 1 s = 4 s)
        assertTrue(process.waitFor(3500, TimeUnit.MILLISECONDS), "exited");
        assertEquals(7, process.exitValue());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs < 3000, "exited in " + tookMs + " ms");
    }
}
