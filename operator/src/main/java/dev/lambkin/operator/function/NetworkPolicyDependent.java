package dev.lambkin.operator.function;

import java.util.Map;

import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.operator.config.OperatorConfig;
import dev.lambkin.operator.names.FunctionNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import jakarta.inject.Inject;

/** Only the gateway's pods may reach the function's pods, and only on the runtime contract's port. */
public class NetworkPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, Function> {
    @Inject
    OperatorConfig config;

    public NetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(Function fn, Context<Function> context) {
        return desiredNetworkPolicy(fn, config.namespace(),
                FunctionNames.parseSelector(config.podSelector()));
    }

    public static NetworkPolicy desiredNetworkPolicy(Function fn, String gatewayNamespace, Map<String, String> gatewayPods) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(FunctionNames.networkPolicy(fn))
                .withNamespace(fn.getMetadata().getNamespace())
                .withLabels(FunctionNames.labels(fn))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(FunctionNames.selector(fn)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom()
                .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", gatewayNamespace).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(gatewayPods).endPodSelector()
                .endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(FunctionDefaults.port(fn.getSpec()))).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
