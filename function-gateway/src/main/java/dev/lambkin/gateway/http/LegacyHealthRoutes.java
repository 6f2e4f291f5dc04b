package dev.lambkin.gateway.http;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Liveness and readiness also on the callers' port, for one release: charts before the management port probe
 * {@code /q/health/live|ready} on 8080, and a user who pins such a chart but takes a new image would otherwise never
 * see the gateway ready. Only these two answers, the same ones the management port gives (health says nothing of the
 * functions; metrics stay off this port). Remove when no supported chart probes 8080.
 */
@ApplicationScoped
public class LegacyHealthRoutes {
    private final SmallRyeHealthReporter health;

    public LegacyHealthRoutes(SmallRyeHealthReporter health) {
        this.health = health;
    }

    void routes(@Observes Router router) {
        router.get("/q/health/live").handler(ctx -> answer(ctx, health.getLivenessAsync()));
        router.get("/q/health/ready").handler(ctx -> answer(ctx, health.getReadinessAsync()));
    }

    private static void answer(RoutingContext ctx, Uni<SmallRyeHealth> check) {
        check.subscribe().with(h -> ctx.response().setStatusCode(h.isDown() ? 503 : 200)
                .putHeader("Content-Type", "application/json").end(h.getPayload().toString()),
                failed -> ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                        .end("{\"status\":\"DOWN\"}"));
    }
}
