package dev.lambkin.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

class ReconcileFailureTest {
    static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");

    @Test
    void readyTurnsFalseWithTheApiServersWordsAndTheOtherConditionsStay() {
        List<Condition> before = List.of(Conditions.of(Conditions.READY, true, "Ready", "ok", 3L),
                Conditions.of("ReferencesResolved", true, "Resolved", "all references resolve", 3L));
        var refused = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("deployments.apps \"f\" is forbidden: exceeded quota: no-deployments").build());
        List<Condition> after = ReconcileFailure.conditions(before, 4L, new RuntimeException("workflow failed", refused), NOW);
        Condition ready = after.getFirst();
        assertEquals("False", ready.getStatus());
        assertEquals("ReconcileFailed", ready.getReason());
        assertEquals(4L, ready.getObservedGeneration());
        assertTrue(ready.getMessage().contains("exceeded quota: no-deployments"), ready.getMessage());
        assertEquals(NOW.toString(), ready.getLastTransitionTime(), "Ready changed now");
        assertEquals(List.of("Ready", "ReferencesResolved"), after.stream().map(Condition::getType).toList());
    }

    @Test
    void aFailedWorkflowNamesEachDependentWithTheApiServersWordsNotItsStackTrace() {
        var refused = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("deployments.apps \"f\" is forbidden: exceeded quota: no-deployments").build());
        String m = ReconcileFailure.message(new io.javaoperatorsdk.operator.AggregatedOperatorException(
                "Exception(s) during workflow execution.", java.util.Map.of("deployment", refused)));
        assertEquals("reconcile failed (retried): deployment: deployments.apps \"f\" is forbidden: exceeded quota: no-deployments", m);
    }

    @Test
    void theMessageIsBoundedAndNeverEmpty() {
        assertTrue(ReconcileFailure.message(new IllegalStateException("x".repeat(5000))).length() <= ReconcileFailure.MESSAGE_CHARS);
        assertEquals("reconcile failed (retried): NullPointerException", ReconcileFailure.message(new NullPointerException()));
    }

    @Test
    void aNamespaceBeingDeletedIsToldApartFromOtherRefusals() {
        // as the API server answers a create in a namespace being deleted
        var terminating = new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("networkpolicies.networking.k8s.io \"f\" is forbidden: unable to create new content in namespace b"
                        + " because it is being terminated")
                .withNewDetails().withName("f").withKind("networkpolicies").addNewCause().withReason("NamespaceTerminating")
                .withField("metadata.namespace").withMessage("namespace b is being terminated").endCause().endDetails().build());
        var quota = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("deployments.apps \"f\" is forbidden: exceeded quota: no-deployments").build());
        assertTrue(ReconcileFailure.namespaceTerminating(new RuntimeException("wrapped", terminating)));
        assertTrue(ReconcileFailure.namespaceTerminating(new io.javaoperatorsdk.operator.AggregatedOperatorException(
                "Exception(s) during workflow execution.", java.util.Map.of("deployment", terminating, "networkpolicy", terminating))));
        assertFalse(ReconcileFailure.namespaceTerminating(quota));
        assertFalse(ReconcileFailure.namespaceTerminating(new IllegalStateException("no API server")));
        // one dependent refused for another reason: that one is worth retrying
        assertFalse(ReconcileFailure.namespaceTerminating(new io.javaoperatorsdk.operator.AggregatedOperatorException(
                "Exception(s) during workflow execution.", java.util.Map.of("deployment", terminating, "networkpolicy", quota))));
    }
}
