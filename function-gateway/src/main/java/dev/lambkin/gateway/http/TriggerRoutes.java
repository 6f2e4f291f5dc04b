package dev.lambkin.gateway.http;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.HttpSource;
import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.auth.KubernetesAccess;
import dev.lambkin.gateway.auth.Permission;
import dev.lambkin.gateway.invoke.Outcome;
import dev.lambkin.gateway.invoke.RequestIds;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.trigger.Cors;
import dev.lambkin.gateway.trigger.HttpAnswers;
import dev.lambkin.gateway.trigger.HttpEvents;
import dev.lambkin.gateway.trigger.RouteRunner;
import dev.lambkin.gateway.trigger.RouteTable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The routes of http Triggers: every request no gateway path takes is looked up in the route table; a routed one
 * becomes a payload-2.0 event of the Trigger's function, and the function's result its answer, the way Lambda's
 * function URLs do it. Unrouted: a JSON 404; a method the path does not route: 405 with Allow.
 */
@ApplicationScoped
public class TriggerRoutes {
    private static final Logger LOG = Logger.getLogger(TriggerRoutes.class);
    /** Request headers a route with kubernetes auth does not pass on: the caller's token is not the function's. */
    private static final List<String> CREDENTIALS = List.of("authorization");

    private final RouteRunner routes;
    private final FunctionCatalog catalog;
    private final SyncCalls calls;
    private final EventAcceptance acceptance;
    private final KubernetesAccess access;

    public TriggerRoutes(RouteRunner routes, FunctionCatalog catalog, SyncCalls calls, EventAcceptance acceptance, KubernetesAccess access) {
        this.routes = routes;
        this.catalog = catalog;
        this.calls = calls;
        this.acceptance = acceptance;
        this.access = access;
    }

    void routes(@Observes Router router) {
        // last: the gateway's own paths go first, and whatever nothing takes gets a JSON answer, not a framework's page
        router.route().order(Integer.MAX_VALUE).handler(this::route);
    }

    private void route(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        // a preflight asks about the method it names: the route that takes that method answers it
        boolean preflight = Cors.preflight(req.method().name(), req.headers());
        HttpSource.Method method = method(preflight ? req.getHeader("Access-Control-Request-Method") : req.method().name());
        String host = req.authority() == null ? null : req.authority().host();
        switch (routes.table().match(host, ctx.normalizedPath(), method)) {
            case RouteTable.NoRoute none -> InvokeRoutes.fail(ctx, ApiError.noSuchPath("no such path: " + req.method() + " "
                    + req.path() + " (invoke with POST /functions/{namespace}/{name}, or route a path with an http Trigger)"));
            case RouteTable.WrongMethod wrong -> {
                String allow = wrong.allowed().stream().map(Enum::name).collect(Collectors.joining(", "));
                ctx.response().putHeader("Allow", allow);
                InvokeRoutes.fail(ctx, ApiError.methodNotAllowed(req.path() + " is routed for " + allow + ", not " + req.method()));
            }
            case RouteTable.Found found -> routed(ctx, found.route(), preflight);
        }
    }

    private void routed(RoutingContext ctx, RouteTable.Route route, boolean preflight) {
        HttpServerRequest req = ctx.request();
        if (preflight && route.cors() != null) {
            // browsers send no credentials on a preflight: the gateway answers it without asking the function
            ctx.response().headers().addAll(Cors.preflightHeaders(route.cors(), route.methods(), req.headers()));
            ctx.response().setStatusCode(204).end();
            return;
        }
        cors(ctx, route); // the gateway's own refusals (401, 404, 413, 429 ...) are readable by the browser too
        if (preflight && !route.methods().contains(HttpSource.Method.OPTIONS)) {
            // no CORS on the route and OPTIONS not routed: nothing would answer the browser
            ctx.response().putHeader("Allow", route.methods().stream().map(Enum::name).collect(Collectors.joining(", ")));
            InvokeRoutes.fail(ctx, ApiError.methodNotAllowed(req.path() + " has no CORS settings and does not route OPTIONS"));
            return;
        }
        Runnable invoke = () -> readBody(ctx, route);
        if (route.auth() == HttpSource.Auth.KUBERNETES) {
            AccessGate.whenAllowed(ctx, access, Permission.invoke(route.namespace(), route.function()), invoke);
        } else {
            invoke.run();
        }
    }

