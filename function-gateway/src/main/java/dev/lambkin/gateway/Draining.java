package dev.lambkin.gateway;

import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Knows from the first moment of SIGTERM that the gateway is going away. Quarkus then keeps serving for
 * quarkus.shutdown.delay (readiness already down, so the Service stops sending traffic) before it stops
 * listening; in that window callers get 503 Draining with Retry-After instead of a refused connection, calls in
 * flight finish, and the async workers take no more events. A JVM shutdown hook, because Quarkus 3.27 has no
 * event for the start of the delay.
 */
@ApplicationScoped
public class Draining {
    private static final Logger LOG = Logger.getLogger(Draining.class);
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    void start(@Observes StartupEvent e) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::begin, "lambkin-draining"));
    }

    public boolean draining() {
        return draining;
    }

    /** Runs once when draining begins. */
    public void onDrain(Runnable action) {
        listeners.add(action);
    }

    void begin() {
        if (!draining) {
            draining = true;
            LOG.info("draining: new invocations get 503, calls in flight finish");
            listeners.forEach(Runnable::run);
        }
    }
}
