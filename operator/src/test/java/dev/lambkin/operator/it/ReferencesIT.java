package dev.lambkin.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Triggers, DeadLetterQueues and Functions that name each other: Ready follows what exists. */
@QuarkusTest
@QuarkusTestResource(CrdsInstalled.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster
class ReferencesIT {
    static final Duration SOON = Duration.ofSeconds(30);

    static <T extends HasMetadata> T create(TestCluster cluster, Class<T> type, String yaml) {
        return cluster.client().resource(cluster.load(yaml, type)).create();
    }

    static Condition ready(TestCluster cluster, Class<? extends CustomResource<?, ?>> type, String name) {
        CustomResource<?, ?> r = cluster.client().resources(type).inNamespace(cluster.namespace()).withName(name).get();
        Object status = r == null ? null : r.getStatus();
        var conditions = status instanceof dev.lambkin.api.v1alpha1.TriggerStatus t ? t.conditions
                : status instanceof dev.lambkin.api.v1alpha1.DeadLetterQueueStatus q ? q.conditions
                : status instanceof dev.lambkin.api.v1alpha1.FunctionStatus f ? f.conditions : null;
        return conditions == null ? null : Conditions.find(conditions, "Ready").orElse(null);
    }

    static boolean hasReady(TestCluster c, Class<? extends CustomResource<?, ?>> type, String name, String status, String reason) {
        Condition r = ready(c, type, name);
        return r != null && status.equals(r.getStatus()) && reason.equals(r.getReason());
    }

    @Test
    void aTriggerIsReadyOnlyWhileItsFunctionExists(TestCluster cluster) {
        create(cluster, Trigger.class, """
                apiVersion: lambkin.dev/v1alpha1
                kind: Trigger
                metadata: {name: nightly}
                spec: {function: report, schedule: {cron: "0 3 * * *", timeZone: Europe/Paris}}
                """);
        TestCluster.await(SOON).until(() -> hasReady(cluster, Trigger.class, "nightly", "False", "FunctionNotFound"));
        assertTrue(ready(cluster, Trigger.class, "nightly").getMessage().contains("Function report does not exist"));
        create(cluster, Function.class, """
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: report}
                spec: {image: lambkin.local/netcheck:dev}
                """);
        // resolved, and waiting for a gateway to arm it (none runs in this test)
        TestCluster.await(SOON).until(() -> hasReady(cluster, Trigger.class, "nightly", "False", "NotArmed"));
        cluster.client().resources(Function.class).inNamespace(cluster.namespace()).withName("report").delete();
        TestCluster.await(SOON).until(() -> hasReady(cluster, Trigger.class, "nightly", "False", "FunctionNotFound"));
    }

    @Test
    void anOutOfRangeScheduleIsReported(TestCluster cluster) {
        create(cluster, Function.class, """
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: ticker}
                spec: {image: lambkin.local/netcheck:dev}
                """);
        create(cluster, Trigger.class, """
                apiVersion: lambkin.dev/v1alpha1
                kind: Trigger
                metadata: {name: never}
                spec: {function: ticker, schedule: {cron: "61 * * * *"}}
                """);
        TestCluster.await(SOON).until(() -> hasReady(cluster, Trigger.class, "never", "False", "InvalidSchedule"));
        assertTrue(ready(cluster, Trigger.class, "never").getMessage().contains("61 * * * *"));
    }

    @Test
    void aFunctionWaitsForItsDeadLetterQueue(TestCluster cluster) {
        create(cluster, Function.class, """
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: payments}
                spec: {image: lambkin.local/netcheck:dev, async: {deadLetterQueue: payments-dlq}}
                """);
        TestCluster.await(SOON).until(() -> hasReady(cluster, Function.class, "payments", "False", "DeadLetterQueueNotFound"));
        create(cluster, DeadLetterQueue.class, """
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: payments-dlq}
                spec: {sink: {function: auditor}}
                """);
        TestCluster.await(SOON).until(() -> hasReady(cluster, Function.class, "payments", "True", "ScaledToZero"));
        // the queue's own sink is missing, until it is not
        TestCluster.await(SOON).until(() -> hasReady(cluster, DeadLetterQueue.class, "payments-dlq", "False", "SinkFunctionNotFound"));
        create(cluster, Function.class, """
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: auditor}
                spec: {image: lambkin.local/netcheck:dev}
                """);
        TestCluster.await(SOON).until(() -> hasReady(cluster, DeadLetterQueue.class, "payments-dlq", "True", "Ready"));
        assertEquals("payments-dlq", cluster.client().resources(DeadLetterQueue.class).inNamespace(cluster.namespace())
                .withName("payments-dlq").get().getMetadata().getName());
    }
}
