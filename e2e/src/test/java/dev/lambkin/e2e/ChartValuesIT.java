package dev.lambkin.e2e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;

/** Helm itself refuses a bad value of the chart (values.schema.json) and names it; good ones render. */
@WithKubernetesCluster
class ChartValuesIT {
    static String template(TestCluster cluster, String... sets) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("template", "lambkin",
                TestCluster.projectRoot().resolve("helm/lambkin").toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return new Helm(cluster.kubeconfig()).run(args.toArray(String[]::new));
    }

    static void refused(TestCluster cluster, String set, String named) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> template(cluster, set), set);
        assertTrue(e.getMessage().contains(named), "names " + named + ": " + e.getMessage());
    }

    @Test
    void badValuesAreRefusedByName(TestCluster cluster) {
        refused(cluster, "gateway.replicas=-1", "/gateway/replicas");
        refused(cluster, "gateway.hold.timeout=soon", "/gateway/hold/timeout");
        refused(cluster, "gateway.auth.mode=maybe", "/gateway/auth/mode");
        refused(cluster, "nats.storage.mode=tape", "/nats/storage/mode");
        refused(cluster, "operator.watchNamespaces={Team_A}", "/operator/watchNamespaces/0");
        refused(cluster, "gatway.replicas=2", "gatway"); // a misspelt key is not silently ignored
        // annotation values are strings in Kubernetes: a bare true would render an object the API server refuses
        refused(cluster, "gateway.podAnnotations.scrape=true", "/gateway/podAnnotations/scrape");
        refused(cluster, "nats.publishers[0].from=everyone", "/nats/publishers/0");
        refused(cluster, "operator.jvmOptions=TieredStopAtLevel=1", "/operator/jvmOptions");
        refused(cluster, "gateway.jvmOptions=UseZGC", "/gateway/jvmOptions");
    }

    @Test
    void natsPublishersAreLetThroughNatsNetworkPolicy(TestCluster cluster) throws Exception {
        String out = template(cluster, "nats.publishers[0].namespaceSelector.matchLabels.team=orders");
        String policy = java.util.Arrays.stream(out.split("\n---\n"))
                .filter(d -> d.contains("kind: NetworkPolicy") && d.contains("name: lambkin-nats\n")).findFirst().orElseThrow();
        assertTrue(policy.contains("namespaceSelector:") && policy.contains("team: orders"), policy);
    }

    @Test
    void podAnnotationsAndLabelsReachThePods(TestCluster cluster) throws Exception {
        String out = template(cluster, "gateway.podAnnotations.owner=team-a", "operator.podLabels.team=payments",
                "gateway.auth.mode=none");
        assertTrue(out.contains("owner: team-a"), out);
        assertTrue(out.contains("team: payments"), out);
    }
}
