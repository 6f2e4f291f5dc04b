package dev.lambkin.gateway.http;

import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.Names;
import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.Draining;
import dev.lambkin.gateway.async.AsyncEvent;
import dev.lambkin.gateway.async.AsyncMetrics;
import dev.lambkin.gateway.async.EventQueue;
import dev.lambkin.gateway.auth.KubernetesAccess;
import dev.lambkin.gateway.auth.Permission;
import dev.lambkin.gateway.invoke.Invocation;
import dev.lambkin.gateway.invoke.Invoker;
import dev.lambkin.gateway.invoke.RequestIds;
import dev.lambkin.gateway.limit.Admission;
import dev.lambkin.gateway.limit.Lease;
import dev.lambkin.gateway.record.InvocationMetrics;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import io.vertx.core.buffer.Buffer;
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
    private static final Logger LOG = Logger.getLogger(InvokeRoutes.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final FunctionCatalog catalog;
    private final Admission admission;
    private final Invoker invoker;
    private final EventQueue events;
    private final InvocationMetrics metrics;
    private final AsyncMetrics asyncMetrics;
    private final Draining draining;
    private final KubernetesAccess access;

    public InvokeRoutes(FunctionCatalog catalog, Admission admission, Invoker invoker, EventQueue events,
            InvocationMetrics metrics, AsyncMetrics asyncMetrics, Draining draining, KubernetesAccess access) {
        this.access = access;
        this.draining = draining;
        this.catalog = catalog;
        this.admission = admission;
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
        router.route("/functions/:namespace/:name").handler(ctx -> {
            ctx.response().putHeader("Allow", "POST");
            fail(ctx, ApiError.methodNotAllowed("invoke a function with POST, not " + ctx.request().method()));
        });
        // whatever no route takes: a JSON answer like every other error, not a framework's page
        router.route().order(Integer.MAX_VALUE).handler(ctx -> fail(ctx, ApiError.noSuchPath("no such path: "
                + ctx.request().method() + " " + ctx.request().path() + " (invoke with POST /functions/{namespace}/{name})")));
    }

    private void invoke(RoutingContext ctx) {
        if (draining.draining()) {
            fail(ctx, ApiError.draining());
            return;
        }
        String ns = ctx.pathParam("namespace"), name = ctx.pathParam("name");
        if (!dnsLabel(ns) || !dnsLabel(name)) {
            fail(ctx, ApiError.badRequest("namespace and function name must be DNS labels: " + ns + "/" + name));
            return;
        }
        String type = ctx.request().getHeader(Contract.INVOCATION_TYPE);
        if (type != null && !type.equals("RequestResponse") && !type.equals("DryRun") && !type.equals("Event")) {
            fail(ctx, ApiError.badRequest(Contract.INVOCATION_TYPE + " must be RequestResponse, Event or DryRun, not " + type));
            return;
        }
        // permission before existence: a caller who may not invoke learns nothing of which functions exist
        AccessGate.whenAllowed(ctx, access, Permission.invoke(ns, name), () -> allowed(ctx, ns, name, type));
    }

    private void allowed(RoutingContext ctx, String ns, String name, String type) {
        FunctionKey key = new FunctionKey(ns, name);
        Function fn = catalog.get(key).orElse(null);
        if (fn == null) {
            fail(ctx, ApiError.notFound("Function not found: " + key));
            return;
        }
        if ("DryRun".equals(type)) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        Buffer event = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        if ("Event".equals(type) && event.length() > MAX_ASYNC_PAYLOAD) {
            fail(ctx, ApiError.tooLarge("the event is " + event.length() + " bytes; the asynchronous limit is " + MAX_ASYNC_PAYLOAD));
            return;
        }
        // judged by what it is, as Lambda does, whatever the Content-Type says (curl -d sends a form type)
        String invalid = jsonProblem(event);
        if (invalid != null) {
            fail(ctx, ApiError.badRequest("could not parse the request body as JSON: " + invalid));
            return;
        }
        if ("Event".equals(type)) {
            accept(ctx, key, event);
            return;
        }
        switch (admission.tryAcquire(key.toString())) {
            case Admission.Refused refused -> {
                metrics.throttled(key, refused.reason().name());
                fail(ctx, throttled(key, refused));
            }
            case Lease lease -> call(ctx, fn, key, event, lease);
        }
    }

    private void call(RoutingContext ctx, Function fn, FunctionKey key, Buffer event, Lease lease) {
        String requestId = RequestIds.next();
        Invocation inv = new Invocation(key, fn, event, requestId, "RequestResponse", 1,
                ctx.request().getHeader(Contract.TRACEPARENT), ctx.request().getHeader(Contract.LOG_TYPE));
        invoker.invoke(inv, lease).onComplete(done -> {
            if (done.failed()) {
                LOG.errorf(done.cause(), "invocation %s of %s failed in the gateway", requestId, key);
                ApiErrors.answer(ctx.response(), ApiError.internal(requestId), requestId);
                return;
            }
            SyncAnswers.answer(ctx.response(), requestId, done.result());
        });
    }

    /** Event: 202 with the request id once JetStream has stored the event; 503 when it could not be stored. */
    private void accept(RoutingContext ctx, FunctionKey key, Buffer event) {
        String requestId = RequestIds.next();
        AsyncEvent accepted = AsyncEvent.accepted(requestId, key, event.getBytes(), Instant.now(),
                ctx.request().getHeader(Contract.TRACEPARENT));
        var vertxContext = ctx.vertx().getOrCreateContext();
        events.publish(accepted).whenComplete((seq, err) -> vertxContext.runOnContext(v -> {
            if (err != null) {
                ApiErrors.answer(ctx.response(), ApiError.unavailable("AsyncUnavailable", "the event could not be stored: "
                        + (err.getMessage() != null ? err.getMessage() : err.getClass().getSimpleName())), requestId);
                return;
            }
            asyncMetrics.accepted(key);
            ctx.response().setStatusCode(202).putHeader(Contract.REQUEST_ID, requestId).end();
        }));
    }

    private static boolean dnsLabel(String s) {
        return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
    }

    private static ApiError throttled(FunctionKey key, Admission.Refused refused) {
        String reason = refused.reason().name();
        return ApiError.throttled(reason, "Rate Exceeded: " + key + " is at its concurrency limit (" + reason + ")");
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
            fail(ctx, ApiError.tooLarge("the event is larger than " + MAX_SYNC_PAYLOAD + " bytes, the synchronous limit"));
        } else if (ctx.failure() instanceof ApiError e) {
            fail(ctx, e);
        } else if (ctx.failure() == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            fail(ctx, ApiError.badRequest("the request could not be read (HTTP " + ctx.statusCode() + ")"));
        } else {
            String requestId = RequestIds.next();
            LOG.errorf(ctx.failure(), "request %s (%s %s) failed in the gateway", requestId, ctx.request().method(),
                    ctx.request().path());
            ApiErrors.answer(ctx.response(), ApiError.internal(requestId), requestId);
        }
    }

    public static void fail(RoutingContext ctx, ApiError e) {
        ApiErrors.answer(ctx.response(), e, null);
    }
}
