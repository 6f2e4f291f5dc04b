package dev.lambkin.gateway.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.auth.Access;
import dev.lambkin.gateway.auth.Permission;
import dev.lambkin.gateway.http.ApiError;
import dev.lambkin.gateway.http.EventAcceptance;
import dev.lambkin.gateway.http.InvokeRoutes;
import dev.lambkin.gateway.http.SyncAnswers;
import dev.lambkin.gateway.http.SyncCalls;
import dev.lambkin.gateway.invoke.Outcome;
import dev.lambkin.gateway.invoke.RequestIds;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Lambda's own API on the gateway's port, so AWS SDKs and the AWS CLI call Lambkin with an endpoint override:
 * Invoke ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) with Lambda's headers and error shapes,
 * and the read-only GetFunction, GetFunctionConfiguration and ListFunctions from the Function resources. The
 * caller signs with an access key (SigV4) or sends a bearer token; the verbs are the same as on Lambkin's API
 * (invoke; get and list on functions.lambkin.dev).
 */
@ApplicationScoped
public class AwsLambdaRoutes {
    private static final Logger LOG = Logger.getLogger(AwsLambdaRoutes.class);
    static final String PREFIX = "/2015-03-31/functions";
    static final String INVOCATION_TYPE = "X-Amz-Invocation-Type";
    static final String LOG_TYPE = "X-Amz-Log-Type";
    static final String FUNCTION_ERROR = "X-Amz-Function-Error";
    static final String LOG_RESULT = "X-Amz-Log-Result";
    static final String EXECUTED_VERSION = "X-Amz-Executed-Version";
    static final String CLIENT_CONTEXT = "X-Amz-Client-Context";
    /** ListFunctions' page size when MaxItems is not given (Lambda's maximum). */
    static final int PAGE = 50;

    private final AwsCallers callers;
    private final FunctionCatalog catalog;
    private final SyncCalls calls;
    private final EventAcceptance acceptance;
    private final String region;

    public AwsLambdaRoutes(AwsCallers callers, FunctionCatalog catalog, SyncCalls calls, EventAcceptance acceptance,
            GatewayConfig config) {
        this.callers = callers;
        this.catalog = catalog;
        this.calls = calls;
        this.acceptance = acceptance;
        this.region = config.aws().region();
    }

    void routes(@Observes Router router) {
        // whatever fails in a handler of this API is answered in AWS's shape, never a framework's page
        router.route("/2015-03-31/*").order(-1).failureHandler(this::failure);
        router.post(PREFIX + "/:name/invocations").handler(BodyHandler.create(false).setBodyLimit(Contract.MAX_SYNC_EVENT_BYTES))
                .handler(this::invoke).failureHandler(this::failure);
        router.get(PREFIX + "/:name/configuration").handler(ctx -> described(ctx, FunctionConfigurations::configuration));
        router.get(PREFIX + "/:name").handler(ctx -> described(ctx, FunctionConfigurations::function));
        router.get(PREFIX).handler(this::list);
        router.get(PREFIX + "/").handler(this::list);
        // a served path with another method: 405 naming the one it takes (SDKs never send one; a curl may)
        onlyThese(router, PREFIX + "/:name/invocations", "POST");
        onlyThese(router, PREFIX + "/:name/configuration", "GET");
        onlyThese(router, PREFIX + "/:name", "GET");
        onlyThese(router, PREFIX, "GET");
        onlyThese(router, PREFIX + "/", "GET");
        router.route("/2015-03-31/*").handler(ctx -> AwsErrors.answer(ctx.response(), 404, "UnknownOperationException",
                "Lambkin serves Invoke, GetFunction, GetFunctionConfiguration and ListFunctions of Lambda's API, not "
                        + ctx.request().method() + " " + ctx.request().path(), RequestIds.next(), null));
    }

