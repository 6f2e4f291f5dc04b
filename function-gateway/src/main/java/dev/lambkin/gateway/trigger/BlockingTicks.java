package dev.lambkin.gateway.trigger;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;

/**
 * Runs a blocking task (API server and NATS calls) every period on a virtual thread, never two runs at once: a
 * run that takes longer than the period makes the next ticks skip rather than pile up.
 */
final class BlockingTicks {
    private static final Logger LOG = Logger.getLogger(BlockingTicks.class);
    private final Vertx vertx;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final long timer;

    BlockingTicks(Vertx vertx, Duration period, String what, Runnable task) {
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(period.toMillis(), t -> {
            if (busy.compareAndSet(false, true)) {
                blocking.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException ex) {
                        LOG.warnf("%s: %s (tried again at the next tick)", what, ex.toString());
                    } finally {
                        busy.set(false);
                    }
                });
            }
        });
    }

    void stop() {
        vertx.cancelTimer(timer);
        blocking.shutdownNow();
    }
}
