package dev.lambkin.operator.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.DeadLetterQueueSpec;
import dev.lambkin.api.v1alpha1.Retention;
import dev.lambkin.api.v1alpha1.Sink;
import dev.lambkin.operator.nats.NatsConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

class DeadLetterStreamTest {
    static final NatsConfig CONFIG = new NatsConfig() {
        public String url() {
            return "nats://unused:4222";
        }

        public Optional<String> credentials() {
            return Optional.empty();
        }

        public int streamReplicas() {
            return 3;
        }

        public String storage() {
            return "file";
        }

        public Duration statusInterval() {
            return Duration.ofSeconds(10);
        }
    };

    static DeadLetterQueue queue(String maxAge, Long maxMessages, Sink sink) {
        DeadLetterQueue q = new DeadLetterQueue();
        q.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("orders-dlq").build());
        q.setSpec(new DeadLetterQueueSpec());
        if (maxAge != null || maxMessages != null) {
            q.getSpec().retention = new Retention();
            q.getSpec().retention.maxAge = maxAge;
            q.getSpec().retention.maxMessages = maxMessages;
        }
        q.getSpec().sink = sink;
        return q;
    }

    @Test
    void goDurationsAsTheCrdAcceptsThem() {
        assertEquals(Duration.ofHours(336), GoDurations.parse("336h"));
        assertEquals(Duration.ofMinutes(90), GoDurations.parse("1h30m"));
        assertEquals(Duration.ofMinutes(90), GoDurations.parse("1.5h"));
        assertEquals(Duration.ofMillis(1500), GoDurations.parse("1s500ms"));
        assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("3 days"));
        assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("h"));
    }

    @Test
    void agesAreWrittenAsKubectlWritesThem() {
        assertEquals("45s", GoDurations.age(Duration.ofSeconds(45)));
        assertEquals("12m30s", GoDurations.age(Duration.ofSeconds(750)));
        assertEquals("3h", GoDurations.age(Duration.ofHours(3)));
        assertEquals("5d3h", GoDurations.age(Duration.ofHours(123)));
        assertEquals("0s", GoDurations.age(Duration.ofSeconds(-2)), "a clock a little ahead is not a negative age");
    }

    @Test
    void theStreamFollowsTheSpecAndDefaults() {
        StreamConfiguration c = new DeadLetterStream(null, CONFIG).desired(queue(null, null, null));
        assertEquals("LAMBKIN_DLQ_shop_orders-dlq", c.getName());
        assertEquals("lambkin.dlq.shop.orders-dlq", c.getSubjects().get(0));
        assertEquals(Duration.ofDays(14), c.getMaxAge());
        assertEquals(100_000, c.getMaxMsgs());
        assertEquals(RetentionPolicy.Limits, c.getRetentionPolicy());
        assertEquals(StorageType.File, c.getStorageType());
        assertEquals(3, c.getReplicas());
        assertEquals("shop/orders-dlq", c.getMetadata().get(DeadLetterStream.QUEUE));
        assertFalse(c.getMetadata().containsKey(DeadLetterStream.SINK_FUNCTION));

        Sink sink = new Sink();
        sink.function = "auditor";
        StreamConfiguration custom = new DeadLetterStream(null, CONFIG).desired(queue("90m", 3L, sink));
        assertEquals(Duration.ofMinutes(90), custom.getMaxAge());
        assertEquals(3, custom.getMaxMsgs());
        assertEquals("auditor", custom.getMetadata().get(DeadLetterStream.SINK_FUNCTION));
        assertTrue(DeadLetterStream.differs(c, custom), "retention and sink changes update the stream");
        assertFalse(DeadLetterStream.differs(custom, new DeadLetterStream(null, CONFIG).desired(queue("90m", 3L, sink))));
    }
}