    /** A function named by the request, resolved and allowed; else the request is answered. */
    private record Target(AwsCallers.Caller caller, FunctionKey key, String arn) {
    }

    private void resolve(RoutingContext ctx, byte[] body, String verb, String requestId, java.util.function.Consumer<Target> then) {
        authenticated(ctx, body, requestId, caller -> {
            FunctionNames.Named named;
            try {
                named = FunctionNames.parse(ctx.pathParam("name"), ctx.queryParams().get("Qualifier"));
            } catch (IllegalArgumentException invalid) {
                AwsErrors.answer(ctx.response(), 400, "InvalidParameterValueException", invalid.getMessage(), requestId, null);
                return;
            }
            String ns = named.namespace() != null ? named.namespace() : caller.namespace();
            if (ns == null) {
                AwsErrors.answer(ctx.response(), 400, "InvalidParameterValueException", "a plain FunctionName resolves in the caller's "
                        + "namespace, and " + caller.identity().username() + " is not a ServiceAccount: name the function by its ARN "
                        + "(arn:aws:lambda:" + region + ":<namespace>:function:" + named.name() + ")", requestId, null);
                return;
            }
            String arn = FunctionNames.arn(region, ns, named.name());
            allowed(ctx, caller, new Permission("functions", verb, ns, named.name()), "resource: " + arn, requestId, () -> {
                if (named.qualifier() != null && !FunctionNames.LATEST.equals(named.qualifier())) {
                    AwsErrors.answer(ctx.response(), 404, "ResourceNotFoundException", "Function not found: " + arn + ":"
                            + named.qualifier() + " (Lambkin has no versions or aliases yet: use $LATEST)", requestId, null);
                } else {
                    then.accept(new Target(caller, new FunctionKey(ns, named.name()), arn));
                }
            });
        });
    }

    /** The caller, or the request answered with AWS's refusal. */
    private void authenticated(RoutingContext ctx, byte[] body, String requestId, java.util.function.Consumer<AwsCallers.Caller> then) {
        callers.authenticate(ctx, body).onComplete(done -> {
            if (done.failed() || done.result() instanceof AwsCallers.Refusal) {
                AwsCallers.Refusal r = done.succeeded() ? (AwsCallers.Refusal) done.result()
                        : new AwsCallers.Refusal(500, "ServiceException", "the caller could not be authenticated");
                AwsErrors.answer(ctx.response(), r.status(), r.type(), r.message(), requestId, null);
                return;
            }
            then.accept((AwsCallers.Caller) done.result());
        });
    }

    /** Goes on when the caller may; else answers AccessDeniedException (403) or ServiceException (503). */
    private void allowed(RoutingContext ctx, AwsCallers.Caller caller, Permission permission, String on, String requestId,
            Runnable then) {
        callers.authorize(caller, permission).onComplete(checked -> {
            Access access = checked.succeeded() ? checked.result() : new Access.Unavailable("the access review failed");
            switch (access) {
                case Access.Allowed ok -> then.run();
                case Access.Forbidden f -> AwsErrors.answer(ctx.response(), 403, "AccessDeniedException", "User: "
                        + caller.identity().username() + " is not authorized to perform: lambda:" + action(permission.verb()) + " on "
                        + on + " (Kubernetes: " + f.message() + ")", requestId, null);
                case Access.Unavailable u -> AwsErrors.answer(ctx.response(), 503, "ServiceException", u.message(), requestId, null);
                case Access.Unauthenticated u -> AwsErrors.answer(ctx.response(), 403, "UnrecognizedClientException", u.message(), requestId, null);
            }
        });
    }

