package dev.lambkin.gateway.invoke;

import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.Names;
import dev.lambkin.gateway.Draining;
import dev.lambkin.gateway.async.AsyncEvent;
import dev.lambkin.gateway.async.AsyncMetrics;
import dev.lambkin.gateway.async.EventQueue;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.record.InvocationMetrics;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
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
    /** Lambda's asynchronous payload limit. */
    public static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;
    static final Pattern DNS_LABEL = Pattern.compile(Names.DNS_LABEL);
    static final String REQUEST_ID = "Lambkin-Request-Id";
    static final String FUNCTION_ERROR = "Lambkin-Function-Error";
    static final String INVOCATION_TYPE = "Lambkin-Invocation-Type";
    private static final JsonFactory JSON = new JsonFactory();

    private final FunctionCatalog catalog;
    private final ConcurrencyLimiter limiter;
    private final Invoker invoker;
    private final EventQueue events;
    private final InvocationMetrics metrics;
    private final AsyncMetrics asyncMetrics;
    private final Draining draining;

    public InvokeRoutes(FunctionCatalog catalog, ConcurrencyLimiter limiter, Invoker invoker, EventQueue events,
            InvocationMetrics metrics, AsyncMetrics asyncMetrics, Draining draining) {
        this.draining = draining;
        this.catalog = catalog;
        this.limiter = limiter;
        this.invoker = invoker;
        this.events = events;
        this.metrics = metrics;
        this.asyncMetrics = asyncMetrics;
    }

    void routes(@Observes Router router) {
        router.post("/functions/:namespace/:name")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_SYNC_PAYLOAD))
                .handler(this::invoke)
                .failureHandler(this::failure);
        router.route("/functions/:namespace/:name").handler(ctx -> fail(ctx, InvokeError.badRequest(
                "invoke a function with POST, not " + ctx.request().method())));
    }



    private void invoke(RoutingContext ctx) {
        if (draining.draining()) {
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
        Buffer event = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        if ("Event".equals(type) && event.length() > MAX_ASYNC_PAYLOAD) {
            fail(ctx, InvokeError.tooLarge("the event is " + event.length() + " bytes; the asynchronous limit is " + MAX_ASYNC_PAYLOAD));
            return;
        }
        String invalid = jsonProblem(event);
        if (invalid != null) {
            fail(ctx, InvokeError.badRequest("could not parse the request body as JSON: " + invalid));
            return;
        }
        if ("Event".equals(type)) {
            accept(ctx, key, event);
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
        String requestId = RequestIds.next();
        Invocation inv = new Invocation(key, fn, event, requestId, "RequestResponse", 1,
                ctx.request().getHeader("traceparent"), ctx.request().getHeader("Lambkin-Log-Type"));
        invoker.invoke(inv, permit).onComplete(done -> {
            if (done.failed()) {
                fail(ctx, done.cause(), requestId);
                return;
            }
            Invoker.Answer a = done.result();
            var response = ctx.response().putHeader(REQUEST_ID, requestId).putHeader("Lambkin-Executed-Instance", a.pod());
            if (a.functionError() != null) {
                response.putHeader(FUNCTION_ERROR, a.functionError());
            }
            String log = a.headers().get("Lambkin-Log-Result");
            if (log != null) {
                response.putHeader("Lambkin-Log-Result", log);
            }
            String contentType = a.headers().get("Content-Type");
            response.putHeader("Content-Type", contentType != null ? contentType : "application/json");
            response.setStatusCode(200).end(a.body());
        });
    }

    /** Event: 202 with the request id once JetStream has stored the event; 503 when it could not be stored. */
    private void accept(RoutingContext ctx, FunctionKey key, Buffer event) {
        String requestId = RequestIds.next();
        AsyncEvent accepted = AsyncEvent.accepted(requestId, key, event.getBytes(), Instant.now(),
                ctx.request().getHeader("traceparent"));
        var vertxContext = ctx.vertx().getOrCreateContext();
        events.publish(accepted).whenComplete((seq, err) -> vertxContext.runOnContext(v -> {
            if (err != null) {
                fail(ctx, InvokeError.unavailable("AsyncUnavailable", "the event could not be stored: "
                        + (err.getMessage() != null ? err.getMessage() : err.getClass().getSimpleName())), requestId);
                return;
            }
            asyncMetrics.accepted(key);
            ctx.response().setStatusCode(202).putHeader(REQUEST_ID, requestId).end();
        }));
    }

    private static boolean dnsLabel(String s) {
        return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
    }

    private static InvokeError throttled(FunctionKey key, ConcurrencyLimiter.Refused refused) {
        String reason = refused.reason().name();
        return InvokeError.throttled(reason, "Rate Exceeded: " + key + " is at its concurrency limit (" + reason + ")");
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

    public static void fail(RoutingContext ctx, InvokeError e) {
        fail(ctx, e, null);
    }

    public static void fail(RoutingContext ctx, Throwable cause, String requestId) {
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
