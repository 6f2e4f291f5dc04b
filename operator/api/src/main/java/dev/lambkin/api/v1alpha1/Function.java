package dev.lambkin.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A function: what runs (an image speaking the runtime contract) and how it scales.
 *
 * <p>No {@code scale} subresource: the gateway owns the replica count and writes it to the Deployment's own
 * scale subresource. A second scale endpoint on the Function would invite {@code kubectl scale} or an HPA to
 * write a number that the autoscaler overrides the next second; {@code spec.scaling} is the user's lever.
 */
@Group(Function.GROUP)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@Version(Function.VERSION)
@Kind("Function")
@Plural("functions")
@Singular("function")
@ShortNames({"fn", "fns"})
@ValidationRule(value = Names.NAME_IS_DNS_1035_LABEL,
        message = "metadata.name must be a DNS-1035 label (lower case letters, digits and '-', starting with a letter, at most 63 characters): it names the function's Deployment and Service")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Replicas", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.replicas")
@AdditionalPrinterColumn(name = "Min", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".spec.scaling.minInstances", priority = 1)
@AdditionalPrinterColumn(name = "Max", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".spec.scaling.maxInstances", priority = 1)
@AdditionalPrinterColumn(name = "Cold Starts", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.coldStarts",
        priority = 1)
@AdditionalPrinterColumn(name = "Image", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.image",
        priority = 1)
@AdditionalPrinterColumn(name = "URL", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.url")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class Function extends CustomResource<FunctionSpec, FunctionStatus> implements Namespaced {
    public static final String GROUP = "lambkin.dev";
    public static final String VERSION = "v1alpha1";
}
