package dev.lambkin.gateway.nats;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Not ready before the first NATS connection, for at most {@link NatsConfig#readinessWait()}: a new replica (a
 * rolling update, a restart) would otherwise take asynchronous calls it cannot store yet and answer them 503 — its
 * pod's address may not even be let through to NATS yet. Once connected, a NATS outage never makes the gateway
 * unready: synchronous calls do not need it.
 */
@Readiness
@ApplicationScoped
public class NatsReadiness implements HealthCheck {
    private final NatsClient nats;
    private final Duration wait;
    private volatile long startedAt = System.nanoTime();

    public NatsReadiness(NatsClient nats, NatsConfig config) {
        this.nats = nats;
        this.wait = config.readinessWait();
    }

    void start(@Observes StartupEvent e) {
        startedAt = System.nanoTime();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("nats-first-connection")
                .status(ready(nats.everConnected(), Duration.ofNanos(System.nanoTime() - startedAt), wait)).build();
    }

    static boolean ready(boolean everConnected, Duration sinceStart, Duration wait) {
        return everConnected || sinceStart.compareTo(wait) >= 0;
    }
}
