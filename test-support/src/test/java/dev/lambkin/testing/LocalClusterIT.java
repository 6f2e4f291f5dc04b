package dev.lambkin.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

/**
 * The cluster every other test stands on: a Ready node, pods that reach each other and the host through
 * Services by name (CoreDNS) and by ClusterIP (kube-proxy), and kubectl logs. Uses the netcheck image
 * (hack/images/build-test-images.sh --load).
 */
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class LocalClusterIT {
    static final String IMAGE = "lambkin.local/netcheck:dev";
    static final Duration START = Duration.ofSeconds(90);

    @BeforeAll
    static void startServer(TestCluster cluster) {
        cluster.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
                      containers:
                        - name: web
                          image: %s
                          imagePullPolicy: IfNotPresent
                          args: [serve, ":8080"]
                          ports: [{containerPort: 8080}]
                          readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
                          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(IMAGE)).forEach(o -> cluster.client().resource(o).create());
        TestCluster.await(START).until(() -> {
            var d = cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName("web").get();
            return d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
        });
    }

    @Test
    void nodeIsReady(TestCluster cluster) {
        List<Node> nodes = cluster.client().nodes().list().getItems();
        assertTrue(nodes.stream().anyMatch(n -> n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))), "a Ready node: " + nodes);
    }

    @Test
    void aPodReachesAnotherPodsServiceByName(TestCluster cluster) {
        String ns = cluster.namespace();
        Pod client = (Pod) cluster.load("""
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  restartPolicy: Never
                  securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
                  containers:
                    - name: get
                      image: %s
                      imagePullPolicy: IfNotPresent
                      args: [get, "http://web/", "30"]
                      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
                """.formatted(IMAGE)).getFirst();
        cluster.client().resource(client).create();
        TestCluster.await(START).until(() -> {
            String phase = cluster.client().pods().inNamespace(ns).withName("client").get().getStatus().getPhase();
            return "Succeeded".equals(phase) || "Failed".equals(phase);
        });
        String log = cluster.client().pods().inNamespace(ns).withName("client").getLog();
        assertEquals("Succeeded", cluster.client().pods().inNamespace(ns).withName("client").get().getStatus().getPhase(), log);
        // Earlier lines are the client's failed tries (its stderr): a new Service's rules can lag the first try.
        String answer = log.strip().lines().reduce((first, second) -> second).orElse("");
        assertTrue(answer.startsWith("netcheck web-"), "answered by a pod of the web Deployment: " + log);
    }

    @Test
    void theHostReachesPodIpsAndClusterIps(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        Pod web = cluster.client().pods().inNamespace(ns).withLabel("app", "web").list().getItems().getFirst();
        Service svc = cluster.client().services().inNamespace(ns).withName("web").get();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String url : List.of("http://" + web.getStatus().getPodIP() + ":8080/",
                "http://" + svc.getSpec().getClusterIP() + ":80/")) {
            String body = TestCluster.await(Duration.ofSeconds(30)).until(
                    () -> http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString()).body(),
                    b -> b.startsWith("netcheck web-"));
            assertEquals("netcheck " + web.getMetadata().getName() + "\n", body, url);
        }
    }

    @Test
    void podLogsAreReadable(TestCluster cluster) {
        Pod web = cluster.client().pods().inNamespace(cluster.namespace()).withLabel("app", "web").list().getItems().getFirst();
        String log = cluster.client().pods().inNamespace(cluster.namespace()).withName(web.getMetadata().getName()).getLog();
        assertTrue(log.contains("listening on :8080"), log);
    }
}
