package dev.lambkin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The NetworkPolicies Lambkin writes, enforced (the local cluster runs kube-router's policy controller): a
 * function's pod reaches neither another function's pod nor the installation's NATS, the gateway reaches both
 * functions, the gateway's management port is closed to it, and a Function's declared egress is all it may
 * connect to besides DNS. Every refusal is checked
 * beside a connection the same pod may open, so a broken pod network cannot pass for isolation.
 */
@WithKubernetesCluster
class NetworkIsolationIT {
    static final Duration READY = Duration.ofSeconds(120);
    static Helm helm;
    static String ns;

    @BeforeAll
    static void install(TestCluster cluster) throws Exception {
        helm = new Helm(cluster.kubeconfig());
        ns = cluster.namespace();
        helm.run("install", "lambkin", TestCluster.projectRoot().resolve("helm/lambkin").toString(), "-n", ns,
                "--set", "operator.watchNamespaces={" + ns + "}", "--set", "nats.storage.mode=emptyDir",
                "--wait", "--timeout", "180s");
        // "open" below is a connection the gateway's Service accepts; "closed" a SYN a policy dropped
        create(cluster, "target", "");
        create(cluster, "neighbour", "");
        create(cluster, "confined", """
                  network:
                    egress:
                      - to: [{podSelector: {matchLabels: {app.kubernetes.io/name: lambkin-gateway}}}]
                        ports: [{port: 8080}]
                """);
        for (String name : new String[] {"target", "neighbour", "confined"}) {
            TestCluster.await(READY).until(() -> runningPod(cluster, name) != null);
        }
    }

    @AfterAll
    static void uninstall(TestCluster cluster) throws Exception {
        helm.run("uninstall", "lambkin", "-n", ns, "--wait");
    }

    static void create(TestCluster cluster, String name, String extraSpec) {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: %s}
                spec:
                  image: lambkin.local/netcheck:dev
                  args: [serve, ":8080"]
                  scaling: {minInstances: 1}
                %s""".formatted(name, extraSpec), Function.class)).create();
    }

    static Pod runningPod(TestCluster cluster, String function) {
        return cluster.client().pods().inNamespace(ns).withLabel("lambkin.dev/function", function).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getPodIP() != null
                        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .findFirst().orElse(null);
    }

    /** What `netcheck dial` prints in the function's pod: "open", or "closed: <why>". */
    static String dialFrom(TestCluster cluster, String function, String address) throws Exception {
        var r = cluster.kubectl("-n", ns, "exec", runningPod(cluster, function).getMetadata().getName(), "--",
                "/netcheck", "dial", address);
        return r.output().strip();
    }

    static void awaitDial(TestCluster cluster, String function, String address, String expected) {
        // policies are applied a moment after the pods and policies appear
        String last = TestCluster.await(READY).until(() -> dialFrom(cluster, function, address), 
                // a refusal is a dropped or rejected connection, not a name that did not resolve
                out -> out.startsWith(expected) && !out.contains("lookup "));
        assertEquals(expected, last.split(":")[0], function + " → " + address + ": " + last);
    }

    static String podAddress(TestCluster cluster, String function) {
        return runningPod(cluster, function).getStatus().getPodIP() + ":8080";
    }

    static final String GATEWAY = "lambkin-gateway:8080";
    static final String NATS = "lambkin-nats:4222";
    static final String OPERATOR = "lambkin-operator:8080";

    @Test
    void aFunctionReachesNeitherAnotherFunctionNorNatsButTheGatewayDoes(TestCluster cluster) throws Exception {
        // the same pod reaches the gateway by name (DNS and the pod network work) …
        awaitDial(cluster, "neighbour", GATEWAY, "open");
        // … and not the other function's pod, nor the NATS that holds every queued event
        awaitDial(cluster, "neighbour", podAddress(cluster, "target"), "closed");
        awaitDial(cluster, "neighbour", NATS, "closed");
        // the gateway's API port is open to it, its management port (every function's metrics) is not
        String gatewayPod = cluster.client().pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "lambkin-gateway")
                .list().getItems().getFirst().getStatus().getPodIP();
        awaitDial(cluster, "neighbour", gatewayPod + ":8080", "open");
        awaitDial(cluster, "neighbour", gatewayPod + ":9000", "closed");
        // the gateway does reach both functions' pods: both answer invocations
        String bearer = Callers.bearer(cluster, "e2e-caller", "lambkin-invoker");
        String gateway = "http://" + cluster.client().services().inNamespace(ns).withName("lambkin-gateway").get()
                .getSpec().getClusterIP() + ":8080/functions/" + ns + "/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        for (String fn : new String[] {"target", "neighbour"}) {
            HttpRequest invoke = HttpRequest.newBuilder(URI.create(gateway + fn)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> r = TestCluster.await(READY).until(() -> http.send(invoke, HttpResponse.BodyHandlers.ofString()),
                    resp -> resp.statusCode() != 503);
            assertEquals(200, r.statusCode(), fn + ": " + r.body());
        }
    }

    @Test
    void aFunctionWithDeclaredEgressConnectsOnlyThereAndToDns(TestCluster cluster) throws Exception {
        // without network.egress a function may connect anywhere, the operator's Service included …
        awaitDial(cluster, "neighbour", OPERATOR, "open");
        // … with it, only to the declared destination (resolved by name: DNS stays allowed)
        awaitDial(cluster, "confined", GATEWAY, "open");
        awaitDial(cluster, "confined", OPERATOR, "closed");
        awaitDial(cluster, "confined", "kubernetes.default:443", "closed");
    }
}