    private void invoke(RoutingContext ctx) {
        String requestId = RequestIds.next();
        Buffer event = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        String type = ctx.request().getHeader(INVOCATION_TYPE);
        if (type != null && !type.equals("RequestResponse") && !type.equals("Event") && !type.equals("DryRun")) {
            AwsErrors.answer(ctx.response(), 400, "InvalidParameterValueException",
                    INVOCATION_TYPE + " must be RequestResponse, Event or DryRun, not " + type, requestId, null);
            return;
        }
        resolve(ctx, event.getBytes(), "invoke", requestId, target -> {
            Function fn = catalog.get(target.key()).orElse(null);
            if (fn == null) {
                AwsErrors.answer(ctx.response(), 404, "ResourceNotFoundException", "Function not found: " + target.arn(), requestId, null);
                return;
            }
            if ("DryRun".equals(type)) {
                ctx.response().putHeader(AwsErrors.REQUEST_ID, requestId).setStatusCode(204).end();
                return;
            }
            String invalid = InvokeRoutes.jsonProblem(event);
            if (invalid != null) {
                AwsErrors.answer(ctx.response(), 400, "InvalidRequestContentException", "Could not parse request body into json: "
                        + invalid, requestId, null);
                return;
            }
            if ("Event".equals(type)) {
                if (event.length() > Contract.MAX_ASYNC_EVENT_BYTES) {
                    AwsErrors.answer(ctx.response(), 413, "RequestTooLargeException", "Request must be smaller than "
                            + Contract.MAX_ASYNC_EVENT_BYTES + " bytes for the InvokeAsync operation", requestId, null);
                    return;
                }
                acceptance.accept(ctx, target.key(), event, requestId).onComplete(stored -> {
                    if (stored.failed()) {
                        AwsErrors.answer(ctx.response(), (ApiError) stored.cause(), requestId);
                    } else {
                        ctx.response().putHeader(AwsErrors.REQUEST_ID, requestId).setStatusCode(202).end();
                    }
                });
                return;
            }
            String logType = "Tail".equals(ctx.request().getHeader(LOG_TYPE)) ? "Tail" : null;
            calls.call(ctx, fn, target.key(), event, requestId, logType, ctx.request().getHeader(CLIENT_CONTEXT),
                    outcome -> answer(ctx.response(), requestId, logType != null, outcome),
                    refused -> AwsErrors.answer(ctx.response(), refused, requestId));
        });
    }

    /** Lambda's Invoke answer: 200 with the payload; a function error is 200 too, with X-Amz-Function-Error. */
    static void answer(HttpServerResponse response, String requestId, boolean tail, Outcome outcome) {
        ApiError error = SyncAnswers.error(outcome);
        if (error != null) {
            AwsErrors.answer(response, error, requestId);
            return;
        }
        response.putHeader(AwsErrors.REQUEST_ID, requestId).putHeader(EXECUTED_VERSION, FunctionNames.LATEST)
                .putHeader("Content-Type", "application/json");
        switch (outcome) {
            case Outcome.Answered a -> {
                logResult(response, tail, a.headers().get(Contract.LOG_RESULT));
                response.setStatusCode(200).end(a.body());
            }
            case Outcome.FunctionError e when e.headers().get(Contract.FUNCTION_ERROR) != null -> {
                logResult(response, tail, e.headers().get(Contract.LOG_RESULT));
                response.putHeader(FUNCTION_ERROR, e.kind()).setStatusCode(200).end(e.body());
            }
            case Outcome.FunctionFailure f -> {
                logResult(response, tail, f instanceof Outcome.FunctionError fe ? fe.headers().get(Contract.LOG_RESULT) : null);
                response.putHeader(FUNCTION_ERROR, f.kind()).setStatusCode(200).end(SyncAnswers.payload(f));
            }
            default -> throw new IllegalStateException("not an answer: " + outcome);
        }
    }

    private static void logResult(HttpServerResponse response, boolean tail, String logResult) {
        if (tail && logResult != null) {
            response.putHeader(LOG_RESULT, logResult);
        }
    }

