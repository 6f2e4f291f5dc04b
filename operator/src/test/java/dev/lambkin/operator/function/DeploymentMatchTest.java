package dev.lambkin.operator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** Which replicas the Deployment's matcher compares: only those the operator's own apply still holds. */
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
    void justCreatedTheOperatorSharesReplicasWithTheirOwnManager() {
        Deployment created = deployment(0,
                entry(OPERATOR, "Apply", Map.of("f:replicas", Map.of(), "f:template", Map.of())),
                entry(DeploymentDependent.REPLICAS_MANAGER, "Apply", Map.of("f:replicas", Map.of())));
        assertEquals(0, DeploymentDependent.sharedReplicas(created, OPERATOR));
    }

    @Test
    void afterItsFirstUpdateOrAScaleTheOperatorHoldsNoReplicas() {
        Deployment updated = deployment(3,
                entry(OPERATOR, "Apply", Map.of("f:template", Map.of())),
                entry(DeploymentDependent.REPLICAS_MANAGER, "Apply", Map.of("f:replicas", Map.of())));
        assertNull(DeploymentDependent.sharedReplicas(updated, OPERATOR));
    }

    @Test
    void anotherManagersReplicasOrAnUpdateOperationDoNotCount() {
        Deployment byOthers = deployment(2,
                entry("kubectl-edit", "Apply", Map.of("f:replicas", Map.of())),
                entry(OPERATOR, "Update", Map.of("f:replicas", Map.of())));
        assertNull(DeploymentDependent.sharedReplicas(byOthers, OPERATOR));
    }
}
