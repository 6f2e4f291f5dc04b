package dev.lambkin.operator.function;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import dev.lambkin.api.v1alpha1.Names;
import dev.lambkin.operator.names.FunctionNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

/**
 * What a Function with {@code runtimeApi: lambda} adds to its pod, so an unchanged Lambda image runs: an init
 * container copies the Lambkin helper (a static Go binary, runtimes/lambda-runtime-api) into an emptyDir, and the
 * function's container starts the helper, which starts the image's entrypoint as its child, serves it Lambda's
 * Runtime API on 127.0.0.1:9001 and serves the gateway on the function's port.
 *
 * <p>Why a wrapper and not a sidecar: the helper must see the runtime's process end (an event it held becomes
 * Runtime.ExitError at once, a runtime that dies before its first event is a start failure with the container's
 * termination message, as any crashing image) and must end the runtime after a timed-out event; only its parent
 * can do that without sharing the pod's process namespace. It also costs one process, not a container with its
 * own memory floor. The price: Kubernetes does not tell the operator an image's ENTRYPOINT, so the entrypoint is
 * {@code command} (default {@value FunctionSpec#LAMBDA_ENTRYPOINT}, the entrypoint of AWS's base images).
 */
public final class LambdaRuntimePod {
    /** Lambda's Runtime API address inside the pod; the helper serves it there (AWS_LAMBDA_RUNTIME_API). */
    static final String RUNTIME_API = "127.0.0.1:9001";
    static final String HELPER_DIR = "/lambkin";
    static final String HELPER = HELPER_DIR + "/lambkin-runtime-api";
    /** Lambda's default memory size, for AWS_LAMBDA_FUNCTION_MEMORY_SIZE when the Function sets no memory limit or request. */
    static final long DEFAULT_MEMORY_MB = 128;
    /** The helper's binary is ~6 MB; the emptyDir is bounded like everything else in the pod. */
    static final String HELPER_VOLUME_SIZE = "32Mi";

    /** The Runtime API helper's image and the region Lambda images see. */
    public record Helper(String image, String region) {
    }

    private LambdaRuntimePod() {
    }

    static Container installer(Helper helper) {
        return new ContainerBuilder()
                .withName(FunctionNames.RUNTIME_API_HELPER)
                .withImage(helper.image())
                .withImagePullPolicy("IfNotPresent")
                .withCommand("/lambkin-runtime-api", "install", HELPER_DIR)
                .withNewResources().addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("16Mi"))
                .addToLimits("memory", new Quantity("32Mi")).endResources()
                .withSecurityContext(FunctionPodTemplate.restrictedContainer())
                .addNewVolumeMount().withName(FunctionNames.RUNTIME_API_HELPER).withMountPath(HELPER_DIR).endVolumeMount()
                .build();
    }

    static Volume volume() {
        return new VolumeBuilder().withName(FunctionNames.RUNTIME_API_HELPER)
                .withNewEmptyDir().withSizeLimit(new Quantity(HELPER_VOLUME_SIZE)).endEmptyDir().build();
    }

    /** The function's container, changed to start the helper with the image's entrypoint after it. */
    static Container wrap(Container function, Function fn) {
        FunctionSpec spec = fn.getSpec();
        List<String> entrypoint = spec.command != null && !spec.command.isEmpty() ? spec.command
                : List.of(FunctionSpec.LAMBDA_ENTRYPOINT);
        List<String> command = Stream.concat(Stream.of(HELPER, "run", "--"), entrypoint.stream()).toList();
        List<String> args = spec.args != null && !spec.args.isEmpty() ? spec.args : List.of(spec.handler);
        return new ContainerBuilder(function)
                .withCommand(command)
                .withArgs(args)
                .addNewVolumeMount().withName(FunctionNames.RUNTIME_API_HELPER).withMountPath(HELPER_DIR).withReadOnly(true)
                .endVolumeMount()
                .build();
    }

    /** The contract's variables, Lambda's, then the Function's own (the CRD refuses Lambda's names there). */
    static List<EnvVar> env(Function fn, Helper helper, List<EnvVar> contract, List<EnvVar> own) {
        FunctionSpec spec = fn.getSpec();
        String name = fn.getMetadata().getName();
        List<EnvVar> env = new ArrayList<>(contract);
        env.add(new EnvVar("LAMBKIN_FUNCTION_ARN", Names.functionArn(helper.region(), fn.getMetadata().getNamespace(), name), null));
        env.add(new EnvVar("AWS_LAMBDA_RUNTIME_API", RUNTIME_API, null));
        env.add(new EnvVar("AWS_LAMBDA_FUNCTION_NAME", name, null));
        env.add(new EnvVar("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST", null));
        env.add(new EnvVar("AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                Long.toString(FunctionDefaults.memorySizeMiB(spec).orElse(DEFAULT_MEMORY_MB)), null));
        env.add(new EnvVar("AWS_REGION", helper.region(), null));
        env.add(new EnvVar("AWS_DEFAULT_REGION", helper.region(), null));
        env.add(new EnvVar("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand", null));
        env.add(new EnvVar("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name, null));
        // the instance's pod is its log stream: kubectl logs <pod> shows what CloudWatch would
        env.add(new EnvVarBuilder().withName("AWS_LAMBDA_LOG_STREAM_NAME").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(new EnvVar("LAMBDA_TASK_ROOT", "/var/task", null));
        env.add(new EnvVar("LAMBDA_RUNTIME_DIR", "/var/runtime", null));
        String handler = spec.handler != null ? spec.handler : spec.args != null && !spec.args.isEmpty() ? spec.args.getFirst() : null;
        if (handler != null) {
            env.add(new EnvVar("_HANDLER", handler, null));
        }
        env.add(new EnvVar("TZ", ":UTC", null));
        if (own != null) {
            env.addAll(own);
        }
        return env;
    }
}
