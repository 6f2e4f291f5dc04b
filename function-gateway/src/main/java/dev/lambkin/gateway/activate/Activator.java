package dev.lambkin.gateway.activate;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.invoke.InvokeError;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Instance;
import dev.lambkin.gateway.route.Instances;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds an instance for each request: at once when one has a free slot, otherwise by holding the request
 * (bounded in count and time) until an instance is routable or frees a slot. While requests are held the
 * autoscaler counts them; if the function's pods fail to start, every held request fails at once with 502.
 */
@ApplicationScoped
public class Activator {
    private final Instances instances;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final Map<FunctionKey, Queue<Waiter>> held = new ConcurrentHashMap<>();
    private final Map<FunctionKey, AtomicInteger> heldCount = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<FunctionKey> onHold = k -> {
    };

    private final class Waiter {
        final FunctionKey key;
        final int perInstance;
        final Promise<Instance> promise = Promise.promise();
        final AtomicBoolean done = new AtomicBoolean();
        long timer;

        Waiter(FunctionKey key, int perInstance) {
            this.key = key;
            this.perInstance = perInstance;
        }

        boolean complete(Instance instance) {
            if (!done.compareAndSet(false, true)) {
                instance.release();
                return false;
            }
            leave();
            promise.complete(instance);
            return true;
        }

        void fail(InvokeError error) {
            if (done.compareAndSet(false, true)) {
                leave();
                promise.fail(error);
            }
        }

        private void leave() {
            vertx.cancelTimer(timer);
            Queue<Waiter> q = held.get(key);
            if (q != null) {
                q.remove(this);
            }
            heldCount.get(key).decrementAndGet();
        }
    }

    public Activator(Instances instances, Vertx vertx, GatewayConfig config) {
        this.instances = instances;
        this.vertx = vertx;
        this.config = config;
        instances.onChange(this::drain);
    }

    /** Called when a request starts waiting, so the autoscaler can act at once rather than at its next tick. */
    public void onHold(java.util.function.Consumer<FunctionKey> action) {
        this.onHold = action;
    }

    public int held(FunctionKey key) {
        AtomicInteger n = heldCount.get(key);
        return n == null ? 0 : n.get();
    }

    /** An instance with a slot taken for this request; the caller releases it (then {@link #released}). */
    public Future<Instance> instance(FunctionKey key, int perInstance, long deadlineMillis) {
        var now = instances.take(key, perInstance);
        if (now.isPresent()) {
            return Future.succeededFuture(now.get());
        }
        var failure = instances.startFailure(key);
        if (failure.isPresent() && instances.routableCount(key) == 0) {
            return Future.failedFuture(InvokeError.startFailed(failure.get().reason(),
                    "function " + key + " cannot start: pod " + failure.get().pod() + ": " + failure.get().message()));
        }
        AtomicInteger count = heldCount.computeIfAbsent(key, k -> new AtomicInteger());
        if (count.incrementAndGet() > config.hold().maxRequests()) {
            count.decrementAndGet();
            return Future.failedFuture(InvokeError.throttled("HoldQueueFull",
                    "function " + key + " already has " + config.hold().maxRequests() + " requests waiting for an instance"));
        }
        Waiter w = new Waiter(key, perInstance);
        held.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(w);
        long wait = Math.max(1, Math.min(config.hold().timeout().toMillis(), deadlineMillis - System.currentTimeMillis()));
        w.timer = vertx.setTimer(wait, t -> w.fail(deadlineMillis <= System.currentTimeMillis() + 1
                ? InvokeError.timedOut("function " + key + " had no instance ready before the invocation's deadline")
                : InvokeError.unreachable("function " + key + " had no instance ready after " + wait + " ms")));
        onHold.accept(key);
        drain(key); // an instance may have appeared in between
        return w.promise.future();
    }

    /** A slot was freed: a held request may take it. */
    public void released(FunctionKey key) {
        if (held(key) > 0) {
            drain(key);
        }
    }

    private void drain(FunctionKey key) {
        Queue<Waiter> q = held.get(key);
        if (q == null || q.isEmpty()) {
            return;
        }
        var failure = instances.startFailure(key);
        if (failure.isPresent() && instances.routableCount(key) == 0) {
            InvokeError error = InvokeError.startFailed(failure.get().reason(),
                    "function " + key + " cannot start: pod " + failure.get().pod() + ": " + failure.get().message());
            for (Waiter w : q.toArray(Waiter[]::new)) {
                w.fail(error);
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
