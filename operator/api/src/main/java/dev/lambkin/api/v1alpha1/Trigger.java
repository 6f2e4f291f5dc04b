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

/** An event source bound to one Function: a schedule, an HTTP route or a NATS subject. */
@Group(Function.GROUP)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@Version(Function.VERSION)
@Kind("Trigger")
@Plural("triggers")
@Singular("trigger")
@ShortNames({"trg", "trgs"})
@AdditionalPrinterColumn(name = "Function", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.function")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Schedule", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.schedule.cron")
@AdditionalPrinterColumn(name = "Path", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.http.path")
@AdditionalPrinterColumn(name = "Subject", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.nats.subject")
@AdditionalPrinterColumn(name = "Last Fired", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".status.lastFired")
@AdditionalPrinterColumn(name = "Next Fire", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.nextFire", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class Trigger extends CustomResource<TriggerSpec, TriggerStatus> implements Namespaced {
}
