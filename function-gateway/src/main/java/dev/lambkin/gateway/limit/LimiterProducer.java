package dev.lambkin.gateway.limit;

import dev.lambkin.gateway.GatewayConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The installation's one limiter, sized from the configuration. */
public class LimiterProducer {
    @Produces
    @Singleton
    ConcurrencyLimiter limiter(GatewayConfig config) {
        return new ConcurrencyLimiter(config.concurrency().total(), config.concurrency().unreservedMinimum());
    }
}
