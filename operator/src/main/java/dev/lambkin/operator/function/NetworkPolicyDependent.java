package dev.lambkin.operator.function;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.operator.config.OperatorConfig;
import dev.lambkin.operator.names.FunctionNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import jakarta.inject.Inject;

/**
 * Only the gateway's pods may reach the function's pods, and only on the runtime contract's port; with
 * spec.network.egress, the pods may connect only to the listed destinations and DNS.
 */
// only the objects Lambkin made are cached, not every one in the watched namespaces
@KubernetesDependent(informer = @Informer(labelSelector = FunctionNames.OWNED))
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

    /**
     * DNS: port 53 anywhere (the resolver a cluster gives pods differs, e.g. node-local DNS on a link-local
     * address), and the cluster's DNS pods (k8s-app=kube-dns in kube-system) on any port, because a policy sees the
     * port after the Service's translation and CoreDNS often listens on another (1053 when it runs unprivileged).
     * A Function without names would fail in ways its author cannot see.
     */
    static final List<NetworkPolicyEgressRule> DNS = List.of(new NetworkPolicyEgressRuleBuilder()
            .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
            .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
            .build(), new NetworkPolicyEgressRuleBuilder()
            .addNewTo().withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", "kube-system").endNamespaceSelector()
            .withNewPodSelector().addToMatchLabels("k8s-app", "kube-dns").endPodSelector().endTo()
            .build());

    public static NetworkPolicy desiredNetworkPolicy(Function fn, String gatewayNamespace, Map<String, String> gatewayPods) {
        List<NetworkPolicyEgressRule> egress = Optional.ofNullable(fn.getSpec().network).map(n -> n.egress).orElse(null);
        List<String> types = egress == null ? List.of("Ingress") : List.of("Ingress", "Egress");
        List<NetworkPolicyEgressRule> rules = egress == null ? List.of()
                : Stream.concat(DNS.stream(), egress.stream()).toList();
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(FunctionNames.networkPolicy(fn))
                .withNamespace(fn.getMetadata().getNamespace())
                .withLabels(FunctionNames.labels(fn))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(FunctionNames.selector(fn)).endPodSelector()
                .withPolicyTypes(types)
                .addNewIngress()
                .addNewFrom()
                .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", gatewayNamespace).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(gatewayPods).endPodSelector()
                .endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(FunctionDefaults.port(fn.getSpec()))).endPort()
                .endIngress()
                .withEgress(rules)
                .endSpec()
                .build();
    }
}
