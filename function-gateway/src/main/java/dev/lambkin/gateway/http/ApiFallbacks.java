package dev.lambkin.gateway.http;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lambkin.gateway.invoke.RequestIds;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What no route of the gateway's own answers, answered in its JSON shape: a wrong method on one of its paths
 * (405 with Allow), and any failure a route's own handler did not take (never the framework's HTML page).
 */
@ApplicationScoped
public class ApiFallbacks {
    private static final Logger LOG = Logger.getLogger(ApiFallbacks.class);

    void routes(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).failureHandler(ctx -> {
            if (ctx.failure() instanceof ApiError e) {
                InvokeRoutes.fail(ctx, e);
            } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
                InvokeRoutes.fail(ctx, ApiError.badRequest("the request could not be read (HTTP " + ctx.statusCode()
                        + (ctx.failure() != null ? ": " + ctx.failure().getMessage() : "") + ")"));
            } else {
                String requestId = RequestIds.next();
                LOG.errorf(ctx.failure(), "request %s (%s %s) failed in the gateway", requestId, ctx.request().method(),
                        ctx.request().path());
                ApiErrors.answer(ctx.response(), ApiError.internal(requestId), requestId);
            }
        });
    }

    /** Any other method on path: 405 naming the ones it takes. Registered after the path's own routes. */
    public static void onlyThese(Router router, String path, HttpMethod... allowed) {
        String allow = Arrays.stream(allowed).map(HttpMethod::name).collect(Collectors.joining(", "));
        router.route(path).order(Integer.MAX_VALUE - 1).handler(ctx -> {
            ctx.response().putHeader("Allow", allow);
            InvokeRoutes.fail(ctx, ApiError.methodNotAllowed(ctx.request().path() + " takes " + allow + ", not " + ctx.request().method()));
        });
    }
}
