package dev.lambkin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;

/**
 * A release installed from the previous chart (the one on main before this round's chart changes, taken from git)
 * upgrades to this chart with {@code helm upgrade --reuse-values}, the way a platform team upgrades: values the old
 * release never had take their defaults, and what ran keeps running.
 */
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class ChartUpgradeIT {
    /** The chart on main before the PDBs, rolling strategy, nats.publishers and gateway.aws values came. */
    static final String PREVIOUS_CHART = "48ca1ff";
    static final Duration READY = Duration.ofSeconds(180);
    static Helm helm;

    @AfterAll
    static void uninstall(TestCluster cluster) throws Exception {
        if (helm != null) {
            helm.run("uninstall", "lambkin", "-n", cluster.namespace(), "--wait");
        }
    }

    /** helm/lambkin as it was at the ref, from the repository's history. */
    static Path previousChart() throws Exception {
        Path dir = Files.createTempDirectory("lambkin-previous-chart");
        Path tar = dir.resolve("chart.tar");
        Process p = new ProcessBuilder("git", "-C", TestCluster.projectRoot().toString(), "archive", "-o", tar.toString(),
                PREVIOUS_CHART, "helm/lambkin").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "git archive " + PREVIOUS_CHART + ": " + out);
        Process x = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", dir.toString()).redirectErrorStream(true).start();
        assertEquals(0, x.waitFor(), new String(x.getInputStream().readAllBytes()));
        return dir.resolve("helm/lambkin");
    }

    @Test
    void aReleaseOfThePreviousChartUpgradesWithItsValuesAndKeepsServing(TestCluster cluster) throws Exception {
        helm = new Helm(cluster.kubeconfig());
        String ns = cluster.namespace();
        helm.run("install", "lambkin", previousChart().toString(), "-n", ns, "--set", "operator.watchNamespaces={" + ns + "}",
                "--set", "nats.storage.mode=emptyDir", "--wait", "--timeout", "180s");
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: survivor}
                spec: {image: lambkin.local/netcheck:dev, args: [serve], scaling: {minInstances: 1}}
                """, Function.class)).create();
        String url = "http://" + cluster.client().services().inNamespace(ns).withName("lambkin-gateway").get().getSpec()
                .getClusterIP() + ":8080/functions/" + ns + "/survivor";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        String bearer = Callers.bearer(cluster, "upgrader", "lambkin-invoker");
        HttpRequest invoke = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        TestCluster.await(READY).until(() -> http.send(invoke, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        helm.run("upgrade", "lambkin", TestCluster.projectRoot().resolve("helm/lambkin").toString(), "-n", ns, "--reuse-values",
                "--wait", "--timeout", "180s");
        // what the new chart adds is there, with its defaults
        assertNotNull(cluster.client().policy().v1().podDisruptionBudget().inNamespace(ns).withName("lambkin-nats").get(),
                "the new chart's NATS disruption budget");
        var gateway = cluster.client().apps().deployments().inNamespace(ns).withName("lambkin-gateway").get();
        assertEquals(0, gateway.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertTrue(gateway.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .anyMatch(e -> e.getName().equals("LAMBKIN_GATEWAY_AWS_ACCESS_KEYS") && "false".equals(e.getValue())),
                "a value the old release never had takes its default");
        // and what ran goes on: the Function is served by the upgraded gateway
        HttpResponse<String> after = TestCluster.await(READY).until(() -> http.send(invoke, HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() == 200);
        assertTrue(after.body().startsWith("netcheck survivor-"), after.body());
    }
}
