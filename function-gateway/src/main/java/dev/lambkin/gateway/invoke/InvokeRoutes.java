package dev.lambkin.gateway.invoke;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import dev.lambkin.api.v1alpha1.Names;
import dev.lambkin.gateway.activate.Activator;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.proxy.FunctionProxy;
import dev.lambkin.gateway.record.InvocationMetrics;
import dev.lambkin.gateway.record.InvocationReport;
import dev.lambkin.gateway.record.InvocationTracing;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Instance;
import dev.lambkin.gateway.scale.ScaleController;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code POST /functions/{namespace}/{name}}: Lambda's Invoke on Kubernetes. Non-blocking on Vert.x: a request
 * held while its function scales from zero costs a callback, not a thread, so thousands can wait at once.
 */
@ApplicationScoped
public class InvokeRoutes {
    /** Lambda's synchronous payload limit. */
    public static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    static final Pattern DNS_LABEL = Pattern.compile(Names.DNS_LABEL);
    static final String REQUEST_ID = "Lambkin-Request-Id";
    static final String FUNCTION_ERROR = "Lambkin-Function-Error";
    static final String INVOCATION_TYPE = "Lambkin-Invocation-Type";
    private static final JsonFactory JSON = new JsonFactory();

    private final FunctionCatalog catalog;
    private final ConcurrencyLimiter limiter;
    private final Activator activator;
    private final FunctionProxy proxy;
    private final ScaleController scaler;
    private final InvocationMetrics metrics;
    private final InvocationTracing tracing;
    private volatile boolean draining;

    public InvokeRoutes(FunctionCatalog catalog, ConcurrencyLimiter limiter, Activator activator, FunctionProxy proxy,
            ScaleController scaler, InvocationMetrics metrics, InvocationTracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.catalog = catalog;
        this.limiter = limiter;
        this.activator = activator;
        this.proxy = proxy;
        this.scaler = scaler;
    }

