package dev.lambkin.gateway.async;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.gateway.Draining;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.invoke.Invocation;
import dev.lambkin.gateway.limit.Admission;
import dev.lambkin.gateway.invoke.Invoker;
import dev.lambkin.gateway.nats.NatsClient;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import io.nats.client.ConsumeOptions;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Takes asynchronous events from the stream and invokes their functions through the same limiter, activator
 * and proxy as synchronous calls. One consumer per function (every gateway replica binds the same durable
 * one), so a throttled or slow function never holds up another's events, and only while the function has events
 * ({@link ConsumerPlan}): a thousand idle Functions cost no pulls. Each event is acknowledged only when
 * it is done with: answered, put back for a retry, or stored as a dead letter; an event whose gateway dies is
 * delivered again after the ack wait.
 */
@ApplicationScoped
public class AsyncWorkers {
    private static final Logger LOG = Logger.getLogger(AsyncWorkers.class);
    static final int SYSTEM_FAILURES_KEPT = 100_000;
    private final NatsClient nats;
    private final EventQueue queue;
    private final FunctionCatalog catalog;
    private final Admission admission;
    private final Invoker invoker;
    private final DeadLetters deadLetters;
    private final AsyncMetrics metrics;
    private final GatewayConfig.Async config;
    private final RetryPolicy policy;
    private final Vertx vertx;
    private final Draining draining;
    private final Map<FunctionKey, MessageConsumer> consumers = new ConcurrentHashMap<>();
    /** When each function last had an event stored or waiting (System.nanoTime()), for {@link ConsumerPlan}. */
    private final Map<FunctionKey, Long> busyAt = new ConcurrentHashMap<>();
    private final Set<FunctionKey> starting = ConcurrentHashMap.newKeySet();
    /** Throttles and system errors in a row per event, for the backoff; bounded like the events a replica holds. */
    private final SystemFailures systemFailures = new SystemFailures(SYSTEM_FAILURES_KEPT);
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private Context context;
    private long timer = -1;
    private volatile boolean stopping;

    public AsyncWorkers(NatsClient nats, EventQueue queue, FunctionCatalog catalog, Admission admission, Invoker invoker,
            DeadLetters deadLetters, AsyncMetrics metrics, GatewayConfig config, Vertx vertx, Draining draining) {
        this.draining = draining;
        this.nats = nats;
        this.queue = queue;
        this.catalog = catalog;
        this.admission = admission;
        this.invoker = invoker;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config.async();
        this.policy = new RetryPolicy(config.async().retryDelays(), config.async().systemRetryInitial(),
                config.async().systemRetryMax());
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent e) {
        draining.onDrain(this::drain);
        context = vertx.getOrCreateContext();
        queue.onStored(this::stored);
        nats.onConnected(() -> blocking.execute(() -> {
            ensureStream();
            restartConsumers();
        }));
        // events stored by other replicas (or before a restart) find a consumer here within this period; Functions
        // come and go, their consumers follow; the queue depth gauges are refreshed
        timer = vertx.setPeriodic(2000, t -> blocking.execute(this::sync));
    }

    /** Draining: take no more events (other replicas will); those in hand are finished or delivered again. */
    private void drain() {
        stopping = true;
        vertx.cancelTimer(timer);
        consumers.values().forEach(MessageConsumer::stop);
    }

    /** Before the connection closes. */
    void stop(@Observes @Priority(1) ShutdownEvent e) {
        drain();
        blocking.shutdownNow();
    }

    private void ensureStream() {
        try {
            queue.ensureStream();
        } catch (Exception ex) {
            LOG.warnf("cannot set up the events stream yet: %s", ex.getMessage());
        }
    }

    /**
     * After a reconnect the server may be a new one (restarted) that lost the consumers' outstanding pulls; rather
     * than wait for each consumer's heartbeat alarm, start them afresh. Events in hand are still acknowledged
     * through their own messages.
     */
    private synchronized void restartConsumers() {
        consumers.values().forEach(MessageConsumer::stop);
        consumers.clear();
        sync();
    }

    /** This gateway stored an event: its function's events are read here from now on, without waiting for a sync. */
    private void stored(FunctionKey key) {
        busyAt.put(key, System.nanoTime());
        if (!stopping && !consumers.containsKey(key) && starting.add(key)) {
            blocking.execute(() -> {
                try {
                    startNow(key);
                } finally {
                    starting.remove(key);
                }
            });
        }
    }

