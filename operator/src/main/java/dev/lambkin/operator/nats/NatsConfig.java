package dev.lambkin.operator.nats;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the JetStream server is, and how the operator's streams are stored (LAMBKIN_NATS_*). */
@ConfigMapping(prefix = "lambkin.nats")
public interface NatsConfig {
    @WithDefault("nats://lambkin-nats.lambkin-system.svc.cluster.local:4222")
    String url();

    /** A NATS credentials file (JWT + NKey seed), when the server requires one. */
    Optional<String> credentials();

    /** Copies of each dead-letter stream (1 for a single server; 3 for a NATS cluster). */
    @WithDefault("1")
    int streamReplicas();

    /** file or memory. */
    @WithDefault("file")
    String storage();

    /** How often a queue's status (messages, oldest age) is read from its stream. */
    @WithDefault("10s")
    Duration statusInterval();
}
