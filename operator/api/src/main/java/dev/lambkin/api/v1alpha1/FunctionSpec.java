package dev.lambkin.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** What a Function runs and how it is invoked and scaled. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunctionSpec {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int MAX_TIMEOUT_SECONDS = 900;

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Container image that serves the runtime contract: HTTP POST / with the event as body on `port`. Images built locally are used with imagePullPolicy IfNotPresent.")
    public String image;

    @Size(max = 64)
    @JsonPropertyDescription("Entrypoint array, replacing the image's ENTRYPOINT. Not run in a shell.")
    public List<String> command;

    @Size(max = 256)
    @JsonPropertyDescription("Arguments to the entrypoint, replacing the image's CMD.")
    public List<String> args;

    @Size(max = 256)
    @ValidationRule(value = "self.all(e, !e.name.startsWith('LAMBKIN_'))",
            message = "env names starting with LAMBKIN_ are reserved for the runtime contract")
    @JsonPropertyDescription("Environment variables of the function's container; `valueFrom` may reference a Secret or ConfigMap key in the namespace. Names starting with LAMBKIN_ are reserved.")
    public List<EnvVar> env;

    @Default("8080")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port the container serves the runtime contract on. Default 8080.")
    public Integer port;

    @JsonPropertyDescription("Compute resources of one instance. The memory limit (else request) is the function's memory size, as Lambda's MemorySize: it is reported in every REPORT record.")
    public ResourceRequirements resources;

    @Size(max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @JsonPropertyDescription("ServiceAccount the pods run as. Without it the pods get no service-account token.")
    public String serviceAccountName;

    @Default("3")
    @Min(1)
    @Max(MAX_TIMEOUT_SECONDS)
    @JsonPropertyDescription("Longest an invocation may run, in seconds (1-900, default 3, as Lambda). The gateway cancels the call at the deadline and answers 504.")
    public Integer timeoutSeconds;

    @JsonPropertyDescription("Readiness probe of the function's container. Default: a TCP check of `port`.")
    public Probe readinessProbe;

    @Default("{}")
    @JsonPropertyDescription("How many invocations one instance takes at once, and the function's share of the installation's concurrency pool.")
    public ConcurrencySpec concurrency;

    @Default("{}")
    @JsonPropertyDescription("Instance bounds and scale to zero.")
    public ScalingSpec scaling;

    @Default("{}")
    @JsonPropertyDescription("Asynchronous invocation: retries, event age and the dead-letter queue.")
    public AsyncSpec async;
}
