package dev.lambkin.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.operator.function.DeploymentDependent;
import dev.lambkin.operator.function.FunctionReconciler;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The operator running in this JVM against the real cluster. The namespace enforces the restricted Pod
 * Security Standard, so every function pod that runs here proves the pods meet it.
 */
@QuarkusTest
@QuarkusTestResource(CrdsInstalled.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class FunctionReconcilerIT {
    static final String IMAGE = "lambkin.local/netcheck:dev";
    static final Duration READY = Duration.ofSeconds(90);

    static Function function(TestCluster cluster, String name, String spec) {
        return cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: %s}
                spec:
                %s
                """.formatted(name, spec.indent(2)), Function.class)).create();
    }

    static Function get(TestCluster cluster, String name) {
        return cluster.client().resources(Function.class).inNamespace(cluster.namespace()).withName(name).get();
    }

    static Condition ready(TestCluster cluster, String name) {
        Function fn = get(cluster, name);
        return fn.getStatus() == null ? null : Conditions.find(fn.getStatus().conditions, "Ready").orElse(null);
    }

    static Deployment deployment(TestCluster cluster, String name) {
        return cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName(name).get();
    }

    @Test
    void aFunctionBecomesReadyWithItsObjects(TestCluster cluster) {
        function(cluster, "warm", """
                image: %s
                args: [serve, ":8080"]
                scaling: {minInstances: 1}
                """.formatted(IMAGE));
        TestCluster.await(READY).until(() -> "True".equals(ready(cluster, "warm").getStatus()));
        Function fn = get(cluster, "warm");
        assertEquals(fn.getMetadata().getGeneration(), fn.getStatus().observedGeneration);
        assertEquals(1, fn.getStatus().readyReplicas);
        assertEquals("http://lambkin-gateway.lambkin-system.svc.cluster.local:8080/functions/" + cluster.namespace() + "/warm",
                fn.getStatus().url);
        KubernetesClient k = cluster.client();
        String ns = cluster.namespace();
        Deployment d = deployment(cluster, "warm");
        assertEquals(1, d.getSpec().getReplicas(), "created at minInstances");
        assertEquals(fn.getMetadata().getUid(), d.getMetadata().getOwnerReferences().getFirst().getUid());
        // the gateway routes to pod IPs: a Service would be one more object per Function, and a way around it
        assertTrue(k.services().inNamespace(ns).list().getItems().isEmpty(), "no Service for a Function");
        assertNotNull(k.network().v1().networkPolicies().inNamespace(ns).withName("warm").get());
        var pod = k.pods().inNamespace(ns).withLabel("lambkin.dev/function", "warm").list().getItems().getFirst();
        assertEquals("Running", pod.getStatus().getPhase(), "admitted by the restricted namespace and running");
    }

    @Test
    void updatesRollOutAndReplicasSetByOthersAreNeverReverted(TestCluster cluster) {
        String ns = cluster.namespace();
        function(cluster, "scaled", "image: %s\nargs: [serve]".formatted(IMAGE));
        TestCluster.await(READY).until(() -> deployment(cluster, "scaled") != null && get(cluster, "scaled").getStatus() != null);
        assertEquals(0, deployment(cluster, "scaled").getSpec().getReplicas(), "created at zero");

        // a spec change while at zero must not bring a pod (server-side apply must not reset replicas to 1)
        cluster.patchSpec(Function.class, "scaled", "{\"timeoutSeconds\": 7}");
        TestCluster.await(READY).until(() -> get(cluster, "scaled").getStatus().observedGeneration == 2L
                && "7".equals(env(deployment(cluster, "scaled"), "LAMBKIN_TIMEOUT_SECONDS")));
        assertEquals(0, deployment(cluster, "scaled").getSpec().getReplicas());
        assertEquals(List.of(), cluster.client().pods().inNamespace(ns).withLabel("lambkin.dev/function", "scaled").list().getItems());

        // the gateway scales through the scale subresource, as another field manager
        cluster.client().apps().deployments().inNamespace(ns).withName("scaled").scale(2);
        assertEquals(2, deployment(cluster, "scaled").getSpec().getReplicas());
        // an operator whose cache still shows its own count of 0 is refused, not obeyed, when it applies that count
        Deployment stale = deployment(cluster, "scaled");
        stale.getMetadata().setManagedFields(null);
        stale.getMetadata().setResourceVersion(null);
        stale.setStatus(null);
        stale.getSpec().setReplicas(0);
        var refused = assertThrows(KubernetesClientException.class,
                () -> cluster.client().resource(stale).fieldManager(FunctionReconciler.NAME).serverSideApply());
        assertTrue(DeploymentDependent.replicasConflict(refused), refused.getMessage());
        assertEquals(2, deployment(cluster, "scaled").getSpec().getReplicas());

        cluster.patchSpec(Function.class, "scaled", "{\"env\": [{\"name\": \"COLOR\", \"value\": \"blue\"}]}");
        TestCluster.await(READY).until(() -> "blue".equals(env(deployment(cluster, "scaled"), "COLOR")));
        assertEquals(2, deployment(cluster, "scaled").getSpec().getReplicas(), "the operator left replicas alone");
        TestCluster.await(READY).until(() -> get(cluster, "scaled").getStatus().readyReplicas == 2);
    }

    @Test
    void aBadImageMakesItNotReadyWithTheReasonAndAWarningEvent(TestCluster cluster) {
        function(cluster, "badimage", "image: lambkin.local/does-not-exist:1\nscaling: {minInstances: 1}");
        TestCluster.await(READY).until(() -> {
            Condition c = ready(cluster, "badimage");
            return c != null && "False".equals(c.getStatus())
                    && List.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull").contains(c.getReason());
        });
        assertTrue(ready(cluster, "badimage").getMessage().contains("does-not-exist"), ready(cluster, "badimage").getMessage());
        TestCluster.await(READY).until(() -> cluster.client().events().v1().events().inNamespace(cluster.namespace()).list()
                .getItems().stream().anyMatch(e -> "Warning".equals(e.getType())
                        && "badimage".equals(e.getRegarding().getName()) && e.getReason().contains("Image")));
    }

    @Test
    void aCrashWhileScalingUpFromZeroShowsWithinSeconds(TestCluster cluster) {
        String ns = cluster.namespace();
        function(cluster, "crasher", "image: %s\nargs: [no-such-command]".formatted(IMAGE));
        TestCluster.await(READY).until(() -> "ScaledToZero".equals(ready(cluster, "crasher").getReason()));
        assertEquals("True", ready(cluster, "crasher").getStatus(), "at zero it can be invoked");
        // scale up as the gateway does on the first invocation
        cluster.client().apps().deployments().inNamespace(ns).withName("crasher").scale(1);
        TestCluster.await(READY).until(() -> "CrashLoopBackOff".equals(ready(cluster, "crasher").getReason()));
        Condition c = ready(cluster, "crasher");
        assertEquals("False", c.getStatus());
        assertTrue(c.getMessage().contains("last exit code 2"), c.getMessage());
    }

    @Test
    void deletionTakesEverythingAlong(TestCluster cluster) {
        String ns = cluster.namespace();
        function(cluster, "doomed", "image: %s".formatted(IMAGE));
        TestCluster.await(READY).until(() -> deployment(cluster, "doomed") != null
                && cluster.client().network().v1().networkPolicies().inNamespace(ns).withName("doomed").get() != null);
        cluster.client().resources(Function.class).inNamespace(ns).withName("doomed").delete();
        TestCluster.await(READY).until(() -> deployment(cluster, "doomed") == null
                && cluster.client().network().v1().networkPolicies().inNamespace(ns).withName("doomed").get() == null);
    }

    @Test
    void eventsAreNotRepeatedOnEveryReconcile(TestCluster cluster) {
        String ns = cluster.namespace();
        function(cluster, "quiet", "image: %s".formatted(IMAGE));
        TestCluster.await(READY).until(() -> "True".equals(ready(cluster, "quiet").getStatus()));
        for (int i = 1; i <= 3; i++) {
            int timeout = 3 + i;
            cluster.patchSpec(Function.class, "quiet", "{\"timeoutSeconds\": " + timeout + "}");
        }
        TestCluster.await(READY).until(() -> get(cluster, "quiet").getStatus().observedGeneration == 4L);
        Map<String, Long> reasons = new java.util.TreeMap<>();
        cluster.client().events().v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "quiet".equals(e.getRegarding().getName()))
                .forEach(e -> reasons.merge(e.getReason(), 1L, Long::sum));
        assertEquals(1L, reasons.get("Created"), reasons.toString());
        assertTrue(reasons.getOrDefault("Updated", 0L) <= 3, "at most one per generation: " + reasons);
    }

    @Test
    void aDependentTheApiServerRefusesShowsReadyFalseWithWhyAndRecoversOnRetry(TestCluster cluster) {
        String ns = cluster.namespace();
        // a quota that allows no Deployment: the API server refuses the operator's, as a real namespace's quota would
        var quota = cluster.client().resourceQuotas().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                .withNewMetadata().withName("no-deployments").endMetadata().withNewSpec()
                .addToHard("count/deployments.apps", new io.fabric8.kubernetes.api.model.Quantity("0")).endSpec().build()).create();
        try {
            TestCluster.await(READY).until(() -> {
                // the quota takes effect once its controller has counted the namespace
                var q = cluster.client().resourceQuotas().inNamespace(ns).withName("no-deployments").get();
                return q.getStatus() != null && q.getStatus().getHard() != null && !q.getStatus().getHard().isEmpty();
            });
            function(cluster, "quota-bound", "image: %s\nargs: [serve]".formatted(IMAGE));
            TestCluster.await(READY).until(() -> ready(cluster, "quota-bound"), c -> c != null && "False".equals(c.getStatus())
                    && "ReconcileFailed".equals(c.getReason()) && c.getMessage().contains("exceeded quota: no-deployments"));
            assertEquals(get(cluster, "quota-bound").getMetadata().getGeneration(), ready(cluster, "quota-bound").getObservedGeneration(),
                    "the condition names the generation that failed");
        } finally {
            cluster.client().resource(quota).delete();
        }
        // nothing about the Function changed: the operator's retry gets it through once the quota is gone
        TestCluster.await(READY).until(() -> "True".equals(ready(cluster, "quota-bound").getStatus()));
        assertNotNull(deployment(cluster, "quota-bound"));
    }

    private static String env(Deployment d, String name) {
        return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }
}
