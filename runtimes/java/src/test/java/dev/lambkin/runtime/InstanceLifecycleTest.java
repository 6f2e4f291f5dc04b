package dev.lambkin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lambkin.contract.Contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How an instance ends: drained on SIGTERM, or ended after an invocation outlives its deadline. */
class InstanceLifecycleTest {
    final HttpClient http = HttpClient.newHttpClient();
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    final CountDownLatch halted = new CountDownLatch(1);
    RuntimeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    void start(int timeoutSeconds, Handler<Map<String, Object>, Object> handler) throws IOException {
        server = LambkinRuntime.serve(handler, Map.class, 0,
                new RuntimeServer.Settings("probe", "default", 0, timeoutSeconds), out, halted::countDown);
    }

    HttpRequest post(String body, long deadlineInMs, String requestId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header(Contract.REQUEST_ID, requestId)
                .header(Contract.DEADLINE_MS, Long.toString(System.currentTimeMillis() + deadlineInMs))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sleeps the event's sleepMs; with "runaway" it ignores interrupts, as a handler stuck in a loop would. */
    static Object sleeper(Map<String, Object> event, AtomicBoolean interrupted) throws InterruptedException {
        long until = System.currentTimeMillis() + ((Number) event.get("sleepMs")).longValue();
        for (long left; (left = until - System.currentTimeMillis()) > 0;) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                interrupted.set(true);
                if (!Boolean.TRUE.equals(event.get("runaway"))) {
                    throw e;
                }
            }
        }
        return "slept";
    }

    @Test
    void aRunawayPastItsDeadlineEndsTheInstance() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        start(3, (event, ctx) -> sleeper(event, interrupted));
        long t0 = System.nanoTime();
        var late = send(post("{\"sleepMs\": 3000, \"runaway\": true}", 300, "slow-1"));

        assertTrue(halted.await(2500, TimeUnit.MILLISECONDS), "halted while the runaway still runs");
        long haltedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(haltedAfterMs >= 300 + RuntimeServer.DEADLINE_MARGIN_MS - 50, "not before the deadline: " + haltedAfterMs);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains(" slow-1 Task timed out after 3.00 seconds\n"),
                printed.toString(StandardCharsets.UTF_8));

        var refused = http.send(post("{\"sleepMs\": 0}", 5000, "next"), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode());
        assertTrue(refused.body().contains("\"errorType\":\"Runtime.Unavailable\""), refused.body());
        var probe = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, probe.statusCode(), "a readiness probe on GET / sees it too");

        // should the runaway return after all, its result is replaced: the deadline has passed
        var r = late.get(5, TimeUnit.SECONDS);
        assertTrue(interrupted.get(), "the handler's thread was interrupted");
        assertEquals(Contract.UNHANDLED, r.headers().firstValue(Contract.FUNCTION_ERROR).orElseThrow());
        assertEquals("{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"Task timed out after 3.00 seconds\"}", r.body());
    }

    @Test
    void anInterruptibleHandlerIsInterruptedAtItsDeadline() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        start(2, (event, ctx) -> sleeper(event, interrupted));
        long t0 = System.nanoTime();
        var r = send(post("{\"sleepMs\": 5000}", 300, "slow-2")).get(3, TimeUnit.SECONDS);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000, "answered soon after the deadline");
        assertTrue(interrupted.get());
        assertTrue(r.body().contains("Sandbox.Timedout") && r.body().contains("Task timed out after 2.00 seconds"), r.body());
        assertTrue(halted.await(1, TimeUnit.SECONDS));
    }

    @Test
    void theInstanceEndsOnlyOnceTheOtherInvocationsHaveFinished() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch otherStarted = new CountDownLatch(1);
        start(3, (event, ctx) -> {
            if ("other".equals(ctx.requestId())) {
                otherStarted.countDown();
            }
            return sleeper(event, interrupted);
        });
        var other = send(post("{\"sleepMs\": 1500}", 5000, "other"));
        assertTrue(otherStarted.await(2, TimeUnit.SECONDS));
        var runaway = send(post("{\"sleepMs\": 3000, \"runaway\": true}", 200, "runaway"));

        assertFalse(halted.await(900, TimeUnit.MILLISECONDS), "not while another invocation runs");
        var refused = http.send(post("{\"sleepMs\": 0}", 5000, "next"), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode(), "but it takes no new one");
        var r = other.get(3, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("\"slept\"", r.body(), "the other invocation finishes as usual");
        assertTrue(r.headers().firstValue(Contract.FUNCTION_ERROR).isEmpty());
        assertTrue(halted.await(500, TimeUnit.MILLISECONDS), "ended once it had");
        assertFalse(runaway.isDone(), "while the runaway still runs");
    }

    @Test
    void anInvocationThatFinishesInTimeLeavesTheInstanceServing() throws Exception {
        start(3, (event, ctx) -> sleeper(event, new AtomicBoolean()));
        // a deadline with room for a slow first request on a busy machine, and a wait until well past it
        var r = send(post("{\"sleepMs\": 100}", 1000, "quick")).get(3, TimeUnit.SECONDS);
        assertEquals("\"slept\"", r.body());
        assertFalse(halted.await(1000 + RuntimeServer.DEADLINE_MARGIN_MS + 300, TimeUnit.MILLISECONDS));
        assertEquals(200, send(post("{\"sleepMs\": 0}", 1000, "again")).get(3, TimeUnit.SECONDS).statusCode());
        assertFalse(printed.toString(StandardCharsets.UTF_8).contains("timed out"));
    }

    @Test
    void drainingLetsTheRunningInvocationFinishAndTakesNoNewOne() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        start(3, (event, ctx) -> {
            started.countDown();
            return sleeper(event, new AtomicBoolean());
        });
        try (Socket keptAlive = new Socket("127.0.0.1", server.port())) {
            assertTrue(exchange(keptAlive, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 200"));
            var running = send(post("{\"sleepMs\": 1000}", 5000, "running"));
            assertTrue(started.await(2, TimeUnit.SECONDS));

            long t0 = System.nanoTime();
            Thread drainer = Thread.ofPlatform().start(server::drain);
            awaitRefused(server.port());
            // the JDK server would still take requests on connections already open: the runtime refuses them
            String onOpenConnection = exchange(keptAlive, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
            assertTrue(onOpenConnection.startsWith("HTTP/1.1 503"), onOpenConnection);
            assertTrue(onOpenConnection.toLowerCase().contains("connection: close"), onOpenConnection);

            var r = running.get(3, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("\"slept\"", r.body());
            drainer.join(3000);
            assertFalse(drainer.isAlive(), "drain returns once the invocation has finished");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2500, "without waiting out the bound");
        }
        String log = printed.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("lambkin runtime: draining, 1 invocation(s) in flight\n"), log);
        assertTrue(log.contains("lambkin runtime: drained, 1 invocation(s) finished\n"), log);
        assertEquals(1, halted.getCount(), "a drain is no timeout");
    }

    @Test
    void drainingGivesUpAfterTheTimeoutAndASecond() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        start(1, (event, ctx) -> {
            started.countDown();
            return sleeper(event, new AtomicBoolean());
        });
        var stuck = send(post("{\"sleepMs\": 6000, \"runaway\": true}", 5000, "stuck"));
        assertTrue(started.await(2, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        server.drain();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs >= 1800 && tookMs < 3500, "timeout 1 s + 1 s: " + tookMs);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("drained, 0 invocation(s) finished, 1 cut off"));
        stuck.cancel(true);
    }

    /** The listening socket closes soon after the drain starts. */
    static void awaitRefused(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (ConnectException expected) {
                return;
            }
        }
        fail("port " + port + " still accepts connections");
    }

    /** One HTTP/1.1 request and its response on a connection that stays open. */
    static String exchange(Socket socket, String request) throws IOException {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1;) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
