package dev.lambkin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.lambkin.contract.Contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime contract as the gateway speaks it, against a real server on loopback. */
class RuntimeServerTest {
    record Greeting(String name) {
    }

    final HttpClient http = HttpClient.newHttpClient();
    final AtomicReference<Context> seen = new AtomicReference<>();
    RuntimeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    HttpResponse<String> post(String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void start(Handler<Greeting, Object> handler) throws Exception {
        server = LambkinRuntime.serve(handler, Greeting.class, 0);
    }

    @Test
    void resultIsJsonAndTheContextCarriesTheHeaders() throws Exception {
        start((event, ctx) -> {
            seen.set(ctx);
            return Map.of("message", "Hello, " + event.name() + "!");
        });
        long deadline = System.currentTimeMillis() + 5000;
        var r = post("{\"name\":\"Ada\"}", "Lambkin-Request-Id", "req-1", "Lambkin-Deadline-Ms", Long.toString(deadline),
                "Lambkin-Function-Name", "hello", "Lambkin-Invocation-Type", "Event", "Lambkin-Attempt", "2",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertEquals(200, r.statusCode());
        assertEquals("{\"message\":\"Hello, Ada!\"}", r.body());
        assertEquals("req-1", r.headers().firstValue("Lambkin-Request-Id").orElseThrow());
        assertTrue(r.headers().firstValue("Lambkin-Function-Error").isEmpty());
        Context ctx = seen.get();
        assertEquals("req-1", ctx.requestId());
        assertEquals("hello", ctx.functionName());
        assertEquals("Event", ctx.invocationType());
        assertEquals(2, ctx.attempt());
        assertEquals(deadline, ctx.deadline().toEpochMilli());
        assertTrue(ctx.remainingTimeMillis() > 0 && ctx.remainingTimeMillis() <= 5000, "remaining " + ctx.remainingTimeMillis());
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ctx.traceparent());
    }

    @Test
    void aFunctionErrorIsHandledAndAnyOtherExceptionUnhandled() throws Exception {
        start((event, ctx) -> {
            if (event.name() == null) {
                throw new FunctionError("MissingName", "name is required");
            }
            throw new IllegalStateException("boom");
        });
        var handled = post("{}");
        assertEquals("Handled", handled.headers().firstValue("Lambkin-Function-Error").orElseThrow());
        assertEquals("{\"errorType\":\"MissingName\",\"errorMessage\":\"name is required\"}", handled.body());
        var unhandled = post("{\"name\":\"x\"}");
        assertEquals("Unhandled", unhandled.headers().firstValue("Lambkin-Function-Error").orElseThrow());
        assertEquals("{\"errorType\":\"IllegalStateException\",\"errorMessage\":\"boom\"}", unhandled.body());
    }

    @Test
    void anEventThatIsNotJsonNamesTheProblem() throws Exception {
        start((event, ctx) -> "never");
        var r = post("{not json");
        assertEquals("Unhandled", r.headers().firstValue("Lambkin-Function-Error").orElseThrow());
        assertTrue(r.body().contains("\"errorType\":\"InvalidEvent\""), r.body());
    }

    @Test
    void theLogTailComesBackWhenAskedAndOnlyThen() throws Exception {
        start((event, ctx) -> {
            ctx.logger().log("greeting %s", event.name());
            return "ok";
        });
        var tail = post("{\"name\":\"Grace\"}", "Lambkin-Request-Id", "req-9", "Lambkin-Log-Type", "Tail");
        String log = new String(Base64.getDecoder().decode(tail.headers().firstValue("Lambkin-Log-Result").orElseThrow()),
                StandardCharsets.UTF_8);
        assertTrue(log.endsWith(" req-9 greeting Grace\n"), log);
        assertNull(post("{\"name\":\"x\"}").headers().firstValue("Lambkin-Log-Result").orElse(null));
    }

    @Test
    void withoutADeadlineHeaderTheFunctionsTimeoutApplies() throws Exception {
        start((event, ctx) -> {
            seen.set(ctx);
            return null;
        });
        var r = post("");
        assertEquals("null", r.body());
        long remaining = seen.get().remainingTimeMillis();
        assertTrue(remaining > 0 && remaining <= 3000, "default timeout 3 s: " + remaining);
    }

    @Test
    void anOversizedEventIsRefused() throws Exception {
        start((event, ctx) -> "never");
        var r = post("\"" + "x".repeat(RuntimeServer.MAX_EVENT_BYTES) + "\"");
        assertEquals(413, r.statusCode());
    }

    @Test
    void getIsAHealthCheck() throws Exception {
        start((event, ctx) -> "x");
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    @Test
    void logTailKeepsTheLastFourKilobytes() {
        FunctionLogger logger = new FunctionLogger("r", new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        for (int i = 0; i < 500; i++) {
            logger.log("line %03d é", i);
        }
        byte[] tail = logger.tail();
        assertTrue(tail.length <= Contract.LOG_TAIL_BYTES);
        assertTrue(new String(tail, StandardCharsets.UTF_8).endsWith("line 499 é\n"));
    }
}
