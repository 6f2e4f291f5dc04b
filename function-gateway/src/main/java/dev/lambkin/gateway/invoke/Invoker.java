package dev.lambkin.gateway.invoke;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.gateway.activate.Activator;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.proxy.FunctionProxy;
import dev.lambkin.gateway.record.ColdStartCounter;
import dev.lambkin.gateway.record.InvocationMetrics;
import dev.lambkin.gateway.record.InvocationReport;
import dev.lambkin.gateway.record.InvocationTracing;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Instance;
import dev.lambkin.gateway.scale.ScaleController;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The path every admitted invocation takes, sync or async: an instance (at once, or held while one starts),
 * the call with its deadline, then the REPORT line, the span and the metrics. The caller has the limiter's
 * permit; the invoker releases it when the call is over.
 */
@ApplicationScoped
public class Invoker {
    /** The function answered; functionError is Handled or Unhandled when it failed, else null. */
    public record Answer(String pod, int status, MultiMap headers, Buffer body, String functionError) {
    }

    private final ConcurrencyLimiter limiter;
    private final Activator activator;
    private final FunctionProxy proxy;
    private final ScaleController scaler;
    private final InvocationMetrics metrics;
    private final InvocationTracing tracing;
    private final ColdStartCounter coldStarts;
    private volatile Runnable onRelease = () -> {
    };

    public Invoker(ConcurrencyLimiter limiter, Activator activator, FunctionProxy proxy, ScaleController scaler,
            InvocationMetrics metrics, InvocationTracing tracing, ColdStartCounter coldStarts) {
        this.coldStarts = coldStarts;
        this.limiter = limiter;
        this.activator = activator;
        this.proxy = proxy;
        this.scaler = scaler;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** Called after every released permit, so work waiting for one (async events) can take it. */
    public void onRelease(Runnable action) {
        this.onRelease = action;
    }

    /** Fails with an {@link InvokeError} when the function gave no answer (no instance, unreachable, timeout). */
    public Future<Answer> invoke(Invocation inv, ConcurrencyLimiter.Permit permit) {
        FunctionKey key = inv.key();
        Function fn = inv.function();
        long start = System.nanoTime();
        long deadline = System.currentTimeMillis() + 1000L * FunctionDefaults.timeoutSeconds(fn.getSpec());
        io.opentelemetry.context.Context parent = tracing.parent(inv.traceparent());
        var span = tracing.start(key, parent);
        span.setAttribute("faas.invocation_id", inv.requestId());
        span.setAttribute("faas.trigger", "Event".equals(inv.type()) ? "pubsub" : "http");
        scaler.touch(key);
        var instance = activator.instance(key, FunctionDefaults.perInstance(fn.getSpec()), deadline);
        boolean cold = !instance.isComplete(); // it had to wait for an instance
        if (cold) {
            coldStarts.count(key);
        }
        return instance.recover(noInstance -> {
            finish(key, permit, null);
            return Future.failedFuture(recordFailure(inv, start, span, cold, noInstance, "NoInstance"));
        }).compose(target -> {
            double initMs = (System.nanoTime() - start) / 1e6;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Lambkin-Request-Id", inv.requestId());
            headers.put("Lambkin-Deadline-Ms", Long.toString(deadline));
            headers.put("Lambkin-Function-Name", key.name());
            headers.put("Lambkin-Invocation-Type", inv.type());
            headers.put("Lambkin-Attempt", Integer.toString(inv.attempt()));
            headers.put("Content-Type", "application/json");
            if (inv.logType() != null) {
                headers.put("Lambkin-Log-Type", inv.logType());
            }
            tracing.propagate(span, parent, headers, inv.traceparent());
            return proxy.invoke(target, headers, inv.event(), deadline).transform(done -> {
                finish(key, permit, target);
                if (done.failed()) {
                    return Future.failedFuture(recordFailure(inv, start, span, cold, done.cause(), "Unreachable"));
                }
                FunctionProxy.Response r = done.result();
                String error = r.headers().get("Lambkin-Function-Error");
                if (error == null && r.status() / 100 != 2) {
                    error = "Unhandled"; // a non-2xx answer is a function error, as the contract says
                }
                String outcome = error == null ? "Success" : "Error:" + error;
                report(inv, start, r.headers().get("Lambkin-Max-Memory-Used"), cold ? initMs : null, outcome);
                tracing.end(span, outcome, cold);
                metrics.invoked(key, error == null ? "success" : "error", error, Duration.ofNanos(System.nanoTime() - start),
                        cold ? Duration.ofNanos((long) (initMs * 1e6)) : null);
                return Future.succeededFuture(new Answer(target.pod(), r.status(), r.headers(), r.body(), error));
            });
        });
    }

    /** An invocation that got no answer from the function: recorded (REPORT, span, metrics), returned as the error. */
    private InvokeError recordFailure(Invocation inv, long start, io.opentelemetry.api.trace.Span span, boolean cold,
            Throwable cause, String defaultKind) {
        InvokeError error = cause instanceof InvokeError e ? e
                : InvokeError.unreachable(cause == null ? "invocation failed" : cause.getMessage());
        String kind = error.reason() != null ? error.reason() : defaultKind;
        report(inv, start, null, null, "Error:" + kind);
        tracing.end(span, "Error:" + kind, cold);
        metrics.invoked(inv.key(), "error", kind, Duration.ofNanos(System.nanoTime() - start), null);
        return error;
    }

    private void finish(FunctionKey key, ConcurrencyLimiter.Permit permit, Instance instance) {
        if (instance != null) {
            instance.release();
        }
        limiter.release(permit);
        scaler.touch(key);
        activator.released(key);
        onRelease.run();
    }

    /** A Function object (compared by identity: the informer replaces it on change) and its memory size. */
    private record MemorySize(Function of, long mib) {
    }

    private final Map<FunctionKey, MemorySize> memorySizes = new java.util.concurrent.ConcurrentHashMap<>();

    /** Parsed from the Function's Quantity once per version of it, not on every invocation. */
    private long memorySize(FunctionKey key, Function fn) {
        MemorySize cached = memorySizes.get(key);
        if (cached == null || cached.of() != fn) {
            cached = new MemorySize(fn, FunctionDefaults.memorySizeMiB(fn.getSpec()).orElse(0L));
            memorySizes.put(key, cached);
        }
        return cached.mib();
    }

    /** initMs: how long the request waited for an instance to start, on a cold start; null otherwise. */
    private void report(Invocation inv, long start, String maxMemory, Double initMs, String outcome) {
        long memorySize = memorySize(inv.key(), inv.function());
        Long used = null;
        try {
            used = maxMemory == null ? null : Long.parseLong(maxMemory);
        } catch (NumberFormatException e) {
            // the header is optional and informative only
        }
        InvocationReport.log(new InvocationReport.Report(inv.requestId(), inv.key().toString(),
                (System.nanoTime() - start) / 1e6, memorySize, used, initMs, outcome));
    }
}
