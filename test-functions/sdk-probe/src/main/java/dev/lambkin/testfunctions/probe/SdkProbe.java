package dev.lambkin.testfunctions.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lambkin.runtime.Context;
import dev.lambkin.runtime.Handler;
import dev.lambkin.runtime.LambkinRuntime;

/**
 * A stand-in function on the Java SDK for integration tests, the SDK's counterpart of netcheck: it behaves the
 * way real functions misbehave, so tests can watch the SDK and the gateway keep Lambda's promises. The event's
 * knobs, all optional ({} or an empty body turns them off), applied in this order:
 * <ul>
 * <li>{@code "sleepMs": N} sleeps N ms; an interrupt does not stop it (it sleeps on for the rest), as a runaway
 * handler would;</li>
 * <li>{@code "exit": N} (N &ge; 0) then calls System.exit(N), in the middle of the call, answering nothing;</li>
 * <li>{@code "responseBytes": N} adds {@code "data"}, a string of N bytes, to the answer.</li>
 * </ul>
 * The answer: {@code {"pod": $HOSTNAME, "current": n, "peak": m}}, n the executions running in this process as it
 * answers (this one included), m the most that ever ran at once in it.
 * <p>
 * Given a function URL's event (payload format 2.0, from an http Trigger) it answers as a function written for
 * function URLs does: {@code {"statusCode", "headers", "cookies", "body"}}, the body being the event it got as
 * JSON, the status the query's {@code status} (default 200); with {@code ?answer=plain} it returns a plain object
 * instead (which a function URL answers as a 200 JSON body).
 */
public final class SdkProbe implements Handler<Map<String, Object>, Map<String, Object>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String pod = System.getenv().getOrDefault("HOSTNAME", "unknown");
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @Override
    public Map<String, Object> handle(Map<String, Object> event, Context context) {
        if (event != null && "2.0".equals(event.get("version")) && event.get("requestContext") instanceof Map) {
            return functionUrl(event);
        }
        Map<String, Object> knobs = event == null ? Map.of() : event;
        peak.accumulateAndGet(current.incrementAndGet(), Math::max);
        try {
            long sleepMs = number(knobs, "sleepMs");
            if (sleepMs > 0) {
                sleepThroughInterrupts(sleepMs, context);
            }
            long exit = number(knobs, "exit");
            if (knobs.get("exit") instanceof Number && exit >= 0) {
                context.logger().log("exiting with %d", exit);
                System.exit((int) exit);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pod", pod);
            answer.put("current", current.get());
            answer.put("peak", peak.get());
            long responseBytes = number(knobs, "responseBytes");
            if (responseBytes > 0) {
                answer.put("data", "x".repeat(Math.toIntExact(responseBytes)));
            }
            return answer;
        } finally {
            current.decrementAndGet();
        }
    }

    private Map<String, Object> functionUrl(Map<String, Object> event) {
        Map<?, ?> query = event.get("queryStringParameters") instanceof Map<?, ?> q ? q : Map.of();
        if ("plain".equals(query.get("answer"))) {
            return Map.of("pod", pod, "plain", true);
        }
        try {
            return Map.of("statusCode", query.get("status") == null ? 200 : Integer.parseInt(String.valueOf(query.get("status"))),
                    "headers", Map.of("content-type", "application/json", "x-probe-pod", pod),
                    "cookies", List.of("probe=seen; Path=/"),
                    "body", JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sleeps the whole time: a handler that ignores the runtime's interrupt, which the SDK must still contain. */
    private static void sleepThroughInterrupts(long ms, Context context) {
        long until = System.nanoTime() + ms * 1_000_000;
        for (long left; (left = until - System.nanoTime()) > 0;) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                context.logger().log("interrupted; sleeping on for %d ms", (until - System.nanoTime()) / 1_000_000);
            }
        }
    }

    private static long number(Map<String, Object> knobs, String name) {
        return knobs.get(name) instanceof Number n ? n.longValue() : 0;
    }

    public static void main(String[] args) throws Exception {
        LambkinRuntime.start(new SdkProbe(), Map.class);
    }
}
