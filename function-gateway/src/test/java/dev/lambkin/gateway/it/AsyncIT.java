package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.testing.NatsServer;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Asynchronous invocation on real NATS and a real cluster, with the test profile's retry schedule (1 s, 2 s):
 * accepted only once stored, delivered, retried, dead-lettered, redriven, expired, purged.
 */
@QuarkusTest
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class AsyncIT extends GatewayInThisJvm {
    static final String EVENT = "Lambkin-Invocation-Type";
    void queue(TestCluster cluster, String name) {
        queue(cluster, name, "{}");
    }

    /** A DeadLetterQueue with the given spec (flow YAML), once Ready: its stream exists. */
    void queue(TestCluster cluster, String name, String spec) {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: %s}
                spec: %s
                """.formatted(name, spec), DeadLetterQueue.class)).create();
        TestCluster.await(Gateway.START).until(() -> {
            DeadLetterQueue q = cluster.client().resources(DeadLetterQueue.class).inNamespace(cluster.namespace()).withName(name).get();
            return q.getStatus() != null && q.getStatus().conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
    }

    Long dlqStatusMessages(TestCluster cluster, String name) {
        var q = cluster.client().resources(DeadLetterQueue.class).inNamespace(cluster.namespace()).withName(name).get();
        return q.getStatus() == null ? null : q.getStatus().messages;
    }

    JsonObject dlq(TestCluster cluster, String queue, String query) throws Exception {
        var r = gateway.send("GET", "/deadletterqueues/" + cluster.namespace() + "/" + queue + "/messages" + query, null);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void anEventIsAcceptedOnceStoredEvenAtTheLimitAndDeliveredWhenASlotOpens(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "untouched", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        Gateway.function(cluster, "paused", "image: lambkin.local/netcheck:dev\nargs: [serve]\nconcurrency: {reserved: 0}");
        var accepted = gateway.invoke(cluster, "paused", "{\"order\": 42}", EVENT, "Event");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = accepted.headers().firstValue("Lambkin-Request-Id").orElseThrow();
        // reserved 0 runs nothing: the event waits in the stream, not refused
        try (Connection nats = Nats.connect(NatsServer.shared().url())) {
            var stored = nats.jetStreamManagement().getLastMessage(StreamNames.EVENTS_STREAM,
                    StreamNames.eventSubject(cluster.namespace(), "paused"));
            assertEquals(id, stored.getHeaders().getFirst("Lambkin-Request-Id"));
            assertEquals("{\"order\": 42}", new String(stored.getData()));
        }
        cluster.patchSpec(Function.class, "paused", "{\"concurrency\":{\"reserved\":null}}");
        TestCluster.await(Gateway.START).until(() -> gateway.seen(cluster, "paused").stream()
                .anyMatch(s -> id.equals(((JsonObject) s).getString("id")) && "1".equals(((JsonObject) s).getString("attempt"))));
        TestCluster.await(Duration.ofSeconds(20)).until(() -> gateway.manage("/q/metrics").body()
                .contains("lambkin_async_accepted_total{function=\"paused\",namespace=\"" + cluster.namespace() + "\"} 1.0"));
        // done with its events, the function is let go (the test profile's consumerIdle is 3 s): no gateway pulls for
        // it any more, and a Function that never had an event never had a consumer
        try (Connection nats = Nats.connect(NatsServer.shared().url())) {
            var jsm = nats.jetStreamManagement();
            TestCluster.await(Duration.ofSeconds(60)).until(() -> jsm.getConsumerInfo(StreamNames.EVENTS_STREAM,
                    StreamNames.eventConsumer(cluster.namespace(), "paused")).getNumWaiting() == 0);
            assertTrue(jsm.getConsumerNames(StreamNames.EVENTS_STREAM).stream()
                    .noneMatch(StreamNames.eventConsumer(cluster.namespace(), "untouched")::equals));
        }
    }

    @Test
    void aFailingEventIsTriedMaxRetriesPlusOneTimesDeadLetteredAndRedrivenOnceFixed(TestCluster cluster) throws Exception {
        queue(cluster, "failures");
        Gateway.function(cluster, "flaky", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                env: [{name: NETCHECK_FAIL, value: "1"}]
                scaling: {idleSeconds: 600}
                async: {maxRetries: 1, deadLetterQueue: failures}""");
        Instant before = Instant.now();
        var accepted = gateway.invoke(cluster, "flaky", "{\"charge\": 5}", EVENT, "Event");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = accepted.headers().firstValue("Lambkin-Request-Id").orElseThrow();

        JsonObject page = TestCluster.await(Gateway.START).until(() -> dlq(cluster, "failures", ""),
                p -> p.getJsonArray("messages").size() == 1);
        JsonObject letter = page.getJsonArray("messages").getJsonObject(0).getJsonObject("deadLetter");
        assertEquals(id, letter.getString("requestId"));
        assertEquals("flaky", letter.getString("function"));
        assertEquals(cluster.namespace(), letter.getString("namespace"));
        assertEquals("RetriesExhausted", letter.getString("condition"));
        assertEquals("Boom", letter.getString("errorType"));
        assertTrue(letter.getString("errorMessage").contains("failing on purpose"), letter.encode());
        assertEquals(2, letter.getInteger("attempts"), "maxRetries 1: two attempts");
        assertEquals(new JsonObject().put("charge", 5), letter.getJsonObject("event"));
        Instant first = Instant.parse(letter.getString("firstAttemptTime")), last = Instant.parse(letter.getString("lastAttemptTime"));
        assertTrue(!first.isBefore(before) && last.isAfter(first), letter.encode());
        // the function saw the same request id exactly twice, as attempts 1 and 2
        List<String> attempts = gateway.seen(cluster, "flaky").stream().map(JsonObject.class::cast)
                .filter(s -> id.equals(s.getString("id"))).map(s -> s.getString("attempt")).sorted().toList();
        assertEquals(List.of("1", "2"), attempts);
        TestCluster.await(Duration.ofSeconds(30)).until(() -> Long.valueOf(1).equals(dlqStatusMessages(cluster, "failures")));

        // fix the function, then send the dead letter back
        cluster.patchSpec(Function.class, "flaky", "{\"env\":[]}");
        TestCluster.await(Gateway.START).until(() -> cluster.client().pods().inNamespace(cluster.namespace())
                .withLabel("lambkin.dev/function", "flaky").list().getItems().stream()
                .allMatch(p -> p.getSpec().getContainers().get(0).getEnv().stream().noneMatch(e -> "NETCHECK_FAIL".equals(e.getName()))
                        && "Running".equals(p.getStatus().getPhase())));
        long seq = page.getJsonArray("messages").getJsonObject(0).getLong("sequence");
        var redrive = gateway.send("POST", "/deadletterqueues/" + cluster.namespace() + "/failures/messages/" + seq + "/redrive", "");
        assertEquals(202, redrive.statusCode(), redrive.body());
        assertEquals(id, new JsonObject(redrive.body()).getString("requestId"));
        TestCluster.await(Gateway.START).until(() -> gateway.seen(cluster, "flaky").stream().map(JsonObject.class::cast)
                .anyMatch(s -> id.equals(s.getString("id"))));
        assertEquals(0, dlq(cluster, "failures", "").getJsonArray("messages").size(), "redriven: gone from the queue");
        TestCluster.await(Duration.ofSeconds(30)).until(() -> Long.valueOf(0).equals(dlqStatusMessages(cluster, "failures")));
    }

    @Test
    void anEventWhoseFunctionCrashesIsAFunctionErrorAndDeadLetteredAfterItsRetries(TestCluster cluster) throws Exception {
        queue(cluster, "crashes");
        Gateway.function(cluster, "poison", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                timeoutSeconds: 10
                async: {maxRetries: 0, deadLetterQueue: crashes}""");
        var accepted = gateway.invoke(cluster, "poison", "{\"exit\": 2}", EVENT, "Event");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = accepted.headers().firstValue("Lambkin-Request-Id").orElseThrow();
        // a crash uses up the retries like any function error: with maxRetries 0 it is dead-lettered after one try,
        // not backed off for maxEventAgeSeconds (6 h) as a system error
        JsonObject page = TestCluster.await(Gateway.START).until(() -> dlq(cluster, "crashes", ""),
                p -> p.getJsonArray("messages").size() == 1);
        JsonObject letter = page.getJsonArray("messages").getJsonObject(0).getJsonObject("deadLetter");
        assertEquals(id, letter.getString("requestId"));
        assertEquals("RetriesExhausted", letter.getString("condition"));
        assertEquals("Runtime.ExitError", letter.getString("errorType"), letter.encode());
        assertEquals(1, letter.getInteger("attempts"));
    }

    @Test
    void anEventWhoseDeadLetterQueueIsMissingIsKeptUntilTheQueueExists(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "orphan", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                env: [{name: NETCHECK_FAIL, value: "1"}]
                async: {maxRetries: 0, deadLetterQueue: later}""");
        var accepted = gateway.invoke(cluster, "orphan", "{\"n\": 1}", EVENT, "Event");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = accepted.headers().firstValue("Lambkin-Request-Id").orElseThrow();
        String missing = "lambkin_async_dead_letter_queue_missing_total{function=\"orphan\",namespace=\"" + cluster.namespace()
                + "\",queue=\"later\"}";
        TestCluster.await(Gateway.START).until(() -> gateway.manage("/q/metrics").body().contains(missing));
        // the queue appears: the kept event lands in it
        queue(cluster, "later");
        JsonObject page = TestCluster.await(Gateway.START).until(() -> dlq(cluster, "later", ""),
                p -> p.getJsonArray("messages").size() == 1);
        assertEquals(id, page.getJsonArray("messages").getJsonObject(0).getJsonObject("deadLetter").getString("requestId"));
    }

    @Test
    void eventsOlderThanMaxEventAgeAreDeadLetteredAndTheQueueCanBePagedAndPurged(TestCluster cluster) throws Exception {
        queue(cluster, "expired");
        Gateway.function(cluster, "never", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                concurrency: {reserved: 0}
                async: {maxEventAgeSeconds: 60, deadLetterQueue: expired}""");
        for (int i = 0; i < 3; i++) {
            assertEquals(202, gateway.invoke(cluster, "never", "{\"n\": " + i + "}", EVENT, "Event").statusCode());
        }
        TestCluster.await(Duration.ofSeconds(120)).until(() -> dlq(cluster, "expired", "").getInteger("total") == 3);
        JsonObject firstPage = dlq(cluster, "expired", "?limit=2");
        assertEquals(2, firstPage.getJsonArray("messages").size());
        assertNotNull(firstPage.getLong("next"));
        JsonObject letter = firstPage.getJsonArray("messages").getJsonObject(0).getJsonObject("deadLetter");
        assertEquals("EventAgeExceeded", letter.getString("condition"));
        assertEquals(0, letter.getInteger("attempts"), "throttled, never run: no attempt used");
        JsonObject secondPage = dlq(cluster, "expired", "?limit=2&after=" + firstPage.getLong("next"));
        assertEquals(1, secondPage.getJsonArray("messages").size());
        assertNull(secondPage.getLong("next"));
        long seq = secondPage.getJsonArray("messages").getJsonObject(0).getLong("sequence");
        var one = gateway.send("GET", "/deadletterqueues/" + cluster.namespace() + "/expired/messages/" + seq, null);
        assertEquals(200, one.statusCode());
        TestCluster.await(Duration.ofSeconds(30)).until(() -> Long.valueOf(3).equals(dlqStatusMessages(cluster, "expired")));

        var purge = gateway.send("DELETE", "/deadletterqueues/" + cluster.namespace() + "/expired/messages", null);
        assertEquals(200, purge.statusCode(), purge.body());
        assertEquals(3, new JsonObject(purge.body()).getInteger("purged"));
        assertEquals(0, dlq(cluster, "expired", "").getInteger("total"));
        TestCluster.await(Duration.ofSeconds(30)).until(() -> Long.valueOf(0).equals(dlqStatusMessages(cluster, "expired")));
    }

    @Test
    void aQueuesSinkFunctionReceivesEachDeadLetter(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "auditor", "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {idleSeconds: 600}");
        queue(cluster, "audited", "{sink: {function: auditor}}");
        Gateway.function(cluster, "doomed", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                env: [{name: NETCHECK_FAIL, value: "1"}]
                async: {maxRetries: 0, deadLetterQueue: audited}""");
        assertEquals(202, gateway.invoke(cluster, "doomed", "{\"n\": 1}", EVENT, "Event").statusCode());
        // the dead letter is kept in the queue and sent on to the sink Function as an event of its own
        TestCluster.await(Gateway.START).until(() -> dlq(cluster, "audited", "").getInteger("total") == 1);
        TestCluster.await(Gateway.START).until(() -> gateway.seen(cluster, "auditor").size() == 1);
        assertEquals("1", gateway.seen(cluster, "auditor").getJsonObject(0).getString("attempt"));
    }

    @Test
    void badAsyncAndQueueRequestsGetClearErrors(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "small", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        var tooBig = gateway.invoke(cluster, "small", "\"" + "x".repeat(1024 * 1024) + "\"", EVENT, "Event");
        assertEquals(413, tooBig.statusCode());
        assertTrue(new JsonObject(tooBig.body()).getString("message").contains("asynchronous limit"));
        assertEquals(404, gateway.invoke(cluster, "missing", "{}", EVENT, "Event").statusCode());
        assertEquals(400, gateway.invoke(cluster, "small", "{nope", EVENT, "Event").statusCode());
        String base = "/deadletterqueues/" + cluster.namespace();
        var unknown = gateway.send("GET", base + "/no-such-queue/messages", null);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(new JsonObject(unknown.body()).getString("message").contains("no-such-queue"));
        queue(cluster, "checked");
        var badLimit = gateway.send("GET", base + "/checked/messages?limit=0", null);
        assertEquals(400, badLimit.statusCode());
        assertTrue(new JsonObject(badLimit.body()).getString("message").contains("limit"));
        assertEquals(400, gateway.send("GET", base + "/checked/messages/abc", null).statusCode());
        assertEquals(404, gateway.send("GET", base + "/checked/messages/99", null).statusCode());
        assertEquals(400, gateway.send("GET", "/deadletterqueues/Bad_NS/checked/messages", null).statusCode());
        assertEquals(0, new JsonObject(gateway.send("POST", base + "/checked/redrive", "").body()).getInteger("redriven"));
    }
}