    private void described(RoutingContext ctx, java.util.function.BiFunction<Function, String, JsonObject> view) {
        String requestId = RequestIds.next();
        resolve(ctx, new byte[0], "get", requestId, target -> {
            Function fn = catalog.get(target.key()).orElse(null);
            if (fn == null) {
                AwsErrors.answer(ctx.response(), 404, "ResourceNotFoundException", "Function not found: " + target.arn(), requestId, null);
                return;
            }
            ctx.response().putHeader(AwsErrors.REQUEST_ID, requestId).putHeader("Content-Type", "application/json")
                    .end(view.apply(fn, region).toBuffer());
        });
    }

    /** ListFunctions: the caller's namespace, in name order, paged by Marker (the last name of a page) and MaxItems. */
    private void list(RoutingContext ctx) {
        String requestId = RequestIds.next();
        int max;
        try {
            String m = ctx.queryParams().get("MaxItems");
            max = m == null ? PAGE : Integer.parseInt(m);
            if (max < 1 || max > 10000) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            AwsErrors.answer(ctx.response(), 400, "InvalidParameterValueException", "MaxItems must be a number from 1 to 10000",
                    requestId, null);
            return;
        }
        String marker = ctx.queryParams().get("Marker");
        authenticated(ctx, new byte[0], requestId, caller -> {
            String ns = caller.namespace();
            if (ns == null) {
                AwsErrors.answer(ctx.response(), 400, "InvalidParameterValueException", "ListFunctions lists the caller's namespace, and "
                        + caller.identity().username() + " is not a ServiceAccount", requestId, null);
                return;
            }
            allowed(ctx, caller, new Permission("functions", "list", ns, null), "namespace " + ns, requestId, () -> {
                List<Function> all = new ArrayList<>(catalog.all().stream().filter(f -> ns.equals(f.getMetadata().getNamespace()))
                        .filter(f -> marker == null || f.getMetadata().getName().compareTo(marker) > 0)
                        .sorted(Comparator.comparing(f -> f.getMetadata().getName())).toList());
                JsonArray page = new JsonArray();
                all.stream().limit(max).forEach(f -> page.add(FunctionConfigurations.configuration(f, region)));
                JsonObject body = new JsonObject().put("Functions", page);
                if (all.size() > max) {
                    body.put("NextMarker", all.get(max - 1).getMetadata().getName());
                }
                ctx.response().putHeader(AwsErrors.REQUEST_ID, requestId).putHeader("Content-Type", "application/json").end(body.toBuffer());
            });
        });
    }

    private static void onlyThese(Router router, String path, String allowed) {
        router.route(path).handler(ctx -> {
            ctx.response().putHeader("Allow", allowed);
            AwsErrors.answer(ctx.response(), 405, "MethodNotAllowedException", ctx.request().path() + " takes " + allowed
                    + ", not " + ctx.request().method(), RequestIds.next(), null);
        });
    }

    private void failure(RoutingContext ctx) {
        String requestId = RequestIds.next();
        if (ctx.statusCode() == 413) {
            AwsErrors.answer(ctx.response(), 413, "RequestTooLargeException", "Request must be smaller than "
                    + Contract.MAX_SYNC_EVENT_BYTES + " bytes for the Invoke operation", requestId, null);
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // the body could not be read as sent (e.g. a form type with a broken escape)
            AwsErrors.answer(ctx.response(), 400, "InvalidRequestContentException", "the request could not be read (HTTP "
                    + ctx.statusCode() + (ctx.failure() != null ? ": " + ctx.failure().getMessage() : "") + ")", requestId, null);
        } else {
            LOG.errorf(ctx.failure(), "request %s (%s %s) failed in the gateway", requestId, ctx.request().method(), ctx.request().path());
            AwsErrors.answer(ctx.response(), ApiError.internal(requestId), requestId);
        }
    }

    private static String action(String verb) {
        return switch (verb) {
            case "invoke" -> "InvokeFunction";
            case "list" -> "ListFunctions";
            default -> "GetFunction";
        };
    }
}
