package dev.lambkin.gateway.invoke;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.activate.Activator;
import dev.lambkin.gateway.limit.Lease;
import dev.lambkin.gateway.proxy.FunctionProxy;
import dev.lambkin.gateway.record.ColdStartCounter;
import dev.lambkin.gateway.record.InvocationMetrics;
import dev.lambkin.gateway.record.InvocationReport;
import dev.lambkin.gateway.record.InvocationTracing;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Instance;
import dev.lambkin.gateway.route.Instances;
import dev.lambkin.gateway.scale.ScaleController;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import jakarta.inject.Singleton;

/**
 * The path every admitted invocation takes, sync or async: an instance (at once, or held while one starts, on
 * the init budget), the call with its deadline (which starts now, when the call reaches the function), then the
 * REPORT line, the span and the metrics, and one {@link Outcome}. An instance whose call timed out or whose
 * process died is retired (replaced), so no instance ever runs more than perInstance executions. The caller
 * hands over its lease; the invoker releases it when the call is over.
 */
@Singleton
public class Invoker {
    /** How long a crash's answer waits for the kubelet to say how the process ended. */
    static final long EXIT_WAIT_MILLIS = 1000;

    private final Activator activator;
    private final Instances instances;
    private final FunctionProxy proxy;
    private final ScaleController scaler;
    private final InvocationMetrics metrics;
    private final InvocationTracing tracing;
    private final ColdStartCounter coldStarts;
    private final FunctionErrors errors;

    public Invoker(Activator activator, Instances instances, FunctionProxy proxy, ScaleController scaler,
            InvocationMetrics metrics, InvocationTracing tracing, ColdStartCounter coldStarts, FunctionErrors errors) {
        this.activator = activator;
        this.instances = instances;
        this.proxy = proxy;
        this.scaler = scaler;
        this.metrics = metrics;
        this.tracing = tracing;
        this.coldStarts = coldStarts;
        this.errors = errors;
    }

    /** Succeeds with the outcome; fails only on a defect of the gateway (the edges answer that as a 500). */
    public Future<Outcome> invoke(Invocation inv, Lease lease) {
        FunctionKey key = inv.key();
        Function fn = inv.function();
        long start = System.nanoTime();
        io.opentelemetry.context.Context parent;
        Span span;
        Future<Activator.Activation> activation;
        try {
            parent = tracing.parent(inv.traceparent());
            span = tracing.start(key, parent);
            span.setAttribute("faas.invocation_id", inv.requestId());
            span.setAttribute("faas.trigger", "Event".equals(inv.type()) ? "pubsub" : "http");
            scaler.touch(key);
            activation = activator.instance(key, FunctionDefaults.perInstance(fn.getSpec()), inv.event().length());
        } catch (RuntimeException defect) {
            lease.release();
            return Future.failedFuture(defect);
        }
        return activation.compose(a -> switch (a) {
            case Activator.NotActivated no -> {
                Outcome outcome = notActivated(no);
                done(inv, lease, null, start, span, false, null, null, outcome);
                yield Future.succeededFuture(outcome);
            }
            case Activator.Activated ok -> {
                try {
                    yield call(inv, lease, ok, start, span, parent);
                } catch (RuntimeException defect) { // the slot taken for this call goes back all the same
                    instances.release(ok.instance());
                    throw defect;
                }
            }
        }).onFailure(defect -> lease.release());
    }

