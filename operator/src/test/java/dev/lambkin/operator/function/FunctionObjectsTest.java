package dev.lambkin.operator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/** The exact objects a Function produces. */
class FunctionObjectsTest {
    static final dev.lambkin.api.v1alpha1.Function FULL = Fixtures.function("""
            image: registry.example/hello:1
            command: [/hello]
            args: [--fast]
            port: 9000
            timeoutSeconds: 30
            env:
              - {name: GREETING, value: hi}
              - name: TOKEN
                valueFrom: {secretKeyRef: {name: creds, key: token}}
            resources:
              limits: {memory: 256Mi, cpu: 500m}
            scaling: {minInstances: 2, maxInstances: 5}
            """);

    static final LambdaRuntimePod.Helper HELPER = new LambdaRuntimePod.Helper("lambkin.local/lambkin-runtime-api:dev", "eu-west-1");

    @Test
    void deploymentNeverCarriesReplicas() {
        Deployment d = DeploymentDependent.desiredDeployment(FULL, HELPER);
        assertNull(d.getSpec().getReplicas(), "the gateway owns replicas; the operator's applies must not mention them");
        assertEquals("hello", d.getMetadata().getName());
        assertEquals("team-a", d.getMetadata().getNamespace());
        assertEquals(Map.of("lambkin.dev/function", "hello"), d.getSpec().getSelector().getMatchLabels());
        assertEquals("hello", d.getSpec().getTemplate().getMetadata().getLabels().get("lambkin.dev/function"));
        assertEquals("lambkin-operator", d.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    }

    @Test
    void containerRunsTheFunctionAsSpecified() {
        Container c = DeploymentDependent.desiredDeployment(FULL, HELPER).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals("registry.example/hello:1", c.getImage());
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        assertEquals(List.of("/hello"), c.getCommand());
        assertEquals(List.of("--fast"), c.getArgs());
        assertEquals(9000, c.getPorts().getFirst().getContainerPort());
        assertEquals(new Quantity("256Mi"), c.getResources().getLimits().get("memory"));
        assertEquals(9000, c.getReadinessProbe().getTcpSocket().getPort().getIntVal(), "TCP readiness on the port by default");
        assertEquals(1, c.getReadinessProbe().getPeriodSeconds());
    }

    @Test
    void runtimeSettingsComeFirstThenTheUsersEnv() {
        List<EnvVar> env = DeploymentDependent.desiredDeployment(FULL, HELPER).getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getEnv();
        assertEquals(List.of("LAMBKIN_FUNCTION_NAME", "LAMBKIN_FUNCTION_NAMESPACE", "LAMBKIN_PORT", "LAMBKIN_TIMEOUT_SECONDS",
                "LAMBKIN_MEMORY_SIZE_MB", "GREETING", "TOKEN"), env.stream().map(EnvVar::getName).toList());
        assertEquals("256", env.get(4).getValue());
        assertEquals("30", env.get(3).getValue());
        assertEquals("creds", env.get(6).getValueFrom().getSecretKeyRef().getName());
    }

    @Test
    void podMeetsTheRestrictedPodSecurityStandard() {
        PodSpec pod = DeploymentDependent.desiredDeployment(FULL, HELPER).getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertFalse(pod.getAutomountServiceAccountToken(), "no API token without a service account");
        assertNull(pod.getServiceAccountName());
        Container c = pod.getContainers().getFirst();
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/tmp", c.getVolumeMounts().getFirst().getMountPath());
        assertEquals(new Quantity("512Mi"), pod.getVolumes().getFirst().getEmptyDir().getSizeLimit());
        assertEquals(32L, pod.getTerminationGracePeriodSeconds(), "in-flight invocations may finish (timeout + 2s)");
    }

    @Test
    void serviceAccountBringsItsToken() {
        PodSpec pod = DeploymentDependent.desiredDeployment(Fixtures.function("""
                image: x
                serviceAccountName: reader
                """), HELPER).getSpec().getTemplate().getSpec();
        assertEquals("reader", pod.getServiceAccountName());
        assertTrue(pod.getAutomountServiceAccountToken());
    }

    @Test
    void customReadinessProbeAndDefaults() {
        var fn = Fixtures.function("""
                image: x
                readinessProbe: {httpGet: {path: /healthz, port: 8080}}
                """);
        Container c = DeploymentDependent.desiredDeployment(fn, HELPER).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals("/healthz", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(8080, c.getPorts().getFirst().getContainerPort());
        assertEquals("3", c.getEnv().get(3).getValue(), "default timeout");
        assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().equals("LAMBKIN_MEMORY_SIZE_MB")), "no memory size without one");
    }

