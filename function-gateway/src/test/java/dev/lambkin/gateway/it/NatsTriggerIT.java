package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.testing.NatsServer;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** nats Triggers: messages on a core subject and in a JetStream stream become async events of the function. */
@QuarkusTest
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class NatsTriggerIT extends GatewayInThisJvm {
    static final String LISTENER = "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {minInstances: 1, idleSeconds: 600}";

    /** The events the function got (netcheck keeps each one's first 4 KiB). */
    List<JsonObject> events(TestCluster cluster, String function) throws Exception {
        return gateway.seen(cluster, function).stream().map(o -> new JsonObject(((JsonObject) o).getString("event"))).toList();
    }

    @Test
    void messagesOnACoreSubjectBecomeEventsWithTheirHeaders(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "listener", LISTENER);
        String subject = "orders." + cluster.namespace() + ".created";
        RouteIT.trigger(cluster, "orders", "{function: listener, nats: {subject: \"" + subject + "\"}}");
        RouteIT.awaitReady(cluster, "orders", "True", "Armed");
        try (Connection nats = Nats.connect(NatsServer.shared().url())) {
            for (int i = 0; i < 10; i++) {
                nats.publish(NatsMessage.builder().subject(subject).headers(new Headers().add("X-Order", "o-" + i))
                        .data(("{\"order\": " + i + "}").getBytes(StandardCharsets.UTF_8)).build());
            }
            nats.publish("orders." + cluster.namespace() + ".deleted", "not this one".getBytes(StandardCharsets.UTF_8));
            nats.flush(Duration.ofSeconds(5));
        }
        TestCluster.await(Gateway.START).until(() -> events(cluster, "listener").size() >= 10);
        Set<String> orders = new HashSet<>();
        for (JsonObject e : events(cluster, "listener")) {
            assertEquals("lambkin:nats", e.getString("eventSource"));
            assertEquals(subject, e.getString("subject"), e.encode());
            assertEquals(cluster.namespace() + "/orders", e.getString("trigger"));
            String data = new String(Base64.getDecoder().decode(e.getString("data")), StandardCharsets.UTF_8);
            int order = new JsonObject(data).getInteger("order");
            assertEquals(new JsonArray().add("o-" + order), e.getJsonObject("headers").getJsonArray("X-Order"), "headers kept: " + e.encode());
            orders.add(data);
        }
        assertEquals(10, orders.size(), "each message once, none from another subject");
        assertEquals(10, events(cluster, "listener").size());
        TestCluster.await(Duration.ofSeconds(30)).until(() -> cluster.client().resources(Trigger.class)
                .inNamespace(cluster.namespace()).withName("orders").get().getStatus().lastFired != null);
    }

    @Test
    void aStreamsMessagesAreReadThroughADurableConsumerAndAcknowledgedOnceQueued(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "ledger", LISTENER);
        String stream = "PAYMENTS_" + cluster.namespace().replace('-', '_').toUpperCase();
        String subject = "payments." + cluster.namespace() + ".settled";
        try (Connection nats = Nats.connect(NatsServer.shared().url())) {
            nats.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream)
                    .subjects("payments." + cluster.namespace() + ".>").storageType(StorageType.Memory).build());
            RouteIT.trigger(cluster, "payments", "{function: ledger, nats: {subject: \"" + subject + "\", stream: " + stream + "}}");
            RouteIT.awaitReady(cluster, "payments", "True", "Armed");
            for (int i = 0; i < 10; i++) {
                nats.jetStream().publish(subject, ("{\"payment\": " + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            TestCluster.await(Gateway.START).until(() -> events(cluster, "ledger").size() >= 10);
            Set<Long> sequences = new HashSet<>();
            for (JsonObject e : events(cluster, "ledger")) {
                assertEquals(stream, e.getString("stream"), e.encode());
                sequences.add(e.getLong("sequence"));
            }
            assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), sequences, "each stored message once");
            String consumer = StreamNames.triggerConsumer(cluster.client().resources(Trigger.class).inNamespace(cluster.namespace())
                    .withName("payments").get().getMetadata().getUid());
            TestCluster.await(Duration.ofSeconds(30)).until(() -> nats.jetStreamManagement().getConsumerInfo(stream, consumer),
                    info -> info.getNumAckPending() == 0 && info.getNumPending() == 0);
            assertEquals(10, events(cluster, "ledger").size());

            // the Trigger gone, its consumer goes too
            cluster.client().resources(Trigger.class).inNamespace(cluster.namespace()).withName("payments").delete();
            TestCluster.await(Duration.ofSeconds(30)).until(() -> nats.jetStreamManagement().getConsumerNames(stream).isEmpty());
        }
    }

    @Test
    void aTriggerOnAStreamThatDoesNotExistSaysSo(TestCluster cluster) {
        Gateway.function(cluster, "orphan", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        RouteIT.trigger(cluster, "nowhere", "{function: orphan, nats: {subject: \"nowhere." + cluster.namespace() + "\", stream: NO_SUCH_STREAM}}");
        RouteIT.awaitReady(cluster, "nowhere", "False", "StreamNotFound");
        assertTrue(RouteIT.ready(cluster, "nowhere").getMessage().contains("NO_SUCH_STREAM"), RouteIT.ready(cluster, "nowhere").getMessage());
    }
}
