package dev.lambkin.operator.function;

import java.util.ArrayList;
import java.util.List;

import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import dev.lambkin.api.v1alpha1.RuntimeApi;
import dev.lambkin.operator.names.FunctionNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The pod every instance of a Function runs: the function's container speaking the runtime contract (or, with
 * {@code runtimeApi: lambda}, an unchanged Lambda image under the Runtime API helper: {@link LambdaRuntimePod}), under
 * the Pod Security Standard {@code restricted}.
 */
public final class FunctionPodTemplate {
    /** Non-root user the function runs as unless its image is built for another (distroless' "nonroot"). */
    static final long RUN_AS_USER = 65532L;
    /** Lambda's /tmp is 512 MB of ephemeral storage; so is ours, and the root filesystem stays read-only. */
    static final String TMP_SIZE = "512Mi";
    /** Readiness is checked every second: after a pod's first start the gateway's routing follows the kubelet's readiness. */
    static final int PROBE_PERIOD_SECONDS = 1;

    private FunctionPodTemplate() {
    }

    public static PodTemplateSpec of(Function fn, LambdaRuntimePod.Helper helper) {
        FunctionSpec spec = fn.getSpec();
        boolean hasServiceAccount = spec.serviceAccountName != null && !spec.serviceAccountName.isBlank();
        boolean lambda = FunctionDefaults.runtimeApi(spec) == RuntimeApi.LAMBDA;
        PodTemplateSpec pod = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(FunctionNames.labels(fn)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(hasServiceAccount ? spec.serviceAccountName : null)
                // no API credentials in the function unless it asked for an identity
                .withAutomountServiceAccountToken(hasServiceAccount)
                .withEnableServiceLinks(false)
                // in-flight invocations may run to their timeout before the pod goes
                .withTerminationGracePeriodSeconds((long) FunctionDefaults.timeoutSeconds(spec) + 2)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(lambda ? LambdaRuntimePod.wrap(container(fn, helper), fn) : container(fn, helper))
                .addNewVolume().withName(FunctionNames.TMP_VOLUME)
                .withNewEmptyDir().withSizeLimit(new Quantity(TMP_SIZE)).endEmptyDir().endVolume()
                .endSpec()
                .build();
        if (lambda) {
            pod.getSpec().setInitContainers(List.of(LambdaRuntimePod.installer(helper)));
            pod.getSpec().getVolumes().add(LambdaRuntimePod.volume());
        }
        return pod;
    }

    private static Container container(Function fn, LambdaRuntimePod.Helper helper) {
        FunctionSpec spec = fn.getSpec();
        int port = FunctionDefaults.port(spec);
        return new ContainerBuilder()
                .withName(FunctionNames.CONTAINER)
                .withImage(spec.image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand(spec.command)
                .withArgs(spec.args)
                .withEnv(FunctionDefaults.runtimeApi(spec) == RuntimeApi.LAMBDA
                        ? LambdaRuntimePod.env(fn, helper, contractEnv(fn), spec.env) : env(fn))
                .addNewPort().withName(FunctionNames.PORT_NAME).withContainerPort(port).withProtocol("TCP").endPort()
                .withResources(spec.resources)
                .withReadinessProbe(readinessProbe(spec, port))
                .withSecurityContext(restrictedContainer())
                .addNewVolumeMount().withName(FunctionNames.TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
                .build();
    }

    /** A container under the Pod Security Standard restricted, with a read-only root filesystem. */
    static SecurityContext restrictedContainer() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    /** The runtime contract's settings first, then the user's variables (LAMBKIN_* names are refused by the CRD). */
    static List<EnvVar> env(Function fn) {
        List<EnvVar> env = contractEnv(fn);
        if (fn.getSpec().env != null) {
            env.addAll(fn.getSpec().env);
        }
        return env;
    }

    static List<EnvVar> contractEnv(Function fn) {
        FunctionSpec spec = fn.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("LAMBKIN_FUNCTION_NAME", fn.getMetadata().getName(), null));
        env.add(new EnvVar("LAMBKIN_FUNCTION_NAMESPACE", fn.getMetadata().getNamespace(), null));
        env.add(new EnvVar("LAMBKIN_PORT", Integer.toString(FunctionDefaults.port(spec)), null));
        env.add(new EnvVar("LAMBKIN_TIMEOUT_SECONDS", Integer.toString(FunctionDefaults.timeoutSeconds(spec)), null));
        FunctionDefaults.memorySizeMiB(spec)
                .ifPresent(mb -> env.add(new EnvVar("LAMBKIN_MEMORY_SIZE_MB", Long.toString(mb), null)));
        return env;
    }

    private static Probe readinessProbe(FunctionSpec spec, int port) {
        if (spec.readinessProbe != null) {
            return spec.readinessProbe;
        }
        return new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
                .withPeriodSeconds(PROBE_PERIOD_SECONDS).withFailureThreshold(3).withSuccessThreshold(1)
                .withTimeoutSeconds(1).build();
    }
}
