package dev.lambkin.operator.deadletter;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.DeadLetterQueueSpec;
import dev.lambkin.operator.nats.JetStreamConnection;
import dev.lambkin.operator.nats.NatsConfig;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The JetStream stream behind one DeadLetterQueue: created, kept at the spec's retention, and read for the
 * queue's status. The stream's metadata carries the queue's sink, so the gateway forwards dead letters without
 * watching DeadLetterQueues itself.
 */
@ApplicationScoped
public class DeadLetterStream {
    public static final String SINK_FUNCTION = "lambkin.dev/sink-function";
    public static final String SINK_URL = "lambkin.dev/sink-url";
    public static final String QUEUE = "lambkin.dev/queue";
    static final String DEFAULT_MAX_AGE = "336h";
    static final long DEFAULT_MAX_MESSAGES = 100_000;

    /** What the stream holds now. */
    public record State(String stream, long messages, Optional<Instant> oldest) {
    }

    private final JetStreamConnection nats;
    private final NatsConfig config;

    public DeadLetterStream(JetStreamConnection nats, NatsConfig config) {
        this.nats = nats;
        this.config = config;
    }

    /** The stream as the queue's spec wants it. */
    public StreamConfiguration desired(DeadLetterQueue queue) {
        String ns = queue.getMetadata().getNamespace(), name = queue.getMetadata().getName();
        DeadLetterQueueSpec spec = queue.getSpec() != null ? queue.getSpec() : new DeadLetterQueueSpec();
        String maxAge = spec.retention != null && spec.retention.maxAge != null ? spec.retention.maxAge : DEFAULT_MAX_AGE;
        long maxMessages = spec.retention != null && spec.retention.maxMessages != null ? spec.retention.maxMessages
                : DEFAULT_MAX_MESSAGES;
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(QUEUE, ns + "/" + name);
        if (spec.sink != null && spec.sink.function != null) {
            metadata.put(SINK_FUNCTION, spec.sink.function);
        }
        if (spec.sink != null && spec.sink.url != null) {
            metadata.put(SINK_URL, spec.sink.url);
        }
        return StreamConfiguration.builder().name(StreamNames.deadLetterStream(ns, name))
                .subjects(StreamNames.deadLetterSubject(ns, name))
                .description("dead letters of DeadLetterQueue " + ns + "/" + name)
                .retentionPolicy(RetentionPolicy.Limits).discardPolicy(DiscardPolicy.Old)
                .maxAge(GoDurations.parse(maxAge)).maxMessages(maxMessages)
                .storageType("memory".equalsIgnoreCase(config.storage()) ? StorageType.Memory : StorageType.File)
                .replicas(config.streamReplicas()).duplicateWindow(Duration.ofMinutes(2))
                .metadata(metadata).build();
    }

    /** Creates the stream or brings its retention and sink up to date; then reads its state. */
    public State ensure(DeadLetterQueue queue) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.management();
        StreamConfiguration want = desired(queue);
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(want.getName());
            if (differs(info.getConfiguration(), want)) {
                info = jsm.updateStream(want);
            }
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            info = jsm.addStream(want);
        }
        long messages = info.getStreamState().getMsgCount();
        Optional<Instant> oldest = messages == 0 || info.getStreamState().getFirstTime() == null ? Optional.empty()
                : Optional.of(info.getStreamState().getFirstTime().toInstant());
        return new State(want.getName(), messages, oldest);
    }

    /** Deletes the queue's stream; true when it is gone (or never was). */
    public boolean delete(DeadLetterQueue queue) throws IOException, JetStreamApiException {
        String stream = StreamNames.deadLetterStream(queue.getMetadata().getNamespace(), queue.getMetadata().getName());
        try {
            return nats.management().deleteStream(stream);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 404) {
                return true;
            }
            throw e;
        }
    }

    static boolean differs(StreamConfiguration have, StreamConfiguration want) {
        return !have.getMaxAge().equals(want.getMaxAge()) || have.getMaxMsgs() != want.getMaxMsgs()
                || !want.getMetadata().equals(withoutServerKeys(have.getMetadata()));
    }

    /** The server adds its own _nats.* keys to a stream's metadata. */
    private static Map<String, String> withoutServerKeys(Map<String, String> metadata) {
        Map<String, String> ours = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (!k.startsWith("_nats")) {
                    ours.put(k, v);
                }
            });
        }
        return ours;
    }
}
