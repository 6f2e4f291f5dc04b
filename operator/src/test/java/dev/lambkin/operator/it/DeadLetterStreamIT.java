package dev.lambkin.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.DeadLetterQueueStatus;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.testing.NatsServer;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A DeadLetterQueue becomes a JetStream stream with its retention; the queue's status counts the stream. */
@QuarkusTest
@QuarkusTestResource(CrdsInstalled.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster
class DeadLetterStreamIT {
    static final Duration SOON = Duration.ofSeconds(30);

    DeadLetterQueueStatus status(TestCluster cluster, String name) {
        DeadLetterQueue q = cluster.client().resources(DeadLetterQueue.class).inNamespace(cluster.namespace()).withName(name).get();
        return q == null ? null : q.getStatus();
    }

    @Test
    void theQueuesStreamKeepsItsRetentionAndItsStatusCountsIt(TestCluster cluster) throws Exception {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: orders-dlq}
                spec: {retention: {maxAge: 90m, maxMessages: 3}}
                """, DeadLetterQueue.class)).create();
        TestCluster.await(SOON).until(() -> {
            DeadLetterQueueStatus s = status(cluster, "orders-dlq");
            return s != null && Conditions.isTrue(s.conditions, "Ready") && Conditions.isTrue(s.conditions, "StreamReady")
                    && Long.valueOf(0).equals(s.messages);
        });
        String stream = StreamNames.deadLetterStream(cluster.namespace(), "orders-dlq");
        try (Connection nats = Nats.connect(NatsServer.shared().url())) {
            StreamConfiguration config = nats.jetStreamManagement().getStreamInfo(stream).getConfiguration();
            assertEquals(Duration.ofMinutes(90), config.getMaxAge());
            assertEquals(3, config.getMaxMsgs());
            assertEquals(cluster.namespace() + "/orders-dlq", config.getMetadata().get("lambkin.dev/queue"));

            for (int i = 0; i < 5; i++) {
                nats.jetStream().publish(StreamNames.deadLetterSubject(cluster.namespace(), "orders-dlq"), ("{\"n\":" + i + "}").getBytes());
            }
            // retention drops the oldest two; the status says what is left, and how old it is
            TestCluster.await(SOON).until(() -> Long.valueOf(3).equals(status(cluster, "orders-dlq").messages));
            assertNotNull(status(cluster, "orders-dlq").oldestMessageAge);

            cluster.patchSpec(DeadLetterQueue.class, "orders-dlq", "{\"retention\":{\"maxMessages\":10}}");
            TestCluster.await(SOON).until(() -> nats.jetStreamManagement().getStreamInfo(stream).getConfiguration().getMaxMsgs() == 10);
        }
    }

    @Test
    void deletingAStreamBehindTheOperatorsBackRecreatesIt(TestCluster cluster) throws Exception {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: lost-dlq}
                spec: {}
                """, DeadLetterQueue.class)).create();
        String stream = StreamNames.deadLetterStream(cluster.namespace(), "lost-dlq");
        try (Connection nats = Nats.connect(NatsServer.shared().url())) {
            TestCluster.await(SOON).until(() -> exists(nats, stream));
            nats.jetStreamManagement().deleteStream(stream);
            TestCluster.await(SOON).until(() -> exists(nats, stream));
        }
    }

    @Test
    void deletingAQueueDeletesItsStreamOnlyWhenItsPolicySaysDelete(TestCluster cluster) throws Exception {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: kept-dlq}
                spec: {}
                """, DeadLetterQueue.class)).create();
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: dropped-dlq}
                spec: {deletionPolicy: Delete}
                """, DeadLetterQueue.class)).create();
        String kept = StreamNames.deadLetterStream(cluster.namespace(), "kept-dlq");
        String dropped = StreamNames.deadLetterStream(cluster.namespace(), "dropped-dlq");
        try (Connection nats = Nats.connect(NatsServer.shared().url())) {
            TestCluster.await(SOON).until(() -> exists(nats, kept) && exists(nats, dropped));
            nats.jetStream().publish(StreamNames.deadLetterSubject(cluster.namespace(), "kept-dlq"), "{\"n\":1}".getBytes());
            var queues = cluster.client().resources(DeadLetterQueue.class).inNamespace(cluster.namespace());
            queues.withName("kept-dlq").delete();
            queues.withName("dropped-dlq").delete();
            TestCluster.await(SOON).until(() -> queues.withName("kept-dlq").get() == null && queues.withName("dropped-dlq").get() == null);
            TestCluster.await(SOON).until(() -> !exists(nats, dropped));
            // the default keeps the stream and its letters
            assertEquals(1, nats.jetStreamManagement().getStreamInfo(kept).getStreamState().getMsgCount());
        }
    }

    static boolean exists(Connection nats, String stream) throws Exception {
        try {
            nats.jetStreamManagement().getStreamInfo(stream);
            return true;
        } catch (JetStreamApiException e) {
            return false;
        }
    }
}
