package dev.lambkin.gateway.activate;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Instance;
import dev.lambkin.gateway.route.Instances;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

/**
 * Finds an instance for each request: at once when one has a free slot, otherwise by holding the request
 * (bounded in count per function, in bytes across the installation, and in time) until an instance is routable or
 * frees a slot. Waiting for a cold start is bounded by the init budget, not by the function's timeout, whose
 * clock starts only when the call reaches the function. While requests are held the autoscaler counts them; if
 * the function's pods fail to start, every held request fails at once.
 */
@Singleton
public class Activator {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Activator.class);
    /** A request started waiting for an instance of the function: the autoscaler acts at once. */
    public record Held(FunctionKey key) {
    }

    /** What the wait for an instance came to. */
    public sealed interface Activation {
    }

    /**
     * An instance with a slot taken for this request; cold: the request waited for an instance to start (not
     * merely for a busy one's free slot).
     */
    public record Activated(Instance instance, boolean cold) implements Activation {
    }

    public record NotActivated(Why why, String reason, String message) implements Activation {
    }

    public enum Why {
        /** The function's pods cannot start (reason from the pod status). */
        START_FAILED,
        /** No instance within the wait (init budget or hold timeout). */
        NO_INSTANCE,
        /** Too many requests held for this function. */
        HOLD_FULL,
        /** The gateway holds as many request bytes as it may. */
        OVERLOADED
    }

    private final Instances instances;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final Event<Held> held;
    private final Map<FunctionKey, Queue<Waiter>> waiting = new ConcurrentHashMap<>();
    private final Map<FunctionKey, AtomicInteger> heldCount = new ConcurrentHashMap<>();
    private final AtomicLong heldBytes = new AtomicLong();

    private final class Waiter {
        final FunctionKey key;
        final int perInstance;
        final long bytes;
        final boolean cold;
        final Promise<Activation> promise = Promise.promise();
        final AtomicBoolean done = new AtomicBoolean();
        long timer;

        Waiter(FunctionKey key, int perInstance, long bytes, boolean cold) {
            this.key = key;
            this.perInstance = perInstance;
            this.bytes = bytes;
            this.cold = cold;
        }

        void complete(Instance instance) {
            if (!done.compareAndSet(false, true)) {
                instances.release(instance);
                return;
            }
            leave();
            promise.complete(new Activated(instance, cold));
        }

        void fail(NotActivated why) {
            if (done.compareAndSet(false, true)) {
                leave();
                promise.complete(why);
            }
        }

        private void leave() {
            vertx.cancelTimer(timer);
            Queue<Waiter> q = waiting.get(key);
            if (q != null) {
                q.remove(this);
            }
            heldCount.get(key).decrementAndGet();
            heldBytes.addAndGet(-bytes);
        }
    }

    public Activator(Instances instances, Vertx vertx, GatewayConfig config, Event<Held> held) {
        this.instances = instances;
        this.vertx = vertx;
        this.config = config;
        this.held = held;
        instances.onChange(this::drain);
    }

    public int held(FunctionKey key) {
        AtomicInteger n = heldCount.get(key);
        return n == null ? 0 : n.get();
    }

    /** Bytes of the events held across the installation now. */
    public long heldBytes() {
        return heldBytes.get();
    }

    /**
     * An instance for a request whose event is eventBytes long; the caller gives the slot back through
     * {@link Instances#release}. Never fails: every way the wait can end is an {@link Activation}.
     */
    public Future<Activation> instance(FunctionKey key, int perInstance, long eventBytes) {
        var now = instances.take(key, perInstance);
        if (now.isPresent()) {
            return Future.succeededFuture(new Activated(now.get(), false));
        }
        NotActivated failing = startFailure(key);
        if (failing != null) {
            return Future.succeededFuture(failing);
        }
        AtomicInteger count = heldCount.computeIfAbsent(key, k -> new AtomicInteger());
        if (count.incrementAndGet() > config.hold().maxRequests()) {
            count.decrementAndGet();
            return Future.succeededFuture(new NotActivated(Why.HOLD_FULL, "HoldQueueFull",
                    "function " + key + " already has " + config.hold().maxRequests() + " requests waiting for an instance"));
        }
        if (heldBytes.addAndGet(eventBytes) > config.hold().maxBytes() && eventBytes > 0) {
            heldBytes.addAndGet(-eventBytes);
            count.decrementAndGet();
            return Future.succeededFuture(new NotActivated(Why.OVERLOADED, "HoldCapacityExceeded",
                    "the gateway already holds " + config.hold().maxBytes() + " bytes of requests waiting for instances"));
        }
        // a cold start has Lambda's init budget; a request waiting for a busy instance's slot, the hold timeout
        boolean cold = instances.routableCount(key) == 0;
        Waiter w = new Waiter(key, perInstance, eventBytes, cold);
        long wait = Math.max(1, (cold ? config.hold().initTimeout() : config.hold().timeout()).toMillis());
        w.timer = vertx.setTimer(wait, t -> w.fail(new NotActivated(Why.NO_INSTANCE, cold ? "InitTimeout" : "HoldTimeout",
                "function " + key + " had no instance ready after " + wait + " ms")));
        waiting.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(w);
        try {
            held.fire(new Held(key));
        } catch (RuntimeException e) {
            // the autoscaler's failure must not strand the request: its next tick scales for it
            LOG.warnf(e, "%s: scaling for a held request failed", key);
        }
        drain(key); // an instance may have appeared in between
        return w.promise.future();
    }

    private NotActivated startFailure(FunctionKey key) {
        var failure = instances.startFailure(key);
        if (failure.isPresent() && instances.routableCount(key) == 0) {
            return new NotActivated(Why.START_FAILED, failure.get().reason(),
                    "function " + key + " cannot start: pod " + failure.get().pod() + ": " + failure.get().message());
        }
        return null;
    }

    private void drain(FunctionKey key) {
        Queue<Waiter> q = waiting.get(key);
        if (q == null || q.isEmpty()) {
            return;
        }
        NotActivated failing = startFailure(key);
        if (failing != null) {
            for (Waiter w : q.toArray(Waiter[]::new)) {
                w.fail(failing);
            }
            return;
        }
        for (Waiter w : q.toArray(Waiter[]::new)) {
            var instance = instances.take(key, w.perInstance);
            if (instance.isEmpty()) {
                return;
            }
            w.complete(instance.get());
        }
    }
}
