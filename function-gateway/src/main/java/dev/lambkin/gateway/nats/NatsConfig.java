package dev.lambkin.gateway.nats;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the JetStream server is (LAMBKIN_NATS_*), and how the events stream is stored. */
@ConfigMapping(prefix = "lambkin.nats")
public interface NatsConfig {
    @WithDefault("nats://lambkin-nats.lambkin-system.svc.cluster.local:4222")
    String url();

    /** A NATS credentials file (JWT + NKey seed), when the server requires one. */
    Optional<String> credentials();

    /** Copies of the events stream (1 for a single server; 3 for a NATS cluster). */
    @WithDefault("1")
    int streamReplicas();

    /** file or memory. */
    @WithDefault("file")
    String storage();
}
