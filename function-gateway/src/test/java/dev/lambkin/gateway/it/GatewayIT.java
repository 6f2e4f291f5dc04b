package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The gateway in this JVM, the operator beside it, functions on the real cluster, invoked over HTTP. */
@QuarkusTest
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class GatewayIT extends GatewayInThisJvm {
    @Test
    void coldInvokeFromZeroThenWarm(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "hello", "image: lambkin.local/hello-java:dev\nresources: {limits: {memory: 256Mi}}\ntimeoutSeconds: 10");
        assertEquals(0, Gateway.replicas(cluster, "hello"), "starts at zero");
        var cold = gateway.invoke(cluster, "hello", "{\"name\":\"Ada\"}");
        assertEquals(200, cold.statusCode(), cold.body());
        assertEquals("Hello, Ada!", new JsonObject(cold.body()).getString("message"));
        String pod = cold.headers().firstValue("Lambkin-Executed-Instance").orElseThrow();
        assertTrue(pod.startsWith("hello-"), pod);
        assertTrue(cold.headers().firstValue("Lambkin-Request-Id").isPresent());
        assertEquals(1, Gateway.replicas(cluster, "hello"), "scaled 0 -> 1 through the scale subresource");
        var warm = gateway.invoke(cluster, "hello", "{\"name\":\"Grace\"}", "Lambkin-Log-Type", "Tail");
        assertEquals(200, warm.statusCode());
        assertEquals(pod, warm.headers().firstValue("Lambkin-Executed-Instance").orElseThrow(), "the warm instance");
        String log = new String(java.util.Base64.getDecoder().decode(warm.headers().firstValue("Lambkin-Log-Result").orElseThrow()));
        assertTrue(log.contains("greeting Grace"), log);
        var handled = gateway.invoke(cluster, "hello", "{}");
        assertEquals(200, handled.statusCode());
        assertEquals("Handled", handled.headers().firstValue("Lambkin-Function-Error").orElseThrow());
        assertEquals("MissingName", new JsonObject(handled.body()).getString("errorType"));

        String metrics = gateway.manage("/q/metrics").body();
        // every function's name and figures: not on the port every caller reaches
        var onPublicPort = gateway.send("GET", "/q/metrics", null);
        assertEquals(404, onPublicPort.statusCode(), onPublicPort.body());
        assertTrue(onPublicPort.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), onPublicPort.body());
        // health stays on the callers' port too, for charts that probe it there (the management port's answer)
        var legacyReady = gateway.send("GET", "/q/health/ready", null);
        assertEquals(200, legacyReady.statusCode(), legacyReady.body());
        assertEquals("UP", new JsonObject(legacyReady.body()).getString("status"), legacyReady.body());
        assertEquals("UP", new JsonObject(gateway.manage("/q/health/ready").body()).getString("status"));
        String labels = "function=\"hello\",namespace=\"" + cluster.namespace() + "\"";
        assertTrue(metrics.contains("lambkin_invocations_total{" + labels + ",outcome=\"success\"} 2.0"), metrics);
        assertTrue(metrics.contains("lambkin_invocations_total{" + labels + ",outcome=\"error\"} 1.0"), metrics);
        assertTrue(metrics.contains("lambkin_invocation_errors_total{function=\"hello\",kind=\"Handled\",namespace=\""
                + cluster.namespace() + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("lambkin_cold_starts_seconds_count{" + labels + "} 1.0"), metrics);
        // and in the Function's status, where kubectl shows it
        TestCluster.await(Duration.ofSeconds(20)).until(() -> {
            var st = cluster.client().resources(Function.class).inNamespace(cluster.namespace()).withName("hello").get().getStatus();
            return st != null && Long.valueOf(1).equals(st.coldStarts);
        });
    }

    @Test
    void idleFunctionsScaleToZero(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "napper", "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {idleSeconds: 2}");
        String callerTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var traced = gateway.invoke(cluster, "napper", "{}", "traceparent", callerTrace);
        assertEquals(200, traced.statusCode());
        // the function sees the caller's trace, with the gateway's span as its parent
        String received = traced.body().replaceFirst("(?s).*traceparent=(\\S+).*", "$1");
        assertTrue(received.startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"), traced.body());
        assertTrue(!received.equals(callerTrace), "a span of the gateway's between caller and function: " + received);
        assertEquals(1, Gateway.replicas(cluster, "napper"));
        TestCluster.await(Duration.ofSeconds(30)).until(() -> Gateway.replicas(cluster, "napper") == 0);
        TestCluster.await(Duration.ofSeconds(10)).until(() -> cluster.client().events().v1().events()
                .inNamespace(cluster.namespace()).list().getItems().stream()
                .filter(e -> "napper".equals(e.getRegarding().getName())).map(e -> e.getReason()).toList()
                .containsAll(List.of("ScaledFromZero", "ScaledToZero")));
    }

    @Test
    void theFunctionsTimeoutIsAnUnhandledErrorAndFreesTheSlot(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "slow", "image: lambkin.local/netcheck:dev\nargs: [serve]\ntimeoutSeconds: 1\nconcurrency: {reserved: 1}");
        var r = gateway.invoke(cluster, "slow", "{\"sleepMs\": 3000}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Unhandled", r.headers().firstValue("Lambkin-Function-Error").orElse(null));
        assertEquals("Sandbox.Timedout", new JsonObject(r.body()).getString("errorType"));
        // the only reserved slot is free again at once (on a fresh instance: the old one may still be running)
        assertEquals(200, gateway.invoke(cluster, "slow", "{}").statusCode());
    }

    @Test
    void overTheReservationIs429WithTheReason(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "single", "image: lambkin.local/netcheck:dev\nargs: [serve]\ntimeoutSeconds: 10\nconcurrency: {reserved: 1}");
        assertEquals(200, gateway.invoke(cluster, "single", "{}").statusCode(), "warm it up");
        CompletableFuture<HttpResponse<String>> busy = CompletableFuture.supplyAsync(() -> {
            try {
                return gateway.invoke(cluster, "single", "{\"sleepMs\": 3000}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse<String> refused = TestCluster.await(Duration.ofSeconds(10)).until(
                () -> gateway.invoke(cluster, "single", "{}"), r -> r.statusCode() == 429);
        assertEquals("ReservedFunctionConcurrentInvocationLimitExceeded", new JsonObject(refused.body()).getString("reason"));
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, busy.get().statusCode());
    }

    @Test
    void aBurstNeverRunsMoreThanTheReservationAtOnce(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "counted", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                timeoutSeconds: 10
                concurrency: {reserved: 5, perInstance: 50}
                scaling: {minInstances: 1, maxInstances: 1}""");
        String ip = TestCluster.await(Gateway.START).until(() -> cluster.client().pods().inNamespace(cluster.namespace())
                .withLabel("lambkin.dev/function", "counted").list().getItems().stream()
                .filter(p -> p.getStatus().getPodIP() != null).map(p -> p.getStatus().getPodIP()).findFirst().orElse(null),
                java.util.Objects::nonNull);
        assertEquals(200, gateway.invoke(cluster, "counted", "{}").statusCode(), "warm");
        int callers = 60;
        List<CompletableFuture<HttpResponse<String>>> burst = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return gateway.invoke(cluster, "counted", "{\"sleepMs\": 400}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
        }
        long ok = burst.stream().filter(f -> f.join().statusCode() == 200).count();
        long throttled = burst.stream().filter(f -> f.join().statusCode() == 429).count();
        assertEquals(callers, ok + throttled, "every call either ran or was refused at once");
        assertTrue(ok >= 5 && throttled > 0, ok + " ran, " + throttled + " throttled");
        // the function counted its own concurrent executions
        JsonObject stats = new JsonObject(gateway.http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(stats.getInteger("peak") <= 5, "never more than the reservation at once: " + stats);
        assertTrue(stats.getInteger("peak") >= 2, "the burst overlapped: " + stats);
    }

    @Test
    void aFunctionThatCannotStartFailsFastWith502AndTheReason(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "broken", "image: lambkin.local/no-such-image:1\ntimeoutSeconds: 600");
        long t0 = System.nanoTime();
        var r = gateway.invoke(cluster, "broken", "{}");
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(502, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertTrue(List.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull").contains(body.getString("reason")), r.body());
        assertTrue(body.getString("message").contains("no-such-image"), r.body());
        assertTrue(waitedMs < 60_000, "failed on the pod's reason, not on the 600 s timeout or the 60 s hold: " + waitedMs + " ms");
    }

    @Test
    void clientMistakesGetClearErrors(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "strict", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        var missing = gateway.invoke(cluster, "nope", "{}");
        assertEquals(404, missing.statusCode());
        assertEquals("ResourceNotFoundException", new JsonObject(missing.body()).getString("type"));
        // curl -d sends application/x-www-form-urlencoded: the body is judged by what it is, as Lambda does
        var formTyped = gateway.invoke(cluster, "strict", "{\"name\":\"Ada\"}", "Content-Type",
                "application/x-www-form-urlencoded", "Lambkin-Invocation-Type", "DryRun");
        assertEquals(204, formTyped.statusCode(), formTyped.body());
        var notJson = gateway.invoke(cluster, "strict", "{oops");
        assertEquals(400, notJson.statusCode());
        assertTrue(new JsonObject(notJson.body()).getString("message").contains("JSON"));
        var tooBig = gateway.invoke(cluster, "strict", "\"" + "x".repeat(6 * 1024 * 1024) + "\"");
        assertEquals(413, tooBig.statusCode());
        var dryRun = gateway.invoke(cluster, "strict", "", "Lambkin-Invocation-Type", "DryRun");
        assertEquals(204, dryRun.statusCode());
        var badType = gateway.invoke(cluster, "strict", "{}", "Lambkin-Invocation-Type", "Sometimes");
        assertEquals(400, badType.statusCode());
        var unknown = gateway.send("GET", "/nowhere/at/all", null);
        assertEquals(404, unknown.statusCode());
        assertEquals("NotFoundException", new JsonObject(unknown.body()).getString("type"), "JSON, not a page: " + unknown.body());
        var wrongMethod = gateway.send("PUT", "/functions/" + cluster.namespace() + "/strict", "{}");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(null));
        assertEquals(0, Gateway.replicas(cluster, "strict"), "none of these started an instance");
    }
}
