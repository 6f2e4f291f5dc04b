package dev.lambkin.gateway.limit;

import dev.lambkin.gateway.GatewayConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The installation's one limiter, sized from the configuration, and the queue async events wait in for it. */
public class LimiterProducer {
    @Produces
    @Singleton
    ConcurrencyLimiter limiter(GatewayConfig config) {
        return new ConcurrencyLimiter(config.concurrency().total(), config.concurrency().unreservedMinimum());
    }

    /** Asynchronous events wait here for the same limiter's slots. */
    @Produces
    @Singleton
    dev.lambkin.gateway.async.PermitQueue permits(ConcurrencyLimiter limiter) {
        return new dev.lambkin.gateway.async.PermitQueue(limiter);
    }
}
