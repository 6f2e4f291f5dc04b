package dev.lambkin.gateway.async;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.lambkin.gateway.route.FunctionKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asynchronous invocation metrics: queue depth per function, retries by kind, dead letters by condition,
 * dropped events, and the event's age when a worker takes it.
 */
@ApplicationScoped
public class AsyncMetrics {
    private final MeterRegistry registry;
    private final Map<FunctionKey, AtomicLong> depth = new ConcurrentHashMap<>();

    public AsyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(FunctionKey key) {
        Counter.builder("lambkin.async.accepted").description("Asynchronous events stored in the events stream")
                .tags("namespace", key.namespace(), "function", key.name()).register(registry).increment();
    }

    /** Events in the stream not yet done with (waiting, delayed or being worked on), as last read from the stream. */
    public void queueDepth(FunctionKey key, long stored) {
        depth.computeIfAbsent(key, k -> {
            AtomicLong n = new AtomicLong();
            Gauge.builder("lambkin.async.queue.depth", n, AtomicLong::get)
                    .description("Asynchronous events in the stream not yet done with (waiting, delayed or being worked on)")
                    .tags("namespace", k.namespace(), "function", k.name()).register(registry);
            return n;
        }).set(stored);
    }

    /** Whether the function's queue depth is shown (from its first event on). */
    public boolean hasQueueDepth(FunctionKey key) {
        return depth.containsKey(key);
    }

    public void delivered(FunctionKey key, Duration age) {
        Timer.builder("lambkin.async.event.age").description("Age of an asynchronous event when a worker takes it")
                .publishPercentileHistogram().tags("namespace", key.namespace(), "function", key.name()).register(registry)
                .record(age);
    }

    /** kind: FunctionError, Throttled or SystemError. */
    public void retried(FunctionKey key, String kind) {
        Counter.builder("lambkin.async.retries").description("Asynchronous events put back for another try")
                .tags("namespace", key.namespace(), "function", key.name(), "kind", kind).register(registry).increment();
    }

    public void deadLettered(FunctionKey key, String condition) {
        Counter.builder("lambkin.async.dead.letters").description("Asynchronous events given up and stored in a dead-letter queue")
                .tags("namespace", key.namespace(), "function", key.name(), "condition", condition).register(registry)
                .increment();
    }

    public void dropped(FunctionKey key, String condition) {
        Counter.builder("lambkin.async.dropped").description("Asynchronous events given up without a dead-letter queue")
                .tags("namespace", key.namespace(), "function", key.name(), "condition", condition).register(registry)
                .increment();
    }

    /** An event given up whose DeadLetterQueue does not exist: kept in the events stream until it does. */
    public void waitingForQueue(FunctionKey key, String queue) {
        Counter.builder("lambkin.async.dead.letter.queue.missing")
                .description("Attempts to store a dead letter into a DeadLetterQueue that does not exist (the event is kept)")
                .tags("namespace", key.namespace(), "function", key.name(), "queue", queue).register(registry).increment();
    }
}