    private synchronized void startNow(FunctionKey key) {
        if (!stopping && nats.connected() && !consumers.containsKey(key) && catalog.get(key).isPresent()) {
            consume(key);
        }
    }

    private synchronized void sync() {
        if (stopping || !catalog.synced() || !nats.connected()) {
            return;
        }
        Map<String, Long> stored;
        try {
            stored = queue.storedBySubject();
        } catch (Exception ex) {
            LOG.debugf("the events stream's subjects not read: %s", ex.getMessage());
            return;
        }
        Set<FunctionKey> functions = catalog.all().stream().map(FunctionKey::of).collect(Collectors.toSet());
        long now = System.nanoTime();
        busyAt.keySet().retainAll(functions);
        for (FunctionKey key : functions) {
            long n = stored.getOrDefault(StreamNames.eventSubject(key.namespace(), key.name()), 0L);
            if (n > 0) {
                busyAt.put(key, now);
            }
            if (n > 0 || metrics.hasQueueDepth(key)) {
                metrics.queueDepth(key, n);
            }
        }
        for (ConsumerPlan.Change change : ConsumerPlan.changes(Set.copyOf(consumers.keySet()), functions, busyAt, now,
                config.consumerIdle())) {
            switch (change) {
                case ConsumerPlan.Stop stop -> {
                    // events of a deleted Function wait in the stream in case it returns
                    consumers.remove(stop.key()).stop();
                    LOG.debugf("stopped reading the events of %s (%s)", stop.key(), stop.why());
                }
                case ConsumerPlan.Start start -> consume(start.key());
            }
        }
    }

    private void consume(FunctionKey key) {
        try {
            String name = queue.ensureConsumer(key);
            consumers.put(key, nats.connection().getStreamContext(StreamNames.EVENTS_STREAM).getConsumerContext(name)
                    .consume(ConsumeOptions.builder().batchSize(Math.min(64, config.maxPendingPerFunction()))
                            .expiresIn(config.pullExpires().toMillis()).build(),
                            m -> context.runOnContext(v -> handle(key, m))));
        } catch (Exception ex) {
            LOG.warnf("cannot consume the events of %s yet: %s", key, ex.getMessage());
        }
    }

