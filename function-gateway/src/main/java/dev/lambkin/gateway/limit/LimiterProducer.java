package dev.lambkin.gateway.limit;

import dev.lambkin.gateway.GatewayConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The installation's one limiter, sized from the configuration, and the admission in front of it. */
public class LimiterProducer {
    @Produces
    @Singleton
    ConcurrencyLimiter limiter(GatewayConfig config) {
        return new ConcurrencyLimiter(config.concurrency().total(), config.concurrency().unreservedMinimum());
    }

    @Produces
    @Singleton
    Admission admission(ConcurrencyLimiter limiter) {
        return new Admission(limiter);
    }
}
