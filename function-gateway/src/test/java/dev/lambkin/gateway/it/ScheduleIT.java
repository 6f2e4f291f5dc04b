package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.gateway.trigger.ScheduledEvents;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** A schedule Trigger fires: Ready only once the gateway armed it, one event per scheduled instant, status follows. */
@QuarkusTest
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class ScheduleIT extends GatewayInThisJvm {
    static Trigger trigger(TestCluster cluster, String name) {
        return cluster.client().resources(Trigger.class).inNamespace(cluster.namespace()).withName(name).get();
    }

    @Test
    void aScheduleFiresOncePerInstantAndSaysSoInItsStatus(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "ticked", "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {idleSeconds: 600}");
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Trigger
                metadata: {name: every-2s}
                spec: {function: ticked, schedule: {cron: "@every 2s", payload: {job: "tick"}}}
                """, Trigger.class)).create();
        // Ready means armed: the gateway reports it, the operator's Ready follows
        TestCluster.await(Gateway.START).until(() -> {
            Trigger t = trigger(cluster, "every-2s");
            return t.getStatus() != null && t.getStatus().conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()) && "Armed".equals(c.getReason()));
        });
        Trigger armed = trigger(cluster, "every-2s");
        assertNotNull(armed.getStatus().nextFire, "nextFire");
        // events arrive, one per 2 s instant: each id is the one derived from the Trigger's uid and its instant
        TestCluster.await(Gateway.START).until(() -> gateway.seen(cluster, "ticked").size() >= 3);
        Map<String, Integer> seen = new HashMap<>();
        gateway.seen(cluster, "ticked").forEach(s -> seen.merge(((JsonObject) s).getString("id"), 1, Integer::sum));
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no instant fired twice: " + seen);
        Instant created = Instant.parse(armed.getMetadata().getCreationTimestamp());
        Map<String, Instant> instants = new HashMap<>();
        for (long ms = created.toEpochMilli() / 2000 * 2000; ms <= System.currentTimeMillis(); ms += 2000) {
            instants.put(ScheduledEvents.id(armed, Instant.ofEpochMilli(ms)), Instant.ofEpochMilli(ms));
        }
        assertTrue(instants.keySet().containsAll(seen.keySet()), "every event is one of the schedule's instants: " + seen.keySet());
        List<Instant> fired = seen.keySet().stream().map(instants::get).sorted().toList();
        for (int i = 1; i < fired.size(); i++) {
            assertEquals(Duration.ofSeconds(2), Duration.between(fired.get(i - 1), fired.get(i)), "one per instant: " + fired);
        }
        // a schedule that has not fired yet says so (no lastFired), never an invented time
        assertTrue(armed.getStatus().lastFired == null || instants.containsValue(Instant.parse(armed.getStatus().lastFired)),
                "lastFired when it was armed: " + armed.getStatus().lastFired);
        TestCluster.await(Duration.ofSeconds(10)).until(() -> trigger(cluster, "every-2s").getStatus().lastFired != null);
        assertTrue(instants.containsValue(Instant.parse(trigger(cluster, "every-2s").getStatus().lastFired)), "lastFired is an instant");
    }
}
