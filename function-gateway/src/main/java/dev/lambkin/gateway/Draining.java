package dev.lambkin.gateway;

import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Knows from the first moment of SIGTERM that the gateway is going away. Quarkus then keeps serving for
 * quarkus.shutdown.delay (readiness down; the endpoint of a terminating pod leaves the Service at once) before it
 * stops listening. In that window every request is still served, as Knative's activator does, and its answer
 * says {@code Connection: close}, so a client on a kept-alive connection comes back through the Service to
 * another replica instead of meeting a closed socket; calls in flight finish, and the async workers take no more
 * events. A JVM shutdown hook, because Quarkus 3.27 has no event for the start of the delay.
 */
@ApplicationScoped
public class Draining {
    private static final Logger LOG = Logger.getLogger(Draining.class);
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    void start(@Observes StartupEvent e) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::begin, "lambkin-draining"));
    }

    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (draining) {
                if (ctx.request().version() == HttpVersion.HTTP_2) {
                    // Connection is not an HTTP/2 header: GOAWAY after the answer sends the client elsewhere
                    ctx.addEndHandler(v -> ctx.request().connection().shutdown());
                } else {
                    ctx.response().putHeader("Connection", "close");
                    ctx.addEndHandler(v -> ctx.request().connection().close());
                }
            }
            ctx.next();
        });
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
            LOG.info("draining: requests are still served, each answer closes its connection; calls in flight finish");
            listeners.forEach(Runnable::run);
        }
    }
}