    private Future<Outcome> call(Invocation inv, Lease lease, Activator.Activated activated, long start, Span span,
            io.opentelemetry.context.Context parent) {
        FunctionKey key = inv.key();
        Instance target = activated.instance();
        boolean cold = activated.cold();
        if (cold) {
            coldStarts.count(key);
        }
        Double initMs = cold ? (System.nanoTime() - start) / 1e6 : null;
        int timeoutSeconds = FunctionDefaults.timeoutSeconds(inv.function().getSpec());
        long deadline = System.currentTimeMillis() + 1000L * timeoutSeconds;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Contract.REQUEST_ID, inv.requestId());
        headers.put(Contract.DEADLINE_MS, Long.toString(deadline));
        headers.put(Contract.FUNCTION_NAME, key.name());
        headers.put(Contract.INVOCATION_TYPE, inv.type());
        headers.put(Contract.ATTEMPT, Integer.toString(inv.attempt()));
        headers.put("Content-Type", "application/json");
        if (inv.logType() != null) {
            headers.put(Contract.LOG_TYPE, inv.logType());
        }
        if (inv.clientContext() != null) {
            headers.put(Contract.CLIENT_CONTEXT, inv.clientContext());
        }
        tracing.propagate(span, parent, headers, inv.traceparent());
        return proxy.invoke(target, headers, inv.event(), deadline, Contract.MAX_RESPONSE_BYTES)
                .compose(result -> outcome(inv, target, timeoutSeconds, result))
                .transform(ar -> {
                    if (ar.failed()) { // a defect: give the slots back all the same
                        instances.release(target);
                        lease.release();
                        return Future.failedFuture(ar.cause());
                    }
                    Outcome outcome = ar.result();
                    String memory = outcome instanceof Outcome.Answered ok ? ok.headers().get(Contract.MAX_MEMORY_USED)
                            : outcome instanceof Outcome.FunctionError fe ? fe.headers().get(Contract.MAX_MEMORY_USED) : null;
                    String report = done(inv, lease, target, start, span, cold, initMs, memory, outcome);
                    return Future.succeededFuture(Contract.TAIL.equalsIgnoreCase(inv.logType()) ? LogTails.withReport(outcome, report) : outcome);
                });
    }

    /** What the pod's answer (or its absence) means; retires the instance when its execution may still run. */
    private Future<Outcome> outcome(Invocation inv, Instance target, int timeoutSeconds, FunctionProxy.Result result) {
        return switch (result) {
            case FunctionProxy.Responded r -> Future.succeededFuture(errors.of(target.pod(), r));
            case FunctionProxy.DeadlinePassed t -> {
                // the handler may run on after the reset: the instance is replaced, never routed to again
                instances.retire(target, "timed out after " + timeoutSeconds + " s");
                yield Future.succeededFuture(new Outcome.TimedOut(target.pod(), timeoutSeconds));
            }
            case FunctionProxy.ConnectionLost lost when instances.stopping() ->
                // this gateway's own connection may have closed under the call: a system error, not the function's
                Future.succeededFuture(new Outcome.Unreachable(target.pod(), lost.detail()));
            case FunctionProxy.ConnectionLost lost -> {
                instances.retire(target, "the process exited or dropped the call: " + lost.detail());
                yield instances.exitOf(target, EXIT_WAIT_MILLIS).map(exit -> (Outcome) new Outcome.Crashed(target.pod(),
                        inv.requestId(), exit.orElse("Runtime exited without providing a reason")));
            }
            case FunctionProxy.NotConnected no -> {
                if (!instances.stopping()) {
                    instances.retire(target, no.detail());
                }
                yield Future.succeededFuture(new Outcome.Unreachable(target.pod(), no.detail()));
            }
            case FunctionProxy.TooLarge big -> Future.succeededFuture(new Outcome.ResponseTooLarge(target.pod(), big.limitBytes()));
        };
    }

    private static Outcome notActivated(Activator.NotActivated no) {
        return switch (no.why()) {
            case START_FAILED -> new Outcome.StartFailed(no.reason(), no.message());
            case NO_INSTANCE -> new Outcome.NoInstance(no.reason(), no.message());
            case HOLD_FULL -> new Outcome.Throttled(no.reason(), no.message());
            case OVERLOADED -> new Outcome.Overloaded(no.reason(), no.message());
        };
    }

    /** Slots back (instance, then lease), then the record of the invocation: REPORT line, span, metrics; the line. */
    private String done(Invocation inv, Lease lease, Instance target, long start, Span span, boolean cold, Double initMs,
            String maxMemory, Outcome outcome) {
        if (target != null) {
            instances.release(target);
        }
        lease.release();
        scaler.touch(inv.key());
        String kind = errorKind(outcome);
        String recorded = kind == null ? "Success" : "Error:" + kind;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String line = report(inv, start, maxMemory, initMs, recorded);
        tracing.end(span, recorded, cold);
        metrics.invoked(inv.key(), kind == null ? "success" : "error", kind, took,
                initMs == null ? null : Duration.ofNanos((long) (initMs * 1e6)));
        return line;
    }

    /** A bounded label for the metrics and REPORT: Handled/Unhandled, the gateway's own error types, or a reason. */
    static String errorKind(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Answered a -> null;
            case Outcome.FunctionError e -> e.kind();
            case Outcome.FunctionFailure f -> f.errorType();
            case Outcome.Throttled t -> t.reason();
            case Outcome.SystemFailure s -> s.reason();
        };
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
    private String report(Invocation inv, long start, String maxMemory, Double initMs, String outcome) {
        long memorySize = memorySize(inv.key(), inv.function());
        Long used = null;
        try {
            used = maxMemory == null ? null : Long.parseLong(maxMemory);
        } catch (NumberFormatException e) {
            // the header is optional and informative only
        }
        InvocationReport.Report report = new InvocationReport.Report(inv.requestId(), inv.key().toString(),
                (System.nanoTime() - start) / 1e6, memorySize, used, initMs, outcome);
        InvocationReport.log(report);
        return report.line();
    }
}
