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
@ValidationRule(value = "!has(self.runtimeApi) || self.runtimeApi != 'lambda' || !has(self.concurrency) || !has(self.concurrency.perInstance) || self.concurrency.perInstance == 1",
        message = "runtimeApi lambda takes one invocation per instance (concurrency.perInstance 1), as a Lambda execution environment",
        fieldPath = ".concurrency.perInstance")
@ValidationRule(value = "!has(self.runtimeApi) || self.runtimeApi != 'lambda' || has(self.handler) || (has(self.args) && size(self.args) > 0)",
        message = "runtimeApi lambda needs handler (or args): Kubernetes drops the image's CMD when Lambkin starts its entrypoint",
        fieldPath = ".handler")
@ValidationRule(value = "!has(self.runtimeApi) || self.runtimeApi != 'lambda' || !has(self.port) || self.port != 9001",
        message = "runtimeApi lambda serves Lambda's Runtime API on 127.0.0.1:9001 in the pod: port cannot be 9001", fieldPath = ".port")
@ValidationRule(value = "!has(self.runtimeApi) || self.runtimeApi != 'lambda' || !has(self.env) || self.env.all(e, !(e.name in "
        + FunctionSpec.LAMBDA_RESERVED_ENV + "))", message = "runtimeApi lambda sets Lambda's reserved variables itself (AWS_REGION, "
        + "AWS_DEFAULT_REGION, the AWS_LAMBDA_ names Lambda sets, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR, _HANDLER, TZ); env cannot set them",
        fieldPath = ".env")
@ValidationRule(value = "(has(self.runtimeApi) && self.runtimeApi == 'lambda') || !has(self.handler)", message = "handler is for runtimeApi lambda",
        fieldPath = ".handler")
public class FunctionSpec {
    /** The entrypoint of AWS's Lambda base images, started when a runtimeApi lambda Function names no command. */
    public static final String LAMBDA_ENTRYPOINT = "/lambda-entrypoint.sh";
    /** The variables Lambda sets in its runtimes (reserved there too), as a CEL list. */
    public static final String LAMBDA_RESERVED_ENV = "['AWS_LAMBDA_RUNTIME_API', 'AWS_LAMBDA_FUNCTION_NAME', "
            + "'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_REGION', 'AWS_DEFAULT_REGION', "
            + "'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_LAMBDA_INITIALIZATION_TYPE', "
            + "'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', '_HANDLER', 'TZ']";

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int MAX_TIMEOUT_SECONDS = 900;

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Container image that serves the runtime contract (HTTP POST / with the event as body on `port`), or with runtimeApi lambda an unchanged AWS Lambda image. Images built locally are used with imagePullPolicy IfNotPresent.")
    public String image;

    @Size(max = 64)
    @JsonPropertyDescription("Entrypoint array, replacing the image's ENTRYPOINT. Not run in a shell.")
    public List<String> command;

    @Size(max = 256)
    @JsonPropertyDescription("Arguments to the entrypoint, replacing the image's CMD.")
    public List<String> args;

    @Default("lambkin")
    @JsonPropertyDescription("How the image talks to Lambkin. `lambkin` (default): it serves the runtime contract (HTTP POST / on `port`), as Lambkin's SDKs do. `lambda`: an unchanged AWS Lambda container image (any runtime interface client, or a custom runtime's bootstrap); a Lambkin helper in the pod serves AWS Lambda's Runtime API to it on 127.0.0.1:9001 and starts its entrypoint: `command` (default /lambda-entrypoint.sh, the entrypoint of AWS's base images) with `args` (default [`handler`]).")
    public RuntimeApi runtimeApi;

    @Size(min = 1, max = 128)
    @JsonPropertyDescription("The handler of a runtimeApi lambda Function (Lambda's _HANDLER, e.g. example.Handler::handleRequest or app.handler); passed to its entrypoint as the argument when `args` is not set.")
    public String handler;

    @Size(max = 256)
    @ValidationRule(value = "self.all(e, !e.name.startsWith('LAMBKIN_'))",
            message = "env names starting with LAMBKIN_ are reserved for the runtime contract")
    @JsonPropertyDescription("Environment variables of the function's container; `valueFrom` may reference a Secret or ConfigMap key in the namespace. Names starting with LAMBKIN_ are reserved.")
    public List<EnvVar> env;

    @Default("8080")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port the container serves the runtime contract on (with runtimeApi lambda, Lambkin's helper serves it there). Default 8080.")
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

    @JsonPropertyDescription("Network access of the function's pods: which destinations they may connect to (default: any).")
    public NetworkSpec network;
}
