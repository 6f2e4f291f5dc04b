package dev.lambkin.gateway.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import io.fabric8.kubernetes.api.model.Condition;
import io.vertx.core.json.JsonObject;

/**
 * A Function as Lambda's control plane describes one (FunctionConfiguration, GetFunction's answer), read from the
 * resource: name, ARN, image, memory, timeout, and State from its Ready condition. Never an environment value
 * (one may come from a Secret). Plain Java.
 */
public final class FunctionConfigurations {
    /** Lambda's timestamp form: 2026-12-01T10:00:00.000+0000. */
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    /** Ready reasons of a Function on its way up, not failed. */
    private static final java.util.Set<String> PENDING = java.util.Set.of("Reconciling", "InstancesStarting");

    private FunctionConfigurations() {
    }

    public static JsonObject configuration(Function fn, String region) {
        String ns = fn.getMetadata().getNamespace(), name = fn.getMetadata().getName();
        JsonObject c = new JsonObject().put("FunctionName", name).put("FunctionArn", FunctionNames.arn(region, ns, name))
                .put("PackageType", "Image").put("Version", FunctionNames.LATEST)
                .put("Timeout", FunctionDefaults.timeoutSeconds(fn.getSpec()))
                .put("LastModified", LAST_MODIFIED.format(lastModified(fn)))
                .put("Description", "Lambkin Function " + ns + "/" + name);
        FunctionDefaults.memorySizeMiB(fn.getSpec()).ifPresent(mib -> c.put("MemorySize", mib));
        Condition ready = fn.getStatus() == null || fn.getStatus().conditions == null ? null
                : fn.getStatus().conditions.stream().filter(x -> "Ready".equals(x.getType())).findFirst().orElse(null);
        if (ready != null && "True".equals(ready.getStatus())) {
            c.put("State", "Active").put("LastUpdateStatus", "Successful");
        } else if (ready != null && "False".equals(ready.getStatus()) && !PENDING.contains(ready.getReason())) {
            c.put("State", "Failed").put("StateReason", ready.getMessage()).put("StateReasonCode", ready.getReason())
                    .put("LastUpdateStatus", "Failed");
        } else {
            c.put("State", "Pending").put("StateReason", ready == null ? "The function is being created." : ready.getMessage())
                    .put("StateReasonCode", "Creating").put("LastUpdateStatus", "InProgress");
        }
        return c;
    }

    /** GetFunction: the configuration, the image, and the reserved concurrency when set. */
    public static JsonObject function(Function fn, String region) {
        JsonObject f = new JsonObject().put("Configuration", configuration(fn, region))
                .put("Code", new JsonObject().put("RepositoryType", "ECR").put("ImageUri", fn.getSpec().image));
        Integer reserved = FunctionDefaults.reserved(fn.getSpec());
        if (reserved != null) {
            f.put("Concurrency", new JsonObject().put("ReservedConcurrentExecutions", reserved));
        }
        return f;
    }

    private static Instant lastModified(Function fn) {
        String created = fn.getMetadata().getCreationTimestamp();
        return created == null ? Instant.EPOCH : Instant.parse(created);
    }
}
