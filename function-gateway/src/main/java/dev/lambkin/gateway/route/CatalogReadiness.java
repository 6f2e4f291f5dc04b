package dev.lambkin.gateway.route;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/** Not ready until every Function is known: before that, a request could get a wrong 404. */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {
    private final FunctionCatalog catalog;

    public CatalogReadiness(FunctionCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("functions-listed").status(catalog.synced()).build();
    }
}
