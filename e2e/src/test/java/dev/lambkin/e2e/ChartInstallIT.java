package dev.lambkin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Lambkin as a platform team installs it: the Helm chart, with the operator image built here, watching one
 * namespace with namespaced RBAC. The operator is restarted midway: what it made must survive that.
 */
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartInstallIT {
    static final Duration READY = Duration.ofSeconds(120);
    static Helm helm;

    @BeforeAll
    static void install(TestCluster cluster) throws Exception {
        helm = new Helm(cluster.kubeconfig());
        String ns = cluster.namespace();
        helm.run("install", "lambkin", TestCluster.projectRoot().resolve("helm/lambkin").toString(), "-n", ns,
                "--set", "operator.watchNamespaces={" + ns + "}", "--set", "gateway.aws.accessKeys=true",
                // the restricted Pod Security Standard forbids hostPath, the local cluster's default NATS store
                "--set", "nats.storage.mode=emptyDir", "--wait", "--timeout", "180s");
    }

    @AfterAll
    static void uninstall(TestCluster cluster) throws Exception {
        helm.run("uninstall", "lambkin", "-n", cluster.namespace(), "--wait");
    }

    static Function function(TestCluster cluster, String name) {
        return cluster.client().resources(Function.class).inNamespace(cluster.namespace()).withName(name).get();
    }

    static boolean ready(TestCluster cluster, String name) {
        Function fn = function(cluster, name);
        return fn != null && fn.getStatus() != null && fn.getStatus().conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())
                        && fn.getMetadata().getGeneration().equals(c.getObservedGeneration()));
    }

    static Pod operatorPod(TestCluster cluster) {
        return cluster.client().pods().inNamespace(cluster.namespace())
                .withLabel("app.kubernetes.io/name", "lambkin-operator").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void theInstalledOperatorMakesFunctionsReady(TestCluster cluster) throws Exception {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: greeter}
                spec:
                  image: lambkin.local/netcheck:dev
                  args: [serve, ":8080"]
                  scaling: {minInstances: 1}
                """, Function.class)).create();
        TestCluster.await(READY).until(() -> ready(cluster, "greeter"));
        assertEquals("http://lambkin-gateway." + cluster.namespace() + ".svc.cluster.local:8080/functions/"
                + cluster.namespace() + "/greeter", function(cluster, "greeter").getStatus().url);
        var lease = cluster.client().leases().inNamespace(cluster.namespace()).withName("lambkin-operator").get();
        assertEquals(operatorPod(cluster).getMetadata().getName(), lease.getSpec().getHolderIdentity(),
                "the operator holds the leader Lease");
    }

    @Test
    @Order(2)
    void itReportsReconcileMetrics(TestCluster cluster) throws Exception {
        String ip = cluster.client().services().inNamespace(cluster.namespace()).withName("lambkin-operator").get()
                .getSpec().getClusterIP();
        HttpClient http = HttpClient.newHttpClient();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("operator_sdk_reconciliations_success_total"), "reconcile counts are exported");
        assertTrue(metrics.contains("kind=\"Function\""), "per kind");
    }

    @Test
    @Order(3)
    void theInstalledGatewayInvokesAndARestartLosesNoRouting(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        String gateway = "http://" + cluster.client().services().inNamespace(ns).withName("lambkin-gateway").get()
                .getSpec().getClusterIP() + ":8080/functions/" + ns + "/greeter";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        // the chart's default: invocation needs a Kubernetes identity allowed to invoke
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create(gateway)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> refused = TestCluster.await(READY).until(
                () -> http.send(anonymous, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() != 503);
        assertEquals(401, refused.statusCode(), refused.body());
        HttpRequest invoke = HttpRequest.newBuilder(URI.create(gateway)).timeout(Duration.ofSeconds(30))
                .header("Authorization", Callers.bearer(cluster, "e2e-caller", "lambkin-invoker"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> first = TestCluster.await(READY).until(
                () -> http.send(invoke, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
        String instance = first.headers().firstValue("Lambkin-Executed-Instance").orElseThrow();
        assertTrue(first.body().startsWith("netcheck " + instance), first.body());
        // the invocation's figures are scraped from the pods' management port; the Service callers use has none
        Pod serving = cluster.client().pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "lambkin-gateway")
                .list().getItems().getFirst();
        assertEquals("9000", serving.getMetadata().getAnnotations().get("prometheus.io/port"));
        String scraped = http.send(HttpRequest.newBuilder(URI.create("http://" + serving.getStatus().getPodIP() + ":9000/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(scraped.contains("lambkin_invocations_total{function=\"greeter\""), scraped);
        HttpResponse<String> hidden = http.send(HttpRequest.newBuilder(URI.create(gateway.replace("/functions/" + ns + "/greeter",
                "/q/metrics"))).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, hidden.statusCode(), hidden.body());

        Pod before = cluster.client().pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "lambkin-gateway")
                .list().getItems().getFirst();
        cluster.client().resource(before).delete();
        // a new gateway pod learns every route from the API server again, not from memory
        HttpResponse<String> after = TestCluster.await(READY).until(() -> http.send(invoke, HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() == 200 && cluster.client().pods().inNamespace(ns)
                        .withLabel("app.kubernetes.io/name", "lambkin-gateway").list().getItems().stream()
                        .noneMatch(p -> p.getMetadata().getName().equals(before.getMetadata().getName())));
        assertEquals(instance, after.headers().firstValue("Lambkin-Executed-Instance").orElseThrow(),
                "routed to the same warm instance");
    }

    @Test
    @Order(4)
    void aRestartedOperatorLeavesReplicasAlone(TestCluster cluster) {
        String ns = cluster.namespace();
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: idle}
                spec: {image: lambkin.local/netcheck:dev}
                """, Function.class)).create();
        TestCluster.await(READY).until(() -> ready(cluster, "idle"));
        Pod before = operatorPod(cluster);
        cluster.client().resource(before).delete();
        TestCluster.await(READY).until(() -> {
            Pod now = operatorPod(cluster);
            return !now.getMetadata().getName().equals(before.getMetadata().getName())
                    && now.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
        cluster.patchSpec(Function.class, "idle", "{\"env\": [{\"name\": \"AFTER_RESTART\", \"value\": \"yes\"}]}");
        TestCluster.await(READY).until(() -> ready(cluster, "idle") && function(cluster, "idle").getStatus().observedGeneration == 2L);
        Deployment d = cluster.client().apps().deployments().inNamespace(ns).withName("idle").get();
        assertTrue(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .anyMatch(e -> "AFTER_RESTART".equals(e.getName())), "the change rolled out");
        assertEquals(0, d.getSpec().getReplicas(), "still at zero after a restart and an update");
        assertEquals(List.of(), cluster.client().pods().inNamespace(ns).withLabel("lambkin.dev/function", "idle").list().getItems(),
                "no ReplicaSet started a pod");
        cluster.client().apps().replicaSets().inNamespace(ns).withLabel("lambkin.dev/function", "idle").list().getItems()
                .forEach(rs -> assertEquals(0, rs.getSpec().getReplicas(), rs.getMetadata().getName()));
        Condition readyCondition = function(cluster, "idle").getStatus().conditions.getFirst();
        assertEquals("ScaledToZero", readyCondition.getReason());
    }

    @Test
    @Order(5)
    void theInstalledGatewayAcceptsEventsIntoTheChartsNatsAndDeliversThem(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: greeter-dlq}
                spec: {}
                """, dev.lambkin.api.v1alpha1.DeadLetterQueue.class)).create();
        // the operator made the queue's stream in the chart's NATS
        TestCluster.await(READY).until(() -> {
            var q = cluster.client().resources(dev.lambkin.api.v1alpha1.DeadLetterQueue.class).inNamespace(ns)
                    .withName("greeter-dlq").get();
            return q.getStatus() != null && q.getStatus().conditions.stream()
                    .anyMatch(c -> "StreamReady".equals(c.getType()) && "True".equals(c.getStatus()));
        });
        String gateway = "http://" + cluster.client().services().inNamespace(ns).withName("lambkin-gateway").get()
                .getSpec().getClusterIP() + ":8080/functions/" + ns + "/greeter";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        String bearer = Callers.bearer(cluster, "e2e-caller", "lambkin-invoker");
        HttpResponse<String> accepted = TestCluster.await(READY).until(() -> http.send(HttpRequest.newBuilder(URI.create(gateway))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", bearer)
                .header("Lambkin-Invocation-Type", "Event").POST(HttpRequest.BodyPublishers.ofString("{\"hello\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 202);
        String id = accepted.headers().firstValue("Lambkin-Request-Id").orElseThrow();
        String ip = cluster.client().pods().inNamespace(ns).withLabel("lambkin.dev/function", "greeter").list().getItems()
                .getFirst().getStatus().getPodIP();
        TestCluster.await(READY).until(() -> http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/seen"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body().contains(id));
    }

    @Test
    @Order(6)
    void theAwsCliInvokesThroughLambdasApiWithAnAccessKey(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        Callers.bearer(cluster, "e2e-caller", "lambkin-invoker"); // the ServiceAccount and its RoleBindings
        Callers.bearer(cluster, "e2e-caller", "lambkin-viewer"); // ListFunctions
        Callers.accessKey(cluster, "e2e-caller", "AKIAE2ECALLER0000001", "e2e-secret-key-not-for-production-use-00");
        String endpoint = awsEndpoint(cluster);
        java.nio.file.Path out = java.nio.file.Files.createTempFile("lambkin-aws-cli", ".json");
        String printed = TestCluster.await(READY).until(() -> aws(endpoint, "AKIAE2ECALLER0000001", "e2e-secret-key-not-for-production-use-00",
                "lambda", "invoke", "--function-name", "greeter", "--payload", "{}", out.toString()), p -> p.startsWith("0\n"));
        assertTrue(printed.contains("\"StatusCode\": 200"), printed);
        assertTrue(java.nio.file.Files.readString(out).startsWith("netcheck greeter-"), java.nio.file.Files.readString(out));
        String listed = aws(endpoint, "AKIAE2ECALLER0000001", "e2e-secret-key-not-for-production-use-00", "lambda", "list-functions");
        assertTrue(listed.startsWith("0\n") && listed.contains("arn:aws:lambda:us-east-1:" + ns + ":function:greeter"), listed);
        String wrong = aws(endpoint, "AKIAE2ECALLER0000001", "not-the-secret", "lambda", "invoke", "--function-name", "greeter",
                out.toString());
        assertTrue(!wrong.startsWith("0\n") && wrong.contains("InvalidSignatureException"), wrong);
    }

    @Test
    @Order(7)
    void theAwsCliInvokesAnUnchangedLambdaImageFromItsExampleYaml(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        var applied = cluster.kubectl("apply", "-n", ns, "-f",
                TestCluster.projectRoot().resolve("examples/hello-lambda-python/function.yaml").toString());
        assertEquals(0, applied.exitCode(), applied.output());
        String endpoint = awsEndpoint(cluster);
        Callers.bearer(cluster, "e2e-lambda-caller", "lambkin-invoker"); // the ServiceAccount and its RoleBinding
        Callers.accessKey(cluster, "e2e-lambda-caller", "AKIAE2ELAMBDA0000001", "e2e-secret-key-not-for-production-use-01");
        java.nio.file.Path out = java.nio.file.Files.createTempFile("lambkin-aws-cli", ".json");
        // the chart's operator puts its Runtime API helper in the pod
        String printed = TestCluster.await(READY).until(() -> aws(endpoint, "AKIAE2ELAMBDA0000001", "e2e-secret-key-not-for-production-use-01",
                "lambda", "invoke", "--function-name", "hello-lambda-python", "--payload", "{\"name\": \"Ada\"}", out.toString()),
                p -> p.startsWith("0\n"));
        assertTrue(printed.contains("\"StatusCode\": 200") && !printed.contains("FunctionError"), printed);
        io.vertx.core.json.JsonObject answer = new io.vertx.core.json.JsonObject(java.nio.file.Files.readString(out));
        assertEquals("Hello, Ada!", answer.getString("greeting"), answer.encode());
        assertEquals("arn:aws:lambda:us-east-1:" + ns + ":function:hello-lambda-python", answer.getString("invokedFunctionArn"));
    }

    /** The chart's gateway Service, as the AWS CLI's --endpoint-url. */
    static String awsEndpoint(TestCluster cluster) {
        return "http://" + cluster.client().services().inNamespace(cluster.namespace()).withName("lambkin-gateway").get().getSpec()
                .getClusterIP() + ":8080";
    }

    /** The AWS CLI as a user runs it (LAMBKIN_AWS, installed by hack/test.sh): its exit code, a newline, its output. */
    static String aws(String endpoint, String keyId, String secret, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(System.getenv().getOrDefault("LAMBKIN_AWS", "aws"), "--endpoint-url",
                endpoint, "--region", "us-east-1"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("AWS_ACCESS_KEY_ID", keyId, "AWS_SECRET_ACCESS_KEY", secret,
                "AWS_RETRY_MODE", "standard", "AWS_MAX_ATTEMPTS", "1", "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return p.exitValue() + "\n" + output;
    }
}
