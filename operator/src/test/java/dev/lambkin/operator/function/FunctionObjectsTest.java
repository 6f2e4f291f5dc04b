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
import io.fabric8.kubernetes.api.model.Service;
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

    @Test
    void deploymentNeverCarriesReplicas() {
        Deployment d = DeploymentDependent.desiredDeployment(FULL);
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
        Container c = DeploymentDependent.desiredDeployment(FULL).getSpec().getTemplate().getSpec().getContainers().getFirst();
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
        List<EnvVar> env = DeploymentDependent.desiredDeployment(FULL).getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getEnv();
        assertEquals(List.of("LAMBKIN_FUNCTION_NAME", "LAMBKIN_FUNCTION_NAMESPACE", "LAMBKIN_PORT", "LAMBKIN_TIMEOUT_SECONDS",
                "LAMBKIN_MEMORY_SIZE_MB", "GREETING", "TOKEN"), env.stream().map(EnvVar::getName).toList());
        assertEquals("256", env.get(4).getValue());
        assertEquals("30", env.get(3).getValue());
        assertEquals("creds", env.get(6).getValueFrom().getSecretKeyRef().getName());
    }

    @Test
    void podMeetsTheRestrictedPodSecurityStandard() {
        PodSpec pod = DeploymentDependent.desiredDeployment(FULL).getSpec().getTemplate().getSpec();
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
                """)).getSpec().getTemplate().getSpec();
        assertEquals("reader", pod.getServiceAccountName());
        assertTrue(pod.getAutomountServiceAccountToken());
    }

    @Test
    void customReadinessProbeAndDefaults() {
        var fn = Fixtures.function("""
                image: x
                readinessProbe: {httpGet: {path: /healthz, port: 8080}}
                """);
        Container c = DeploymentDependent.desiredDeployment(fn).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals("/healthz", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(8080, c.getPorts().getFirst().getContainerPort());
        assertEquals("3", c.getEnv().get(3).getValue(), "default timeout");
        assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().equals("LAMBKIN_MEMORY_SIZE_MB")), "no memory size without one");
    }

    @Test
    void serviceTargetsTheNamedPort() {
        Service s = ServiceDependent.desiredService(FULL);
        assertEquals("hello", s.getMetadata().getName());
        assertEquals("ClusterIP", s.getSpec().getType());
        assertEquals(Map.of("lambkin.dev/function", "hello"), s.getSpec().getSelector());
        assertEquals(9000, s.getSpec().getPorts().getFirst().getPort());
        assertEquals("http", s.getSpec().getPorts().getFirst().getTargetPort().getStrVal());
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
    }
}
