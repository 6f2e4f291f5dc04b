package dev.lambkin.gateway.async;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.gateway.Draining;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.invoke.Invocation;
import dev.lambkin.gateway.invoke.InvokeError;
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
 * one), so a throttled or slow function never holds up another's events. Each event is acknowledged only when
 * it is done with: answered, put back for a retry, or stored as a dead letter; an event whose gateway dies is
 * delivered again after the ack wait.
 */
@ApplicationScoped
public class AsyncWorkers {
    private static final Logger LOG = Logger.getLogger(AsyncWorkers.class);
    private final NatsClient nats;
    private final EventQueue queue;
    private final FunctionCatalog catalog;
    private final PermitQueue permits;
    private final Invoker invoker;
    private final DeadLetters deadLetters;
    private final AsyncMetrics metrics;
    private final GatewayConfig.Async config;
    private final RetryPolicy policy;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final Draining draining;
    private final Map<FunctionKey, MessageConsumer> consumers = new ConcurrentHashMap<>();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private Context context;
    private long timer = -1;
    private volatile boolean stopping;

    public AsyncWorkers(NatsClient nats, EventQueue queue, FunctionCatalog catalog, PermitQueue permits, Invoker invoker,
            DeadLetters deadLetters, AsyncMetrics metrics, GatewayConfig config, Vertx vertx, ObjectMapper json,
            Draining draining) {
        this.draining = draining;
        this.nats = nats;
        this.queue = queue;
        this.catalog = catalog;
        this.permits = permits;
        this.invoker = invoker;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config.async();
        this.policy = new RetryPolicy(config.async().retryDelays(), config.async().systemRetryInitial(),
                config.async().systemRetryMax());
        this.vertx = vertx;
        this.json = json;
    }

    void start(@Observes StartupEvent e) {
        draining.onDrain(this::drain);
        invoker.onRelease(permits::released);
        context = vertx.getOrCreateContext();
        nats.onConnected(() -> blocking.execute(() -> {
            ensureStream();
            restartConsumers();
        }));
        // Functions come and go; their consumers follow (and the queue depth gauges are refreshed)
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

    private synchronized void sync() {
        if (stopping || !catalog.synced() || !nats.connected()) {
            return;
        }
        Set<FunctionKey> wanted = catalog.all().stream().map(FunctionKey::of).collect(Collectors.toSet());
        for (FunctionKey key : Set.copyOf(consumers.keySet())) {
            if (!wanted.contains(key)) {
                consumers.remove(key).stop(); // events of a deleted Function wait in the stream in case it returns
            }
        }
        for (FunctionKey key : wanted) {
            if (consumers.containsKey(key)) {
                continue;
            }
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
        try {
            Map<String, Long> pending = queue.pendingByConsumer();
            consumers.keySet().forEach(key -> metrics.queueDepth(key,
                    pending.getOrDefault(StreamNames.eventConsumer(key.namespace(), key.name()), 0L)));
        } catch (Exception ex) {
            LOG.debugf("queue depths not read: %s", ex.getMessage());
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
        permits.acquire(key.toString()).orTimeout(config.throttleWait().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((permit, waited) -> context.runOnContext(v -> {
                    if (waited != null) {
                        vertx.cancelTimer(heartbeat);
                        String why = waited instanceof TimeoutException ? "no concurrency slot within " + config.throttleWait()
                                : waited.getMessage();
                        failed(m, event, fn, RetryPolicy.Failure.THROTTLED, "TooManyRequestsException", why);
                        return;
                    }
                    Invocation inv = new Invocation(key, fn, Buffer.buffer(event.body()), event.requestId(), "Event",
                            event.attempts() + 1, event.traceparent(), null);
                    invoker.invoke(inv, permit).onComplete(done -> {
                        vertx.cancelTimer(heartbeat);
                        if (done.succeeded() && done.result().functionError() == null) {
                            m.ack();
                        } else if (done.succeeded()) {
                            Invoker.Answer a = done.result();
                            failed(m, event, fn, RetryPolicy.Failure.FUNCTION_ERROR, errorType(a), errorMessage(a));
                        } else {
                            InvokeError err = done.cause() instanceof InvokeError ie ? ie
                                    : InvokeError.unreachable(String.valueOf(done.cause().getMessage()));
                            failed(m, event, fn, classify(err), err.reason() != null ? err.reason() : err.type(),
                                    err.getMessage());
                        }
                    });
                }));
    }

    /** A timeout is the function's failure (Lambda counts it so); no instance, unreachable or 429 are the system's. */
    static RetryPolicy.Failure classify(InvokeError err) {
        return switch (err.status()) {
            case 504 -> RetryPolicy.Failure.FUNCTION_ERROR;
            case 429 -> RetryPolicy.Failure.THROTTLED;
            default -> RetryPolicy.Failure.SYSTEM_ERROR;
        };
    }

    private void failed(Message m, AsyncEvent event, Function fn, RetryPolicy.Failure failure, String errorType,
            String errorMessage) {
        Instant now = Instant.now();
        boolean attempted = failure == RetryPolicy.Failure.FUNCTION_ERROR;
        int attemptsMade = event.attempts() + (attempted ? 1 : 0);
        RetryPolicy.Decision d = policy.after(failure, attemptsMade, m.metaData().deliveredCount(),
                FunctionDefaults.maxRetries(fn.getSpec()), event.acceptedAt(), FunctionDefaults.maxEventAgeSeconds(fn.getSpec()), now);
        AsyncEvent after = attempted ? event.retried(now, errorType, errorMessage, null) : event.withError(errorType, errorMessage);
        switch (d) {
            case RetryPolicy.Retry r when r.counted() -> {
                metrics.retried(event.function(), "FunctionError");
                // the attempt count lives in the message: publish the next try, then let go of this one
                AsyncEvent next = event.retried(now, errorType, errorMessage, now.plus(r.delay()));
                queue.publish(next).whenComplete((seq, err) -> {
                    if (err == null) {
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
                m.ack();
            } else {
                LOG.warnf("cannot store the dead letter of %s yet (%s); it is kept in the events stream", event.requestId(),
                        err.getMessage());
                m.nakWithDelay(config.systemRetryMax());
            }
        });
    }

    /** The function's errorType when it answered the contract's error JSON, else Handled/Unhandled. */
    private String errorType(Invoker.Answer a) {
        JsonNode body = errorBody(a);
        return body != null && body.hasNonNull("errorType") ? body.get("errorType").asText() : a.functionError();
    }

    private String errorMessage(Invoker.Answer a) {
        JsonNode body = errorBody(a);
        if (body != null && body.hasNonNull("errorMessage")) {
            return body.get("errorMessage").asText();
        }
        String text = a.body() == null ? "" : a.body().toString(StandardCharsets.UTF_8);
        return "status " + a.status() + (text.isBlank() ? "" : ": " + text.substring(0, Math.min(text.length(), 512)));
    }

    private JsonNode errorBody(Invoker.Answer a) {
        try {
            return a.body() == null || a.body().length() == 0 ? null : json.readTree(a.body().getBytes());
        } catch (IOException e) {
            return null;
        }
    }
}
