package dev.lambkin.operator.function;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.operator.config.RuntimeApiConfig;
import dev.lambkin.operator.names.FunctionNames;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import jakarta.inject.Inject;

/**
 * The Function's Deployment. The operator owns everything in it but {@code spec.replicas}: that belongs to the
 * gateway's autoscaler (scale subresource). The creation sets it to {@code minInstances}; later applies send it,
 * at its live value, only while the operator is still its sole field manager, and never once the gateway (or
 * anyone) has scaled the Deployment, so server-side apply never drops it back to the default of 1 (see
 * ../shared/notes/kubernetes-pitfalls.md). One request per new Deployment: no separate hand-over of the field.
 */
// only the objects Lambkin made are cached, not every one in the watched namespaces
@KubernetesDependent(informer = @Informer(labelSelector = FunctionNames.OWNED))
public class DeploymentDependent extends CRUDKubernetesDependentResource<Deployment, Function> {
    @Inject
    RuntimeApiConfig runtimeApi;

    public DeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(Function fn, Context<Function> context) {
        Deployment desired = desiredDeployment(fn, new LambdaRuntimePod.Helper(runtimeApi.image(), runtimeApi.region()));
        Optional<Deployment> actual = getSecondaryResource(fn, context);
        desired.getSpec().setReplicas(actual.isEmpty() ? Integer.valueOf(FunctionDefaults.minInstances(fn.getSpec()))
                : ownReplicas(actual.get(), context.getControllerConfiguration().fieldManager()));
        return desired;
    }

    /** By name, as {@link FunctionNames} derives it: JOSDK's default asks {@link #desired}, which asks for the actual one. */
    @Override
    protected ResourceID targetSecondaryResourceID(Function fn, Context<Function> context) {
        return new ResourceID(FunctionNames.deployment(fn), fn.getMetadata().getNamespace());
    }

    /** The Deployment as the operator applies it once someone else holds the replicas: without them. */
    public static Deployment desiredDeployment(Function fn, LambdaRuntimePod.Helper helper) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(FunctionNames.deployment(fn))
                .withNamespace(fn.getMetadata().getNamespace())
                .withLabels(FunctionNames.labels(fn))
                .endMetadata()
                .withNewSpec()
                .withNewSelector().withMatchLabels(FunctionNames.selector(fn)).endSelector()
                .withRevisionHistoryLimit(3)
                // a new version of the function starts before the old one goes, so a warm function stays warm
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withNewMaxUnavailable(0).withNewMaxSurge(1).endRollingUpdate().endStrategy()
                .withTemplate(FunctionPodTemplate.of(fn, helper))
                .endSpec()
                .build();
    }

    /** spec.replicas of {@code actual} if {@code fieldManager}'s apply still holds it, else null. */
    static Integer ownReplicas(Deployment actual, String fieldManager) {
        boolean applies = Optional.ofNullable(actual.getMetadata().getManagedFields()).orElse(List.of()).stream()
                .filter(m -> fieldManager.equals(m.getManager()) && "Apply".equals(m.getOperation()))
                .filter(m -> m.getFieldsV1() != null)
                .anyMatch(m -> m.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
                        && spec.containsKey("f:replicas"));
        return applies ? actual.getSpec().getReplicas() : null;
    }

    /**
     * With replicas (the operator still held them when its cache was read), applied without force: if the gateway
     * scaled meanwhile, the API server refuses the stale count instead of taking the scale back, and the apply is
     * made again without replicas, which the operator no longer holds. Without replicas, forced as JOSDK does.
     */
    @Override
    public Deployment update(Deployment actual, Deployment desired, Function fn, Context<Function> context) {
        if (desired.getSpec().getReplicas() == null) {
            return super.update(actual, desired, fn, context);
        }
        try {
            return context.getClient().resource(desired).fieldManager(context.getControllerConfiguration().fieldManager())
                    .serverSideApply();
        } catch (KubernetesClientException e) {
            if (!replicasConflict(e)) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // another manager holds some other field: take it, as JOSDK does; the count sent is the one the
                // server has (it was not in conflict)
                return super.update(actual, desired, fn, context);
            }
            desired.getSpec().setReplicas(null);
            return super.update(actual, desired, fn, context);
        }
    }

    /** A server-side apply refused because another field manager holds {@code spec.replicas} with another value. */
    public static boolean replicasConflict(KubernetesClientException e) {
        return e.getCode() == 409 && e.getStatus() != null && e.getStatus().getDetails() != null
                && e.getStatus().getDetails().getCauses() != null
                && e.getStatus().getDetails().getCauses().stream().anyMatch(c -> ".spec.replicas".equals(c.getField()));
    }
}
