package dev.lambkin.gateway.record;

import java.util.Map;

import dev.lambkin.gateway.route.FunctionKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.inject.Singleton;

/**
 * One client span per invocation (waiting for an instance included), child of the gateway's server span, whose
 * context the function receives as {@code traceparent}: a trace shows the caller, the gateway and the function.
 */
@Singleton
public class InvocationTracing {
    private final Tracer tracer;

    /**
     * With the SDK disabled (no collector) the spans are not made at all: Quarkus 3.27 still hands out a working
     * tracer then, and a span per invocation that nobody exports is pure cost on the invoke path.
     */
    public InvocationTracing(Tracer tracer,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled) {
        this.tracer = sdkDisabled ? OpenTelemetry.noop().getTracer("lambkin-gateway") : tracer;
    }

    /**
     * The invocation's parent: the current request's context, or for an event taken from the queue (no current
     * span) the trace context its caller sent, stored with the event.
     */
    public Context parent(String callerTraceparent) {
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid() || callerTraceparent == null) {
            return current;
        }
        return W3CTraceContextPropagator.getInstance().extract(current, Map.of("traceparent", callerTraceparent),
                new TextMapGetter<Map<String, String>>() {
                    public Iterable<String> keys(Map<String, String> carrier) {
                        return carrier.keySet();
                    }

                    public String get(Map<String, String> carrier, String key) {
                        return carrier == null ? null : carrier.get(key);
                    }
                });
    }

    /** Starts the invocation's span; {@code parent} is the request's context, taken on the request's thread. */
    public Span start(FunctionKey key, Context parent) {
        return tracer.spanBuilder("invoke " + key).setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute("faas.invoked_name", key.name())
                .setAttribute("faas.invoked_provider", "lambkin")
                .setAttribute("k8s.namespace.name", key.namespace())
                .startSpan();
    }

    /** Puts the span's context into the headers for the function; the caller's traceparent when tracing is off. */
    public void propagate(Span span, Context parent, Map<String, String> headers, String callerTraceparent) {
        W3CTraceContextPropagator.getInstance().inject(parent.with(span), headers, Map::put);
        if (!headers.containsKey("traceparent") && callerTraceparent != null) {
            headers.put("traceparent", callerTraceparent);
        }
    }

    public void end(Span span, String outcome, boolean coldStart) {
        span.setAttribute("faas.coldstart", coldStart);
        span.setAttribute("lambkin.outcome", outcome);
        if (!"Success".equals(outcome)) {
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }
}
