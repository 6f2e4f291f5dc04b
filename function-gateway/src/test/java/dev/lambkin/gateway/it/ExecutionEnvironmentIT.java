package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.route.PodMarks;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Lambda's promises at the edges of an execution, with functions that behave like real ones: netcheck (a Go
 * server that keeps running a call when the caller hangs up and exits at once on SIGTERM) and sdk-probe (a
 * handler on Lambkin's Java SDK that ignores interruption). Each function counts its own executions.
 */
@QuarkusTest
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class ExecutionEnvironmentIT extends GatewayInThisJvm {
    static String pod(HttpResponse<String> r) {
        return r.headers().firstValue("Lambkin-Executed-Instance").orElseThrow();
    }

    static void assertTimedOut(HttpResponse<String> r, String seconds) {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Unhandled", r.headers().firstValue("Lambkin-Function-Error").orElse(null), r.body());
        JsonObject error = new JsonObject(r.body());
        assertEquals("Sandbox.Timedout", error.getString("errorType"));
        assertEquals("Task timed out after " + seconds + " seconds", error.getString("errorMessage"));
    }

    @Test
    void aTimedOutExecutionNeverRunsBesideTheNextCall(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "runaway", "image: lambkin.local/netcheck:dev\nargs: [serve]\ntimeoutSeconds: 1");
        assertEquals(200, gateway.invoke(cluster, "runaway", "{}").statusCode(), "warm");
        var timedOut = gateway.invoke(cluster, "runaway", "{\"sleepMs\": 8000}");
        assertTimedOut(timedOut, "1.00");
        // at once, on a perInstance 1 function: the server still runs the first call, so this must run elsewhere
        var next = gateway.invoke(cluster, "runaway", "{\"stats\": true}");
        assertEquals(200, next.statusCode(), next.body());
        assertTrue(next.body().contains(" current=1 "), "only this call runs in its process: " + next.body());
        assertNotEquals(pod(timedOut), pod(next), "the timed-out instance was replaced");
        // and the instance that timed out is gone
        TestCluster.await(Duration.ofSeconds(30)).until(() -> cluster.client().pods().inNamespace(cluster.namespace())
                .withName(pod(timedOut)).get() == null);
    }

    @Test
    void aJavaSdkHandlerThatIgnoresInterruptsIsStoppedAtItsTimeout(TestCluster cluster) throws Exception {
        // 4 s: a fresh JVM's first call on a busy 2-core node took over 2 s once, and it is the call under test
        Gateway.function(cluster, "java-runaway", "image: lambkin.local/sdk-probe:dev\ntimeoutSeconds: 4\n"
                + "resources: {limits: {memory: 256Mi}}");
        assertEquals(200, gateway.invoke(cluster, "java-runaway", "{}").statusCode(), "warm");
        var timedOut = gateway.invoke(cluster, "java-runaway", "{\"sleepMs\": 10000}");
        assertTimedOut(timedOut, "4.00");
        var next = gateway.invoke(cluster, "java-runaway", "{}");
        assertEquals(200, next.statusCode(), next.body());
        JsonObject seen = new JsonObject(next.body());
        assertEquals(1, seen.getInteger("current"), "only this call runs in its process: " + next.body());
        assertNotEquals(pod(timedOut), seen.getString("pod"));
    }

    @Test
    void aProcessThatExitsMidCallIsAFunctionErrorAndItsInstanceIsReplaced(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "crasher", "image: lambkin.local/netcheck:dev\nargs: [serve]\ntimeoutSeconds: 10");
        assertEquals(200, gateway.invoke(cluster, "crasher", "{}").statusCode(), "warm");
        var crashed = gateway.invoke(cluster, "crasher", "{\"sleepMs\": 200, \"exit\": 3}");
        assertEquals(200, crashed.statusCode(), crashed.body());
        assertEquals("Unhandled", crashed.headers().firstValue("Lambkin-Function-Error").orElse(null));
        JsonObject error = new JsonObject(crashed.body());
        assertEquals("Runtime.ExitError", error.getString("errorType"), crashed.body());
        assertTrue(error.getString("errorMessage").startsWith("RequestId: "), crashed.body());
        // the next call is served, by a fresh instance, not sent to the dead one
        var next = gateway.invoke(cluster, "crasher", "{}");
        assertEquals(200, next.statusCode(), next.body());
        assertFalse(next.headers().firstValue("Lambkin-Function-Error").isPresent(), next.body());
        assertNotEquals(pod(crashed), pod(next));
    }

    @Test
    void aPodLeftRetiredByAGatewayThatDiedIsDeletedAndReplaced(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "orphan", "image: lambkin.local/netcheck:dev\nargs: [serve]\n"
                + "scaling: {maxInstances: 1, idleSeconds: 600}");
        var warm = gateway.invoke(cluster, "orphan", "{}");
        assertEquals(200, warm.statusCode(), warm.body());
        String stranded = pod(warm);
        // what a gateway leaves behind when it dies between marking a pod retired and deleting it: no gateway routes
        // to the pod again, and at maxInstances 1 nothing else could serve. A merge patch, as the gateway writes it:
        // an edit carries the resourceVersion and loses to the kubelet's status writes (409 Conflict)
        cluster.client().pods().inNamespace(cluster.namespace()).withName(stranded)
                .patch(PatchContext.of(PatchType.JSON_MERGE), PodMarks.retiredPatch("its gateway died"));
        TestCluster.await(Gateway.START).until(() -> {
            var r = gateway.invoke(cluster, "orphan", "{}");
            return r.statusCode() == 200 && r.headers().firstValue("Lambkin-Function-Error").isEmpty()
                    && !stranded.equals(r.headers().firstValue("Lambkin-Executed-Instance").orElse(stranded));
        });
        // deleted, not just passed over (a terminating pod is not counted by its ReplicaSet)
        TestCluster.await(Duration.ofSeconds(30)).until(() -> cluster.client().pods().inNamespace(cluster.namespace())
                .withName(stranded).get() == null);
    }

    @Test
    void aResponseOverSixMegabytesIsAFunctionError(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "chatty", "image: lambkin.local/netcheck:dev\nargs: [serve]\ntimeoutSeconds: 10");
        var big = gateway.invoke(cluster, "chatty", "{\"responseBytes\": " + 7 * 1024 * 1024 + "}");
        assertEquals(200, big.statusCode());
        assertEquals("Unhandled", big.headers().firstValue("Lambkin-Function-Error").orElse(null));
        assertEquals("Function.ResponseSizeTooLarge", new JsonObject(big.body()).getString("errorType"));
        var fits = gateway.invoke(cluster, "chatty", "{\"responseBytes\": " + 5 * 1024 * 1024 + "}");
        assertEquals(200, fits.statusCode());
        assertFalse(fits.headers().firstValue("Lambkin-Function-Error").isPresent());
        assertTrue(fits.body().length() >= 5 * 1024 * 1024, "the whole answer: " + fits.body().length());
    }

    @Test
    void aPodWhoseReadinessFailsLeavesRotation(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "wobbly", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                scaling: {minInstances: 2, maxInstances: 2}
                readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 1, failureThreshold: 1}""");
        TestCluster.await(Gateway.START).until(() -> Gateway.podIps(cluster, "wobbly").size() == 2);
        // calls one after another go to the same (first) instance while both are idle: make that one unready
        var first = gateway.invoke(cluster, "wobbly", "{\"unready\": true}");
        assertEquals(200, first.statusCode(), first.body());
        String sick = pod(first);
        TestCluster.await(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 5; i++) {
                if (pod(gateway.invoke(cluster, "wobbly", "{}")).equals(sick)) {
                    return false;
                }
            }
            return true;
        });
        for (int i = 0; i < 20; i++) {
            assertNotEquals(sick, pod(gateway.invoke(cluster, "wobbly", "{}")), "an unready pod takes no calls");
        }
    }

    @Test
    void risingAndFallingBetweenOneAndThreeInstancesLosesNoCall(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "tide", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                timeoutSeconds: 20
                scaling: {maxInstances: 3, idleSeconds: 600}""");
        assertEquals(200, gateway.invoke(cluster, "tide", "{}").statusCode(), "warm");
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger calls = new AtomicInteger();
        Set<Integer> replicasSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // one long call after another keeps an instance busy all along
            CompletableFuture<Void> steady = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    record(cluster, "{\"sleepMs\": 1500}", calls, failures);
                }
            }, threads);
            List<Integer> down = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                // a burst of long calls raises it to 3 instances...
                List<CompletableFuture<Void>> burst = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    burst.add(CompletableFuture.runAsync(() -> record(cluster, "{\"sleepMs\": 3000}", calls, failures), threads));
                }
                TestCluster.await(Duration.ofSeconds(60)).until(() -> Gateway.replicas(cluster, "tide") == 3);
                replicasSeen.add(3);
                burst.forEach(CompletableFuture::join);
                // ...and as they end it falls back, one instance at a time, while the steady calls go on
                TestCluster.await(Duration.ofSeconds(60)).until(() -> Gateway.replicas(cluster, "tide") <= 1);
                down.add(Gateway.replicas(cluster, "tide"));
            }
            stop.set(true);
            steady.join();
            assertEquals(List.of(1, 1, 1), down, "fell back to the one busy instance each time");
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + calls.get() + " calls failed: " + failures);
        assertTrue(calls.get() >= 12, "calls made: " + calls.get());
    }

    private void record(TestCluster cluster, String body, AtomicInteger calls, ConcurrentLinkedQueue<String> failures) {
        try {
            var r = gateway.invoke(cluster, "tide", body);
            calls.incrementAndGet();
            if (r.statusCode() != 200 || r.headers().firstValue("Lambkin-Function-Error").isPresent()) {
                failures.add(r.statusCode() + " " + r.body());
            }
        } catch (Exception e) {
            failures.add(e.toString());
        }
    }
}
