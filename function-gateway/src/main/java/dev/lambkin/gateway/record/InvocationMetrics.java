package dev.lambkin.gateway.record;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.lambkin.gateway.activate.Activator;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.route.FunctionKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

/**
 * Prometheus metrics of invocations (Micrometer, served at /q/metrics), labelled by namespace and function:
 * invocations by outcome, function errors by kind, throttles by reason, duration, cold starts and their
 * duration, and the gauges concurrent executions and held requests.
 */
@Singleton
public class InvocationMetrics {
    private final MeterRegistry registry;
    private final ConcurrencyLimiter limiter;
    private final Activator activator;
    private final Set<FunctionKey> gauged = ConcurrentHashMap.newKeySet();
    private final Map<FunctionKey, Meters> meters = new ConcurrentHashMap<>();

    public InvocationMetrics(MeterRegistry registry, ConcurrencyLimiter limiter, Activator activator) {
        this.registry = registry;
        this.limiter = limiter;
        this.activator = activator;
        // how close the installation is to gateway.hold.maxBytes (503 HoldCapacityExceeded beyond it)
        io.micrometer.core.instrument.Gauge.builder("lambkin.held.bytes", activator, Activator::heldBytes)
                .description("Bytes of requests held for an instance across the installation").register(registry);
    }

    /** One finished invocation; errorKind is Handled, Unhandled, Timeout, StartFailed… or null on success. */
    public void invoked(FunctionKey key, String outcome, String errorKind, Duration duration, Duration coldStart) {
        Meters m = meters(key);
        ("success".equals(outcome) ? m.success : m.error).increment();
        if (errorKind != null) {
            m.errors.computeIfAbsent(errorKind, kind -> Counter.builder("lambkin.invocation.errors")
                    .description("Failed invocations by kind")
                    .tags("namespace", key.namespace(), "function", key.name(), "kind", kind).register(registry)).increment();
        }
        m.duration.record(duration);
        if (coldStart != null) {
            m.coldStarts.record(coldStart);
        }
    }

    public void throttled(FunctionKey key, String reason) {
        meters(key).throttles.computeIfAbsent(reason, r -> Counter.builder("lambkin.throttles")
                .description("Invocations refused with 429, by reason")
                .tags("namespace", key.namespace(), "function", key.name(), "reason", r).register(registry)).increment();
    }

    /** A function's meters, registered once: looking them up by name and tags on every invocation costs. */
    private record Meters(Counter success, Counter error, Timer duration, Timer coldStarts, Map<String, Counter> errors,
            Map<String, Counter> throttles) {
    }

    private Counter invocations(FunctionKey k, String outcome) {
        return Counter.builder("lambkin.invocations").description("Invocations by outcome")
                .tags("namespace", k.namespace(), "function", k.name(), "outcome", outcome).register(registry);
    }

    private Meters meters(FunctionKey key) {
        Meters m = meters.get(key);
        return m != null ? m : meters.computeIfAbsent(key, k -> {
            gauges(k);
            return new Meters(invocations(k, "success"), invocations(k, "error"),
                    Timer.builder("lambkin.invocation.duration").description("Invocation duration as the caller saw it")
                            .publishPercentileHistogram().tags("namespace", k.namespace(), "function", k.name()).register(registry),
                    Timer.builder("lambkin.cold.starts").description("Invocations that waited for an instance to start, and how long")
                            .tags("namespace", k.namespace(), "function", k.name()).register(registry),
                    new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        });
    }

    private void gauges(FunctionKey key) {
        if (gauged.add(key)) {
            Gauge.builder("lambkin.concurrent.executions", limiter, l -> l.inFlight(key.toString()))
                    .description("Invocations admitted and not finished").tags("namespace", key.namespace(), "function", key.name())
                    .register(registry);
            Gauge.builder("lambkin.held.requests", activator, a -> a.held(key))
                    .description("Requests waiting for an instance").tags("namespace", key.namespace(), "function", key.name())
                    .register(registry);
        }
    }
}
