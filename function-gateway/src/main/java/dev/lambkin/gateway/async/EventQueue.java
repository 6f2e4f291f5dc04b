package dev.lambkin.gateway.async;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.nats.NatsClient;
import dev.lambkin.gateway.nats.NatsConfig;
import dev.lambkin.gateway.route.FunctionKey;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfoOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The events stream: every accepted asynchronous event is a message in it until a worker acknowledges it
 * (work-queue retention), one durable consumer per function shared by all gateway replicas. An event counts as
 * accepted only when JetStream has acknowledged the publish, i.e. stored it; whoever listens (the workers) hears of
 * each stored event's function at once.
 */
@ApplicationScoped
public class EventQueue {
    private static final Logger LOG = Logger.getLogger(EventQueue.class);
    /** How long a caller waits for JetStream's acknowledgement before it gets 503. */
    static final long PUBLISH_TIMEOUT_MS = 5000;
    private final NatsClient nats;
    private final NatsConfig natsConfig;
    private final GatewayConfig.Async config;
    private volatile boolean streamReady;
    private volatile java.util.function.Consumer<FunctionKey> onStored = key -> {
    };

    public EventQueue(NatsClient nats, NatsConfig natsConfig, GatewayConfig config) {
        this.nats = nats;
        this.natsConfig = natsConfig;
        this.config = config.async();
    }

    /**
     * The events stream keeps an event longer than the gateway ever would: the longest maxEventAgeSeconds, plus a
     * last backoff and ack wait after it (the gateway dead-letters or drops it, with a word, before the stream
     * could delete it unseen).
     */
    static java.time.Duration streamMaxAge(GatewayConfig.Async config) {
        return streamMaxAge(config.streamMaxAge(), config.systemRetryMax(), config.ackWait(), config.throttleWait());
    }

    static java.time.Duration streamMaxAge(java.time.Duration configured, java.time.Duration longestBackoff,
            java.time.Duration ackWait, java.time.Duration throttleWait) {
        java.time.Duration floor = java.time.Duration.ofSeconds(dev.lambkin.api.v1alpha1.FunctionDefaults.MAX_EVENT_AGE_SECONDS)
                .plus(longestBackoff.multipliedBy(2)).plus(ackWait).plus(throttleWait);
        return configured.compareTo(floor) > 0 ? configured : floor;
    }

    /** Creates the stream, or brings its settings up to date; idempotent, called on each (re)connect. */
    public synchronized void ensureStream() throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.management();
        StreamConfiguration want = StreamConfiguration.builder().name(StreamNames.EVENTS_STREAM)
                .subjects(StreamNames.EVENTS_SUBJECTS).description("Lambkin's accepted asynchronous events")
                .retentionPolicy(RetentionPolicy.WorkQueue).discardPolicy(DiscardPolicy.New)
                .storageType("memory".equalsIgnoreCase(natsConfig.storage()) ? StorageType.Memory : StorageType.File)
                .replicas(natsConfig.streamReplicas()).maxAge(streamMaxAge(config))
                .duplicateWindow(java.time.Duration.ofMinutes(2)).build();
        try {
            var have = jsm.getStreamInfo(want.getName()).getConfiguration();
            if (!have.getMaxAge().equals(want.getMaxAge())) {
                jsm.updateStream(want);
            }
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            jsm.addStream(want);
            LOG.infof("created stream %s", want.getName());
        }
        streamReady = true;
    }

    /** The function's durable consumer, created or updated to the current settings. */
    public String ensureConsumer(FunctionKey key) throws IOException, JetStreamApiException {
        if (!streamReady) {
            ensureStream();
        }
        String name = StreamNames.eventConsumer(key.namespace(), key.name());
        nats.management().addOrUpdateConsumer(StreamNames.EVENTS_STREAM, ConsumerConfiguration.builder()
                .durable(name).filterSubject(StreamNames.eventSubject(key.namespace(), key.name()))
                .ackPolicy(AckPolicy.Explicit).ackWait(config.ackWait()).maxDeliver(-1)
                .deliverPolicy(DeliverPolicy.All).maxAckPending(config.maxPendingPerFunction())
                // the consumer of a deleted Function goes once nobody has bound it for as long as events live
                .inactiveThreshold(streamMaxAge(config)).build());
        return name;
    }

    /** Told the function of every event this gateway stored (on the thread that completed the publish). */
    public void onStored(java.util.function.Consumer<FunctionKey> listener) {
        this.onStored = listener;
    }

    /** Completes with the stream sequence once JetStream stored the event; fails with IOException otherwise. */
    public CompletionStage<Long> publish(AsyncEvent event) {
        try {
            CompletableFuture<PublishAck> ack = nats.jetStream().publishAsync(event.toMessage(), PublishOptions.builder()
                    .expectedStream(StreamNames.EVENTS_STREAM).messageId(event.messageId()).build());
            CompletableFuture<Long> stored = ack.orTimeout(PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS).thenApply(PublishAck::getSeqno);
            // beside the caller's chain, not in it: nothing the listener does can fail an event that is stored
            stored.thenRun(() -> onStored.accept(event.function()));
            return stored;
        } catch (IOException | RuntimeException e) {
            // e.g. an event over the server's max_payload: refused, never half-stored
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Events stored and not yet done with (waiting, delayed or in a worker's hands), per subject: one request for
     * all functions, and only subjects that hold any are listed (the client pages through a long answer).
     */
    public java.util.Map<String, Long> storedBySubject() throws IOException, JetStreamApiException {
        var state = nats.management().getStreamInfo(StreamNames.EVENTS_STREAM,
                StreamInfoOptions.filterSubjects(StreamNames.EVENTS_SUBJECTS)).getStreamState();
        java.util.Map<String, Long> stored = new java.util.HashMap<>();
        state.getSubjects().forEach(subject -> stored.put(subject.getName(), subject.getCount()));
        return stored;
    }
}
