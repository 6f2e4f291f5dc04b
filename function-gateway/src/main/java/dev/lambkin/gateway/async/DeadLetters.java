package dev.lambkin.gateway.async;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.gateway.deadletter.DeadLetter;
import dev.lambkin.gateway.nats.NatsClient;
import dev.lambkin.gateway.route.FunctionKey;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where given-up events go: the Function's DeadLetterQueue stream (then, best effort, the queue's sink), or
 * nowhere with a log line and a metric when the Function names no queue. The event is acknowledged only after
 * its dead letter is stored, so a failure here keeps the event in the events stream.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** Metadata keys the operator puts on a queue's stream (see the operator's DeadLetterStream). */
    static final String SINK_FUNCTION = "lambkin.dev/sink-function";
    static final String SINK_URL = "lambkin.dev/sink-url";

    private final NatsClient nats;
    private final EventQueue events;
    private final AsyncMetrics metrics;
    private final ObjectMapper json;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DeadLetters(NatsClient nats, EventQueue events, AsyncMetrics metrics, ObjectMapper json) {
        this.nats = nats;
        this.events = events;
        this.metrics = metrics;
        this.json = json;
    }

    @PreDestroy
    void close() {
        blocking.shutdownNow();
    }

    /** Completes once the dead letter is stored (or dropped, without a queue); fails when it could not be stored. */
    public CompletionStage<Void> send(AsyncEvent event, Function fn, String condition, Instant now) {
        FunctionKey key = event.function();
        Optional<String> queue = FunctionDefaults.deadLetterQueue(fn.getSpec());
        if (queue.isEmpty()) {
            LOG.warnf("dropped asynchronous event %s of %s (%s after %d attempts, last error %s: %s): the Function names no deadLetterQueue",
                    event.requestId(), key, condition, event.attempts(), event.lastErrorType(), event.lastErrorMessage());
            metrics.dropped(key, condition);
            return CompletableFuture.completedFuture(null);
        }
        byte[] letter;
        try {
            letter = json.writeValueAsBytes(letter(event, condition, now));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        String ns = key.namespace();
        Headers h = new Headers().put("Lambkin-Request-Id", event.requestId()).put("Content-Type", "application/json");
        try {
            return nats.jetStream().publishAsync(NatsMessage.builder().subject(StreamNames.deadLetterSubject(ns, queue.get()))
                    .headers(h).data(letter).build(), PublishOptions.builder()
                    .expectedStream(StreamNames.deadLetterStream(ns, queue.get()))
                    .messageId(event.requestId() + "/dlq/" + event.acceptedAt().toEpochMilli()).build())
                    .orTimeout(EventQueue.PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .thenAccept(ack -> {
                        metrics.deadLettered(key, condition);
                        LOG.infof("dead-lettered asynchronous event %s of %s into %s/%s (%s)", event.requestId(), key, ns,
                                queue.get(), condition);
                        blocking.execute(() -> forward(ns, queue.get(), letter));
                    });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** True when the queue's stream is known not to exist (false when NATS could not say). */
    public boolean queueMissing(String namespace, String queue) {
        try {
            nats.management().getStreamInfo(StreamNames.deadLetterStream(namespace, queue));
            return false;
        } catch (JetStreamApiException e) {
            return e.getErrorCode() == 404;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    DeadLetter letter(AsyncEvent e, String condition, Instant now) {
        JsonNode body = null;
        if (e.body().length > 0) {
            try {
                body = json.readTree(e.body());
            } catch (IOException notJson) {
                // accepted events are JSON; keep whatever it is as text rather than lose it
                body = json.getNodeFactory().textNode(new String(e.body(), StandardCharsets.UTF_8));
            }
        }
        return new DeadLetter(e.requestId(), e.function().namespace(), e.function().name(), condition, e.lastErrorType(),
                e.lastErrorMessage(), e.attempts(), iso(e.acceptedAt()), iso(e.firstAttemptAt()), iso(e.lastAttemptAt()),
                iso(now), e.traceparent(), body);
    }

    /** The queue's sink, as the operator wrote it on the stream: another Function (as an event) or a URL. */
    private void forward(String ns, String queue, byte[] letter) {
        Map<String, String> metadata;
        try {
            metadata = nats.management().getStreamInfo(StreamNames.deadLetterStream(ns, queue)).getConfiguration().getMetadata();
        } catch (IOException | JetStreamApiException e) {
            LOG.warnf("cannot read the sink of %s/%s: %s; the dead letter stays in the queue only", ns, queue, e.getMessage());
            return;
        }
        if (metadata == null) {
            return;
        }
        String function = metadata.get(SINK_FUNCTION), url = metadata.get(SINK_URL);
        if (function != null) {
            events.publish(AsyncEvent.accepted(UUID.randomUUID().toString(), new FunctionKey(ns, function), letter,
                    Instant.now(), null)).whenComplete((seq, err) -> {
                        if (err != null) {
                            LOG.warnf("cannot forward a dead letter of %s/%s to Function %s: %s", ns, queue, function, err.getMessage());
                        }
                    });
        } else if (url != null) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(letter))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() / 100 == 2) {
                        return;
                    }
                    LOG.warnf("sink %s of %s/%s answered %d (try %d of 3)", url, ns, queue, r.statusCode(), attempt);
                } catch (IOException e) {
                    LOG.warnf("sink %s of %s/%s failed (try %d of 3): %s", url, ns, queue, attempt, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
