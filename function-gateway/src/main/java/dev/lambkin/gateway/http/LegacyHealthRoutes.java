package dev.lambkin.gateway.http;

import io.quarkus.smallrye.health.runtime.SmallRyeLivenessHandler;
import io.quarkus.smallrye.health.runtime.SmallRyeReadinessHandler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Liveness and readiness also on the callers' port, for one release: charts before the management port probe
 * {@code /q/health/live|ready} on 8080, and a user who pins such a chart but takes a new image would otherwise never
 * see the gateway ready. Quarkus' own handlers, so the answers are the management port's (readiness DOWN while
 * draining); health says nothing of the functions, metrics stay off this port. Remove when no supported chart
 * probes 8080.
 */
@ApplicationScoped
public class LegacyHealthRoutes {
    void routes(@Observes Router router) {
        router.get("/q/health/live").handler(new SmallRyeLivenessHandler());
        router.get("/q/health/ready").handler(new SmallRyeReadinessHandler());
        ApiFallbacks.onlyThese(router, "/q/health/live", HttpMethod.GET);
        ApiFallbacks.onlyThese(router, "/q/health/ready", HttpMethod.GET);
    }
}
