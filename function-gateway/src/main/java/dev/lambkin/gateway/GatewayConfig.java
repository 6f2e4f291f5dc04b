package dev.lambkin.gateway;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's settings (application.properties, or LAMBKIN_GATEWAY_* environment variables). */
@ConfigMapping(prefix = "lambkin.gateway")
public interface GatewayConfig {
    Concurrency concurrency();

    Hold hold();

    /** How often the autoscaler decides. */
    @WithDefault("1s")
    Duration scaleInterval();

    interface Concurrency {
        /** The installation's pool of concurrent invocations (Lambda's account concurrency). */
        @WithDefault("1000")
        int total();

        /** What reservations must leave to the functions without one (Lambda keeps 100). */
        @WithDefault("100")
        int unreservedMinimum();
    }

    /** Requests waiting for an instance (scale from zero, or all instances busy). */
    interface Hold {
        /** Most requests held per function; more are refused with 429. */
        @WithDefault("1000")
        int maxRequests();

        /** Longest a request waits for an instance before it fails with 502 (capped by its own deadline). */
        @WithDefault("60s")
        Duration timeout();
    }
}
