package dev.lambkin.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the operator needs to know of the installation's gateway. */
@ConfigMapping(prefix = "lambkin.gateway")
public interface OperatorConfig {
    /** Base URL applications use to invoke functions; a Function's status.url is this plus /functions/{ns}/{name}. */
    @WithDefault("http://lambkin-gateway.lambkin-system.svc.cluster.local:8080")
    String url();

    /** Namespace the gateway runs in: the only namespace whose pods may reach function pods. */
    @WithDefault("lambkin-system")
    String namespace();

    /** Label selector of the gateway's pods (k=v,k2=v2), for the function pods' NetworkPolicy. */
    @WithDefault("app.kubernetes.io/name=lambkin-gateway")
    String podSelector();

    /** The gateway's concurrency pool, to refuse reservations it could not honour. */
    Concurrency concurrency();

    interface Concurrency {
        @WithDefault("1000")
        int total();

        @WithDefault("100")
        int unreservedMinimum();
    }
}