    private void handle(FunctionKey key, Message m) {
        AsyncEvent event;
        try {
            event = AsyncEvent.from(m);
        } catch (IllegalArgumentException bad) {
            LOG.errorf("dropping a malformed message on %s: %s", m.getSubject(), bad.getMessage());
            m.term();
            return;
        }
        Function fn = catalog.get(key).orElse(null);
        if (fn == null) {
            m.nakWithDelay(Duration.ofSeconds(30)); // deleted meanwhile; its consumer is about to stop
            return;
        }
        Instant now = Instant.now();
        if (event.notBefore() != null && event.notBefore().isAfter(now)) {
            m.nakWithDelay(Duration.between(now, event.notBefore()));
            return;
        }
        metrics.delivered(key, Duration.between(event.acceptedAt(), now));
        if (RetryPolicy.expired(event.acceptedAt(), FunctionDefaults.maxEventAgeSeconds(fn.getSpec()), now)) {
            giveUp(m, event, fn, "EventAgeExceeded");
            return;
        }
        // while the event waits for a slot or runs, tell JetStream it is being worked on
        long heartbeat = vertx.setPeriodic(Math.max(1000, config.ackWait().toMillis() / 3), t -> m.inProgress());
        admission.acquireInTurn(key.toString()).orTimeout(config.throttleWait().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((lease, waited) -> context.runOnContext(v -> {
                    if (waited != null) {
                        vertx.cancelTimer(heartbeat);
                        String why = waited instanceof TimeoutException ? "no concurrency slot within " + config.throttleWait()
                                : waited.getMessage();
                        failed(m, event, fn, new AsyncOutcomes.Failed(RetryPolicy.Failure.THROTTLED, "TooManyRequestsException", why));
                        return;
                    }
                    Invocation inv = new Invocation(key, fn, Buffer.buffer(event.body()), event.requestId(), "Event",
                            event.attempts() + 1, event.traceparent(), null, null);
                    invoker.invoke(inv, lease).onComplete(done -> {
                        vertx.cancelTimer(heartbeat);
                        if (done.failed()) {
                            LOG.errorf(done.cause(), "event %s of %s failed in the gateway; it is delivered again", event.requestId(), key);
                            m.nakWithDelay(config.systemRetryMax());
                            return;
                        }
                        AsyncOutcomes.Failed failure = AsyncOutcomes.failed(done.result());
                        if (failure == null) {
                            systemFailures.forget(event.requestId());
                            m.ack();
                        } else {
                            failed(m, event, fn, failure);
                        }
                    });
                }));
    }

    private void failed(Message m, AsyncEvent event, Function fn, AsyncOutcomes.Failed f) {
        RetryPolicy.Failure failure = f.failure();
        String errorType = f.errorType(), errorMessage = f.errorMessage();
        Instant now = Instant.now();
        boolean attempted = failure == RetryPolicy.Failure.FUNCTION_ERROR;
        int attemptsMade = event.attempts() + (attempted ? 1 : 0);
        int inARow = attempted ? 0 : systemFailures.record(event.requestId());
        RetryPolicy.Decision d = policy.after(failure, attemptsMade, inARow,
                FunctionDefaults.maxRetries(fn.getSpec()), event.acceptedAt(), FunctionDefaults.maxEventAgeSeconds(fn.getSpec()), now);
        AsyncEvent after = attempted ? event.retried(now, errorType, errorMessage, null) : event.withError(errorType, errorMessage);
        switch (d) {
            case RetryPolicy.Retry r when r.counted() -> {
                metrics.retried(event.function(), "FunctionError");
                // the attempt count lives in the message: publish the next try, then let go of this one
                AsyncEvent next = event.retried(now, errorType, errorMessage, now.plus(r.delay()));
                queue.publish(next).whenComplete((published, err) -> {
                    if (err == null) {
                        systemFailures.forget(event.requestId());
                        m.ack();
                    } else {
                        LOG.warnf("cannot queue the retry of %s: %s; it is delivered again instead", event.requestId(), err.getMessage());
                        m.nakWithDelay(r.delay());
                    }
                });
            }
            case RetryPolicy.Retry r -> {
                metrics.retried(event.function(), failure == RetryPolicy.Failure.THROTTLED ? "Throttled" : "SystemError");
                m.nakWithDelay(r.delay());
            }
            case RetryPolicy.DeadLetter dl -> giveUp(m, after, fn, dl.condition());
        }
    }

    private void giveUp(Message m, AsyncEvent event, Function fn, String condition) {
        deadLetters.send(event, fn, condition, Instant.now()).whenComplete((v, err) -> {
            if (err == null) {
                systemFailures.forget(event.requestId());
                m.ack();
                return;
            }
            blocking.execute(() -> keepOrDrop(m, event, fn, condition, err));
        });
    }

    /**
     * The dead letter could not be stored. When the Function's queue does not exist, the event stays in the events
     * stream (a metric, a log line; the operator's Function condition names the missing queue) until the queue is
     * created or the event's age runs out, then it is dropped with a log line: never lost without a word.
     */
    private void keepOrDrop(Message m, AsyncEvent event, Function fn, String condition, Throwable err) {
        String queue = FunctionDefaults.deadLetterQueue(fn.getSpec()).orElse("?");
        boolean missing = deadLetters.queueMissing(event.function().namespace(), queue);
        if (!missing) {
            LOG.warnf("cannot store the dead letter of %s yet (%s); it is kept in the events stream", event.requestId(),
                    err.getMessage());
            m.nakWithDelay(config.systemRetryMax());
            return;
        }
        metrics.waitingForQueue(event.function(), queue);
        if (RetryPolicy.expired(event.acceptedAt(), FunctionDefaults.maxEventAgeSeconds(fn.getSpec()) + (int) config
                .systemRetryMax().toSeconds(), Instant.now())) {
            LOG.errorf("dropped asynchronous event %s of %s (%s after %d attempts, last error %s: %s): its DeadLetterQueue %s/%s "
                    + "does not exist and the event is older than maxEventAgeSeconds", event.requestId(), event.function(),
                    condition, event.attempts(), event.lastErrorType(), event.lastErrorMessage(), event.function().namespace(), queue);
            metrics.dropped(event.function(), "DeadLetterQueueNotFound");
            systemFailures.forget(event.requestId());
            m.ack();
            return;
        }
        LOG.warnf("event %s of %s is kept in the events stream: its DeadLetterQueue %s/%s does not exist (create it, or the "
                + "event is dropped when it is maxEventAgeSeconds old)", event.requestId(), event.function(),
                event.function().namespace(), queue);
        m.nakWithDelay(config.systemRetryMax());
    }
}
