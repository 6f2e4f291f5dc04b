package dev.lambkin.operator.function;

import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.operator.names.FunctionNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** A ClusterIP Service for the function's pods, on the runtime contract's port. */
// only the objects Lambkin made are cached, not every one in the watched namespaces
@KubernetesDependent(informer = @Informer(labelSelector = FunctionNames.OWNED))
public class ServiceDependent extends CRUDKubernetesDependentResource<Service, Function> {
    public ServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(Function fn, Context<Function> context) {
        return desiredService(fn);
    }

    public static Service desiredService(Function fn) {
        int port = FunctionDefaults.port(fn.getSpec());
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(FunctionNames.service(fn))
                .withNamespace(fn.getMetadata().getNamespace())
                .withLabels(FunctionNames.labels(fn))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(FunctionNames.selector(fn))
                .addNewPort().withName(FunctionNames.PORT_NAME).withProtocol("TCP").withPort(port)
                .withTargetPort(new IntOrString(FunctionNames.PORT_NAME)).endPort()
                .endSpec()
                .build();
    }
}
