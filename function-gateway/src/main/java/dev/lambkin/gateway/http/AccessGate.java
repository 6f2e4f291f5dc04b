package dev.lambkin.gateway.http;

import dev.lambkin.gateway.auth.Access;
import dev.lambkin.gateway.auth.KubernetesAccess;
import dev.lambkin.gateway.auth.Permission;
import io.vertx.ext.web.RoutingContext;

/**
 * What every edge does before it acts for a caller: ask whether the caller may (the request's bearer token), answer
 * the refusal as the gateway's error JSON, or go on. With auth off it goes on at once, without a future.
 */
public final class AccessGate {
    private AccessGate() {
    }

    public static void whenAllowed(RoutingContext ctx, KubernetesAccess access, Permission permission, Runnable allowed) {
        if (!access.enabled()) {
            allowed.run();
            return;
        }
        access.check(ctx.request().getHeader("Authorization"), permission).onComplete(checked -> {
            ApiError refused = ApiErrors.of(checked.succeeded() ? checked.result()
                    : new Access.Unavailable("the access review failed"));
            if (refused != null) {
                ApiErrors.answer(ctx.response(), refused, null);
            } else {
                allowed.run();
            }
        });
    }
}