    /** Reads the body up to the invocation limit: a larger one is refused as soon as it is seen to be. */
    private void readBody(RoutingContext ctx, RouteTable.Route route) {
        HttpServerRequest req = ctx.request();
        int limit = limit(route);
        String length = req.getHeader("Content-Length");
        if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > limit) {
            tooLarge(ctx, limit);
            return;
        }
        Buffer body = Buffer.buffer();
        if (req.isEnded()) {
            invoke(ctx, route, body);
            return;
        }
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(ctx, limit);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> refused[0] = true);
        req.endHandler(v -> {
            if (!refused[0]) {
                invoke(ctx, route, body);
            }
        });
        req.resume();
    }

    private void invoke(RoutingContext ctx, RouteTable.Route route, Buffer body) {
        HttpServerRequest req = ctx.request();
        FunctionKey key = new FunctionKey(route.namespace(), route.function());
        Function fn = catalog.get(key).orElse(null);
        if (fn == null) {
            InvokeRoutes.fail(ctx, ApiError.notFound("Function " + key + " of Trigger " + route.name() + " does not exist"));
            return;
        }
        String requestId = RequestIds.next();
        HttpEvents.Request seen = new HttpEvents.Request(req.method().name(), req.path(), req.query(),
                req.version() == null ? "HTTP/1.1" : switch (req.version()) {
                    case HTTP_1_0 -> "HTTP/1.0";
                    case HTTP_1_1 -> "HTTP/1.1";
                    case HTTP_2 -> "HTTP/2";
                }, req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress(),
                req.authority() == null ? "" : req.authority().host(), req.headers(), body, requestId, Instant.now());
        Buffer event = HttpEvents.of(route, seen, route.auth() == HttpSource.Auth.KUBERNETES ? CREDENTIALS : List.of()).toBuffer();
        if (event.length() > limit(route)) {
            tooLarge(ctx, limit(route));
            return;
        }
        routes.fired(route);
        if (route.async()) {
            acceptance.acceptAndAnswer(ctx, key, event, requestId);
            return;
        }
        calls.call(ctx, fn, key, event, requestId, null, null, outcome -> answer(ctx, route, requestId, outcome),
                refused -> ApiErrors.answer(ctx.response(), refused, requestId));
    }

    /** The function's outcome as the route's answer: its HTTP response, or the error a function URL would give. */
    private void answer(RoutingContext ctx, RouteTable.Route route, String requestId, Outcome outcome) {
        HttpServerResponse response = ctx.response().putHeader(Contract.REQUEST_ID, requestId);
        switch (outcome) {
            case Outcome.Answered a -> {
                HttpAnswers.Answer answer = HttpAnswers.of(a.body());
                if (answer.invalid() != null) {
                    LOG.warnf("route %s, request %s: %s", route.name(), requestId, answer.invalid());
                    message(ctx, route, 502, "Internal Server Error");
                    return;
                }
                response.headers().addAll(answer.headers());
                cors(ctx, route);
                response.setStatusCode(answer.status()).end(answer.body());
            }
            case Outcome.TimedOut t -> {
                response.putHeader(Contract.FUNCTION_ERROR, t.kind());
                message(ctx, route, 504, "Endpoint request timed out");
            }
            case Outcome.FunctionFailure f -> {
                response.putHeader(Contract.FUNCTION_ERROR, f.kind());
                message(ctx, route, 502, "Internal Server Error");
            }
            default -> ApiErrors.answer(response, SyncAnswers.error(outcome), requestId);
        }
    }

    /** API Gateway's own error answer: {"message": ...}; the function's error detail stays in its logs. */
    private void message(RoutingContext ctx, RouteTable.Route route, int status, String message) {
        cors(ctx, route);
        ctx.response().putHeader("Content-Type", "application/json").setStatusCode(status)
                .end(new JsonObject().put("message", message).toBuffer());
    }

    private static void cors(RoutingContext ctx, RouteTable.Route route) {
        if (route.cors() != null) {
            Cors.onAnswer(route.cors(), ctx.request().getHeader("Origin"), ctx.response().headers());
        }
    }

    /** Lambda's event limit for the route's invocation type. */
    private static int limit(RouteTable.Route route) {
        return route.async() ? Contract.MAX_ASYNC_EVENT_BYTES : Contract.MAX_SYNC_EVENT_BYTES;
    }

    private static void tooLarge(RoutingContext ctx, int limit) {
        ctx.response().putHeader("Connection", "close");
        InvokeRoutes.fail(ctx, ApiError.tooLarge("the request is larger than " + limit + " bytes, the invocation limit"));
    }

    private static HttpSource.Method method(String name) {
        try {
            return HttpSource.Method.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