    void routes(@Observes Router router) {
        router.post("/functions/:namespace/:name")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_SYNC_PAYLOAD))
                .handler(this::invoke)
                .failureHandler(this::failure);
        router.route("/functions/:namespace/:name").handler(ctx -> fail(ctx, InvokeError.badRequest(
                "invoke a function with POST, not " + ctx.request().method())));
    }

    void drain(@Observes ShutdownEvent e) {
        draining = true;
    }

    private void invoke(RoutingContext ctx) {
        if (draining) {
            fail(ctx, InvokeError.draining());
            return;
        }
        String ns = ctx.pathParam("namespace"), name = ctx.pathParam("name");
        if (!dnsLabel(ns) || !dnsLabel(name)) {
            fail(ctx, InvokeError.badRequest("namespace and function name must be DNS labels: " + ns + "/" + name));
            return;
        }
        String type = ctx.request().getHeader(INVOCATION_TYPE);
        if (type != null && !type.equals("RequestResponse") && !type.equals("DryRun") && !type.equals("Event")) {
            fail(ctx, InvokeError.badRequest(INVOCATION_TYPE + " must be RequestResponse, Event or DryRun, not " + type));
            return;
        }
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null && (contentType.startsWith("multipart/") || contentType.startsWith("application/x-www-form-urlencoded"))) {
            fail(ctx, InvokeError.unsupportedMediaType("the event must be JSON, not " + contentType));
            return;
        }
        FunctionKey key = new FunctionKey(ns, name);
        Function fn = catalog.get(key).orElse(null);
        if (fn == null) {
            fail(ctx, InvokeError.notFound("Function not found: " + key));
            return;
        }
        if ("DryRun".equals(type)) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        if ("Event".equals(type)) {
            fail(ctx, InvokeError.notImplemented("asynchronous invocation (Event) is not available in this gateway yet"));
            return;
        }
        Buffer event = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        String invalid = jsonProblem(event);
        if (invalid != null) {
            fail(ctx, InvokeError.badRequest("could not parse the request body as JSON: " + invalid));
            return;
        }
        ConcurrencyLimiter.Result admitted = limiter.tryAcquire(key.toString());
        if (admitted instanceof ConcurrencyLimiter.Refused refused) {
            metrics.throttled(key, refused.reason().name());
            fail(ctx, throttled(key, refused));
            return;
        }
        call(ctx, fn, key, event, (ConcurrencyLimiter.Permit) admitted);
    }

    private void call(RoutingContext ctx, Function fn, FunctionKey key, Buffer event, ConcurrencyLimiter.Permit permit) {
        FunctionSpec spec = fn.getSpec();
        long start = System.nanoTime();
        long deadline = System.currentTimeMillis() + 1000L * FunctionDefaults.timeoutSeconds(spec);
        String requestId = UUID.randomUUID().toString();
        io.opentelemetry.context.Context parent = io.opentelemetry.context.Context.current();
        var span = tracing.start(key, parent);
        span.setAttribute("faas.invocation_id", requestId);
        scaler.touch(key);
        var instance = activator.instance(key, FunctionDefaults.perInstance(spec), deadline);
        boolean cold = !instance.isComplete(); // it had to wait for an instance
        instance.onComplete(found -> {
            if (found.failed()) {
                finish(key, permit, null);
                failed(ctx, requestId, key, fn, start, span, cold, found.cause(), "NoInstance");
                return;
            }
            Instance target = found.result();
            double initMs = (System.nanoTime() - start) / 1e6;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(REQUEST_ID, requestId);
            headers.put("Lambkin-Deadline-Ms", Long.toString(deadline));
            headers.put("Lambkin-Function-Name", key.name());
            headers.put(INVOCATION_TYPE, "RequestResponse");
            headers.put("Lambkin-Attempt", "1");
            headers.put("Content-Type", "application/json");
            tracing.propagate(span, parent, headers, ctx.request().getHeader("traceparent"));
            copy(ctx, headers, "Lambkin-Log-Type");
            proxy.invoke(target, headers, event, deadline).onComplete(done -> {
                finish(key, permit, target);
                if (done.failed()) {
                    failed(ctx, requestId, key, fn, start, span, cold, done.cause(), "Unreachable");
                    return;
                }
                FunctionProxy.Response r = done.result();
                var response = ctx.response().putHeader(REQUEST_ID, requestId)
                        .putHeader("Lambkin-Executed-Instance", target.pod());
                String error = r.headers().get(FUNCTION_ERROR);
                if (error == null && r.status() / 100 != 2) {
                    error = "Unhandled"; // a non-2xx answer is a function error, as the contract says
                }
                if (error != null) {
                    response.putHeader(FUNCTION_ERROR, error);
                }
                String log = r.headers().get("Lambkin-Log-Result");
                if (log != null) {
                    response.putHeader("Lambkin-Log-Result", log);
                }
                String memory = r.headers().get("Lambkin-Max-Memory-Used");
                response.putHeader("Content-Type", r.headers().get("Content-Type") != null ? r.headers().get("Content-Type")
                        : "application/json");
                report(requestId, key, fn, start, memory, cold ? initMs : null, error == null ? "Success" : "Error:" + error);
                tracing.end(span, error == null ? "Success" : "Error:" + error, cold);
                metrics.invoked(key, error == null ? "success" : "error", error, Duration.ofNanos(System.nanoTime() - start),
                        cold ? Duration.ofNanos((long) (initMs * 1e6)) : null);
                response.setStatusCode(200).end(r.body());
            });
        });
    }

    /** An invocation that got no answer from the function: recorded (REPORT, span, metrics) and answered. */
    private void failed(RoutingContext ctx, String requestId, FunctionKey key, Function fn, long start,
            io.opentelemetry.api.trace.Span span, boolean cold, Throwable cause, String defaultKind) {
        String kind = cause instanceof InvokeError e && e.reason() != null ? e.reason() : defaultKind;
        report(requestId, key, fn, start, null, null, "Error:" + kind);
        tracing.end(span, "Error:" + kind, cold);
        metrics.invoked(key, "error", kind, Duration.ofNanos(System.nanoTime() - start), null);
        fail(ctx, cause, requestId);
    }

    private static boolean dnsLabel(String s) {
        return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
    }

    private void finish(FunctionKey key, ConcurrencyLimiter.Permit permit, Instance instance) {
        if (instance != null) {
            instance.release();
        }
        limiter.release(permit);
        scaler.touch(key);
        activator.released(key);
    }

    /** initMs: how long the request waited for an instance to start, on a cold start; null otherwise. */
    private static void report(String requestId, FunctionKey key, Function fn, long start, String maxMemory, Double initMs,
            String outcome) {
        long memorySize = FunctionDefaults.memorySizeMiB(fn.getSpec()).orElse(0L);
        Long used = null;
        try {
            used = maxMemory == null ? null : Long.parseLong(maxMemory);
        } catch (NumberFormatException e) {
            // the header is optional and informative only
        }
        InvocationReport.log(new InvocationReport.Report(requestId, key.toString(), (System.nanoTime() - start) / 1e6,
                memorySize, used, initMs, outcome));
    }

    private static InvokeError throttled(FunctionKey key, ConcurrencyLimiter.Refused refused) {
        String reason = refused.reason().name();
        return InvokeError.throttled(reason, "Rate Exceeded: " + key + " is at its concurrency limit (" + reason + ")");
    }

    private static void copy(RoutingContext ctx, Map<String, String> headers, String name) {
        String v = ctx.request().getHeader(name);
        if (v != null) {
            headers.put(name, v);
        }
    }

    /** Null when the body is empty or one JSON value; else what is wrong with it. */
    static String jsonProblem(Buffer body) {
        if (body.length() == 0) {
            return null;
        }
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            if (p.nextToken() == null) {
                return null;
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "more than one JSON value";
            }
            return null;
        } catch (IOException e) {
            return e.getMessage().lines().findFirst().orElse("invalid JSON");
        }
    }

    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            fail(ctx, InvokeError.tooLarge("the event is larger than " + MAX_SYNC_PAYLOAD + " bytes, the synchronous limit"));
        } else if (ctx.failure() instanceof InvokeError e) {
            fail(ctx, e);
        } else {
            fail(ctx, InvokeError.badRequest(ctx.failure() == null ? "bad request" : ctx.failure().getMessage()));
        }
    }

    static void fail(RoutingContext ctx, InvokeError e) {
        fail(ctx, e, null);
    }

    static void fail(RoutingContext ctx, Throwable cause, String requestId) {
        InvokeError e = cause instanceof InvokeError ie ? ie
                : InvokeError.unreachable(cause == null ? "invocation failed" : cause.getMessage());
        if (ctx.response().ended()) {
            return;
        }
        JsonObject body = new JsonObject().put("type", e.type()).put("message", e.getMessage());
        if (e.reason() != null) {
            body.put("reason", e.reason());
        }
        var response = ctx.response().setStatusCode(e.status()).putHeader("Content-Type", "application/json");
        if (requestId != null) {
            response.putHeader(REQUEST_ID, requestId);
        }
        if (e.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", e.retryAfterSeconds().toString());
        }
        response.end(body.encode());
    }
}
