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

    /**
     * How long a starting gateway waits for its first NATS connection before it reports ready anyway: a replica that
     * joins a rolling update takes asynchronous calls only once it can store them, but a NATS that is down does not
     * keep the synchronous path (which never needs it) from starting.
     */
    @WithDefault("20s")
    java.time.Duration readinessWait();

    /** file or memory. */
    @WithDefault("file")
    String storage();
}