    @Test
    void onlyTheGatewayMayReachThePods() {
        NetworkPolicy np = NetworkPolicyDependent.desiredNetworkPolicy(FULL, "lambkin-system",
                Map.of("app.kubernetes.io/name", "lambkin-gateway"));
        assertEquals(Map.of("lambkin.dev/function", "hello"), np.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), np.getSpec().getPolicyTypes());
        var from = np.getSpec().getIngress().getFirst().getFrom().getFirst();
        assertEquals(Map.of("kubernetes.io/metadata.name", "lambkin-system"), from.getNamespaceSelector().getMatchLabels());
        assertEquals(Map.of("app.kubernetes.io/name", "lambkin-gateway"), from.getPodSelector().getMatchLabels());
        assertEquals(9000, np.getSpec().getIngress().getFirst().getPorts().getFirst().getPort().getIntVal());
        assertTrue(np.getSpec().getEgress().isEmpty(), "without network.egress the pods may connect anywhere");
    }

    @Test
    void everyOwnedObjectCarriesTheLabelItsInformerSelects() {
        var objects = List.of(DeploymentDependent.desiredDeployment(FULL, HELPER),
                NetworkPolicyDependent.desiredNetworkPolicy(FULL, "lambkin-system", Map.of("app.kubernetes.io/name", "lambkin-gateway")));
        for (var o : objects) {
            assertEquals("lambkin-operator", o.getMetadata().getLabels().get("app.kubernetes.io/managed-by"), o.getKind());
        }
        for (Class<?> dependent : List.of(DeploymentDependent.class, NetworkPolicyDependent.class)) {
            var informer = dependent.getAnnotation(io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent.class).informer();
            // an object its own informer could not see would be created again and again
            assertEquals("app.kubernetes.io/managed-by=lambkin-operator", informer.labelSelector(), dependent.getSimpleName());
        }
    }

    @Test
    void declaredEgressIsAllTheFunctionMayReachBesidesDns() {
        NetworkPolicy np = NetworkPolicyDependent.desiredNetworkPolicy(Fixtures.function("""
                image: registry.example/hello:1
                network:
                  egress:
                    - to: [{ipBlock: {cidr: 10.1.0.0/16}}]
                      ports: [{port: 5432}]
                    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: payments}}}]
                """), "lambkin-system", Map.of("app.kubernetes.io/name", "lambkin-gateway"));
        assertEquals(List.of("Ingress", "Egress"), np.getSpec().getPolicyTypes());
        var egress = np.getSpec().getEgress();
        assertEquals(4, egress.size());
        assertEquals(List.of("UDP/53", "TCP/53"), egress.getFirst().getPorts().stream()
                .map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).toList());
        assertTrue(egress.getFirst().getTo().isEmpty(), "DNS to whichever resolver the cluster gives pods");
        assertEquals(Map.of("k8s-app", "kube-dns"), egress.get(1).getTo().getFirst().getPodSelector().getMatchLabels());
        assertTrue(egress.get(1).getPorts().isEmpty(), "the DNS pods on the port they listen on, whatever the Service says");
        assertEquals("10.1.0.0/16", egress.get(2).getTo().getFirst().getIpBlock().getCidr());
        assertEquals(5432, egress.get(2).getPorts().getFirst().getPort().getIntVal());
        assertEquals(Map.of("kubernetes.io/metadata.name", "payments"),
                egress.get(3).getTo().getFirst().getNamespaceSelector().getMatchLabels());

        NetworkPolicy dnsOnly = NetworkPolicyDependent.desiredNetworkPolicy(Fixtures.function("""
                image: registry.example/hello:1
                network: {egress: []}
                """), "lambkin-system", Map.of("app.kubernetes.io/name", "lambkin-gateway"));
        assertEquals(List.of("Ingress", "Egress"), dnsOnly.getSpec().getPolicyTypes());
        assertEquals(NetworkPolicyDependent.DNS, dnsOnly.getSpec().getEgress());
    }

    @Test
    void aLambdaImageStartsUnderTheRuntimeApiHelperWithLambdasVariables() {
        PodSpec pod = DeploymentDependent.desiredDeployment(Fixtures.function("""
                image: registry.example/lambda-java:1
                runtimeApi: lambda
                handler: example.Hello::handleRequest
                resources: {limits: {memory: 512Mi}}
                env: [{name: GREETING, value: hi}]
                """), HELPER).getSpec().getTemplate().getSpec();
        Container init = pod.getInitContainers().getFirst();
        assertEquals("lambkin.local/lambkin-runtime-api:dev", init.getImage());
        assertEquals(List.of("/lambkin-runtime-api", "install", "/lambkin"), init.getCommand());
        assertTrue(init.getSecurityContext().getReadOnlyRootFilesystem());
        Container c = pod.getContainers().getFirst();
        assertEquals(List.of("/lambkin/lambkin-runtime-api", "run", "--", "/lambda-entrypoint.sh"), c.getCommand(),
                "the entrypoint of AWS's base images, started by the helper");
        assertEquals(List.of("example.Hello::handleRequest"), c.getArgs(), "the handler is its argument, as the image's CMD");
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/lambkin") && m.getReadOnly()));
        Map<String, String> env = new java.util.LinkedHashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertEquals("127.0.0.1:9001", env.get("AWS_LAMBDA_RUNTIME_API"));
        assertEquals("hello", env.get("AWS_LAMBDA_FUNCTION_NAME"));
        assertEquals("$LATEST", env.get("AWS_LAMBDA_FUNCTION_VERSION"));
        assertEquals("512", env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        assertEquals("eu-west-1", env.get("AWS_REGION"));
        assertEquals("eu-west-1", env.get("AWS_DEFAULT_REGION"));
        assertEquals("/aws/lambda/hello", env.get("AWS_LAMBDA_LOG_GROUP_NAME"));
        assertEquals("metadata.name", c.getEnv().stream().filter(e -> e.getName().equals("AWS_LAMBDA_LOG_STREAM_NAME")).findFirst()
                .orElseThrow().getValueFrom().getFieldRef().getFieldPath());
        assertEquals("example.Hello::handleRequest", env.get("_HANDLER"));
        assertEquals("/var/task", env.get("LAMBDA_TASK_ROOT"));
        assertEquals("arn:aws:lambda:eu-west-1:team-a:function:hello", env.get("LAMBKIN_FUNCTION_ARN"));
        assertEquals("8080", env.get("LAMBKIN_PORT"), "the helper serves the gateway on the function's port");
        assertEquals("hi", env.get("GREETING"));
        assertEquals(2, pod.getVolumes().size());
    }

    @Test
    void aLambdaImagesOwnEntrypointAndArgsAreKept() {
        Container c = DeploymentDependent.desiredDeployment(Fixtures.function("""
                image: x
                runtimeApi: lambda
                command: [python3, -m, awslambdaric]
                args: [app.handler]
                """), HELPER).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals(List.of("/lambkin/lambkin-runtime-api", "run", "--", "python3", "-m", "awslambdaric"), c.getCommand());
        assertEquals(List.of("app.handler"), c.getArgs());
        assertEquals("app.handler", c.getEnv().stream().filter(e -> e.getName().equals("_HANDLER")).findFirst().orElseThrow().getValue());
        assertEquals("128", c.getEnv().stream().filter(e -> e.getName().equals("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")).findFirst()
                .orElseThrow().getValue(), "Lambda's default memory size when the Function sets none");
    }

    @Test
    void aNativeFunctionGetsNoHelper() {
        PodSpec pod = DeploymentDependent.desiredDeployment(FULL, HELPER).getSpec().getTemplate().getSpec();
        assertTrue(pod.getInitContainers() == null || pod.getInitContainers().isEmpty());
        assertEquals(List.of("/hello"), pod.getContainers().getFirst().getCommand());
    }

    @Test
    void everyVariableLambdaSetsIsOneTheCrdRefusesInEnvSoNoneIsEverTwice() {
        List<String> names = DeploymentDependent.desiredDeployment(Fixtures.function("""
                image: x
                runtimeApi: lambda
                handler: app.handler
                env: [{name: GREETING, value: hi}]
                """), HELPER).getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .map(EnvVar::getName).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "no name twice (server-side apply refuses it): " + names);
        java.util.Set<String> refused = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([A-Z_]+)'").matcher(dev.lambkin.api.v1alpha1.FunctionSpec.LAMBDA_RESERVED_ENV);
        while (m.find()) {
            refused.add(m.group(1));
        }
        List<String> settable = names.stream().filter(n -> !n.startsWith("LAMBKIN_") && !n.equals("GREETING")).toList();
        assertTrue(refused.containsAll(settable), "a user could set one of these too: " + settable.stream()
                .filter(n -> !refused.contains(n)).toList());
    }
}
