package dev.lambkin.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;

/** Where a Function's pods may connect to: Lambda's VPC setting, as Kubernetes NetworkPolicy egress rules. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkSpec {
    @Size(max = 64)
    @JsonPropertyDescription("Destinations the function's pods may open connections to, as NetworkPolicy egress rules (`to`: ipBlock, namespaceSelector, podSelector; `ports`). Unset (the default): unrestricted, as a Lambda outside a VPC. Set: only these, plus DNS, which is always allowed (port 53 anywhere, and the cluster's DNS pods, k8s-app=kube-dns in kube-system); `[]` allows DNS only. Answers to the gateway's calls are always allowed. Enforced where the cluster's network plugin enforces NetworkPolicy.")
    public List<NetworkPolicyEgressRule> egress;
}
