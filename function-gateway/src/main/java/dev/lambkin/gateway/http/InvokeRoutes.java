package dev.lambkin.gateway.http;

import java.io.IOException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.Names;
import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.auth.KubernetesAccess;
import dev.lambkin.gateway.auth.Permission;
import dev.lambkin.gateway.invoke.RequestIds;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code POST /functions/{namespace}/{name}}: Lambda's Invoke on Kubernetes. Non-blocking on Vert.x: a request
 * held while its function scales from zero costs a callback, not a thread, so thousands can wait at once.
 */
@Singleton
public class InvokeRoutes {
    private static final Logger LOG = Logger.getLogger(InvokeRoutes.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final FunctionCatalog catalog;
    private final SyncCalls calls;
    private final EventAcceptance acceptance;
    private final KubernetesAccess access;

    public InvokeRoutes(FunctionCatalog catalog, SyncCalls calls, EventAcceptance acceptance, KubernetesAccess access) {
        this.access = access;
        this.catalog = catalog;
        this.calls = calls;
        this.acceptance = acceptance;
    }

    void routes(@Observes Router router) {
        router.post("/functions/:namespace/:name")
                .handler(BodyHandler.create(false).setBodyLimit(Contract.MAX_SYNC_EVENT_BYTES))
                .handler(this::invoke)
                .failureHandler(this::failure);
        router.route("/functions/:namespace/:name").handler(ctx -> {
            ctx.response().putHeader("Allow", "POST");
            fail(ctx, ApiError.methodNotAllowed("invoke a function with POST, not " + ctx.request().method()));
        });
    }

    private void invoke(RoutingContext ctx) {
        String ns = ctx.pathParam("namespace"), name = ctx.pathParam("name");
        if (!Names.isDnsLabel(ns) || !Names.isDnsLabel(name)) {
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
        if ("Event".equals(type) && event.length() > Contract.MAX_ASYNC_EVENT_BYTES) {
            fail(ctx, ApiError.tooLarge("the event is " + event.length() + " bytes; the asynchronous limit is " + Contract.MAX_ASYNC_EVENT_BYTES));
            return;
        }
        // judged by what it is, as Lambda does, whatever the Content-Type says (curl -d sends a form type)
        String invalid = jsonProblem(event);
        if (invalid != null) {
            fail(ctx, ApiError.badRequest("could not parse the request body as JSON: " + invalid));
            return;
        }
        if ("Event".equals(type)) {
            acceptance.acceptAndAnswer(ctx, key, event, RequestIds.next());
            return;
        }
        String requestId = RequestIds.next();
        calls.call(ctx, fn, key, event, requestId, ctx.request().getHeader(Contract.LOG_TYPE),
                ctx.request().getHeader(Contract.CLIENT_CONTEXT), outcome -> SyncAnswers.answer(ctx.response(), requestId, outcome),
                refused -> ApiErrors.answer(ctx.response(), refused, requestId));
    }

    /** Null when the body is empty or one JSON value; else what is wrong with it. */
    public static String jsonProblem(Buffer body) {
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
            fail(ctx, ApiError.tooLarge("the event is larger than " + Contract.MAX_SYNC_EVENT_BYTES + " bytes, the synchronous limit"));
        } else if (ctx.failure() instanceof ApiError e) {
            fail(ctx, e);
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // e.g. a form type with a broken escape: the body handler decodes forms before the function sees them
            fail(ctx, ApiError.badRequest("the request could not be read (HTTP " + ctx.statusCode()
                    + (ctx.failure() != null ? ": " + ctx.failure().getMessage() : "") + ")"));
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
