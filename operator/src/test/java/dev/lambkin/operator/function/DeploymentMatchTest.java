package dev.lambkin.operator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Which replicas the operator applies: only those its own apply still holds; and which refusal means someone scaled. */
class DeploymentMatchTest {
    static final String OPERATOR = "function";

    static ManagedFieldsEntry entry(String manager, String operation, Map<String, Object> spec) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty("f:spec", spec);
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation).withFieldsV1(fields).build();
    }

    static Deployment deployment(int replicas, ManagedFieldsEntry... managed) {
        return new DeploymentBuilder().withNewMetadata().withName("fn").withManagedFields(List.of(managed)).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().build();
    }

    @Test
    void untilSomeoneScalesItTheOperatorHoldsTheReplicasItCreatedWith() {
        Deployment created = deployment(0,
                entry(OPERATOR, "Apply", Map.of("f:replicas", Map.of(), "f:template", Map.of())));
        assertEquals(0, DeploymentDependent.ownReplicas(created, OPERATOR));
    }

    @Test
    void afterAScaleTheOperatorHoldsNoReplicas() {
        // as the API server records a scale through the subresource (an Update by the gateway's client)
        Deployment updated = deployment(3,
                entry(OPERATOR, "Apply", Map.of("f:template", Map.of())),
                entry("fabric8-kubernetes-client", "Update", Map.of("f:replicas", Map.of())));
        assertNull(DeploymentDependent.ownReplicas(updated, OPERATOR));
    }

    @Test
    void anotherManagersReplicasOrAnUpdateOperationDoNotCount() {
        Deployment byOthers = deployment(2,
                entry("kubectl-edit", "Apply", Map.of("f:replicas", Map.of())),
                entry(OPERATOR, "Update", Map.of("f:replicas", Map.of())));
        assertNull(DeploymentDependent.ownReplicas(byOthers, OPERATOR));
    }

    static KubernetesClientException refused(int code, String... fields) {
        var details = new StatusDetailsBuilder().withName("fn").withKind("deployments");
        for (String f : fields) {
            details.addNewCause().withReason("FieldManagerConflict").withMessage("conflict with \"fabric8\" using apps/v1")
                    .withField(f).endCause();
        }
        return new KubernetesClientException(new StatusBuilder().withCode(code).withReason("Conflict")
                .withMessage("Apply failed with 1 conflict").withDetails(details.build()).build());
    }

    @Test
    void aConflictOnReplicasIsASinceScaledDeploymentOtherRefusalsAreNot() {
        assertTrue(DeploymentDependent.replicasConflict(refused(409, ".spec.replicas")));
        assertTrue(DeploymentDependent.replicasConflict(refused(409, ".spec.template.spec.containers[name=\"function\"].image", ".spec.replicas")));
        assertFalse(DeploymentDependent.replicasConflict(refused(409, ".spec.template.spec.containers[name=\"function\"].image")));
        assertFalse(DeploymentDependent.replicasConflict(refused(422, ".spec.replicas")));
        assertFalse(DeploymentDependent.replicasConflict(new KubernetesClientException("no answer")));
    }
}
