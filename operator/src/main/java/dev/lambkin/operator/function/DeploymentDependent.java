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
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import jakarta.inject.Inject;

/**
 * The Function's Deployment. The operator owns everything in it but {@code spec.replicas}: that belongs to the
 * gateway's autoscaler (scale subresource). Every apply omits replicas; only the creation sets it, to
 * {@code minInstances}, and hands the field to a manager of its own at once, so server-side apply never drops
 * it back to the default of 1 when the operator stops sending it (see ../shared/notes/kubernetes-pitfalls.md).
 */
// only the objects Lambkin made are cached, not every one in the watched namespaces
@KubernetesDependent(informer = @Informer(labelSelector = FunctionNames.OWNED))
public class DeploymentDependent extends CRUDKubernetesDependentResource<Deployment, Function> {
    /** Field manager that holds spec.replicas from creation until the gateway scales the Deployment. */
    public static final String REPLICAS_MANAGER = "lambkin-replicas";

    @Inject
    RuntimeApiConfig runtimeApi;

    public DeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(Function fn, Context<Function> context) {
        return desiredDeployment(fn, new LambdaRuntimePod.Helper(runtimeApi.image(), runtimeApi.region()));
    }

    /** The Deployment as the operator applies it: no replicas. */
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

    /**
     * From its creation until its first update the operator shares {@code spec.replicas} with
     * {@link #REPLICAS_MANAGER}. The desired Deployment never has replicas, so JOSDK's server-side-apply matcher would
     * see a difference right after every creation and apply again only to release that share, which is harmless to
     * keep (the other manager holds the field); compared as if it had them, a new Deployment costs two requests, not three.
     */
    @Override
    public Matcher.Result<Deployment> match(Deployment actual, Deployment desired, Function fn, Context<Function> context) {
        desired.getSpec().setReplicas(sharedReplicas(actual, context.getControllerConfiguration().fieldManager()));
        try {
            return super.match(actual, desired, fn, context);
        } finally {
            desired.getSpec().setReplicas(null);
        }
    }

    /** spec.replicas of {@code actual} if {@code fieldManager} still applies it, else null. */
    static Integer sharedReplicas(Deployment actual, String fieldManager) {
        boolean applies = Optional.ofNullable(actual.getMetadata().getManagedFields()).orElse(List.of()).stream()
                .filter(m -> fieldManager.equals(m.getManager()) && "Apply".equals(m.getOperation()))
                .filter(m -> m.getFieldsV1() != null)
                .anyMatch(m -> m.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
                        && spec.containsKey("f:replicas"));
        return applies ? actual.getSpec().getReplicas() : null;
    }

    @Override
    public Deployment create(Deployment desired, Function fn, Context<Function> context) {
        int replicas = FunctionDefaults.minInstances(fn.getSpec());
        desired.getSpec().setReplicas(replicas);
        Deployment created = super.create(desired, fn, context);
        // Hand spec.replicas to a manager of its own; the operator's next apply (without replicas) then
        // releases its share and the field stays.
        Deployment replicasOnly = new DeploymentBuilder()
                .withNewMetadata().withName(created.getMetadata().getName())
                .withNamespace(created.getMetadata().getNamespace()).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .build();
        return context.getClient().resource(replicasOnly).fieldManager(REPLICAS_MANAGER).forceConflicts()
                .serverSideApply();
    }
}
