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
 * Where asynchronous events land after their retries are spent: a JetStream stream owned by the operator,
 * listed, redriven and purged through the gateway.
 */
@Group(Function.GROUP)
@Version(Function.VERSION)
@Kind("DeadLetterQueue")
@Plural("deadletterqueues")
@Singular("deadletterqueue")
@ShortNames({"dlq", "dlqs"})
@ValidationRule(value = Names.NAME_IS_DNS_LABEL,
        message = "metadata.name must be a DNS label (lower case letters, digits and '-', at most 63 characters): Functions reference the queue by it")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Messages", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.messages")
@AdditionalPrinterColumn(name = "Oldest", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.oldestMessageAge")
@AdditionalPrinterColumn(name = "Max Age", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.retention.maxAge",
        priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class DeadLetterQueue extends CustomResource<DeadLetterQueueSpec, DeadLetterQueueStatus> implements Namespaced {
}
