package dev.lambkin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.json.JsonObject;

/**
 * Two gateway replicas from the chart: a reservation holds across both (each enforces its share), the Lease
 * holder scales down on both replicas' load, and either replica starts a function from zero by itself.
 */
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class GatewayReplicasIT {
    static final Duration READY = Duration.ofSeconds(120);
    static Helm helm;
    static String bearer;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void install(TestCluster cluster) throws Exception {
        helm = new Helm(cluster.kubeconfig());
        String ns = cluster.namespace();
        helm.run("install", "lambkin", TestCluster.projectRoot().resolve("helm/lambkin").toString(), "-n", ns,
                "--set", "operator.watchNamespaces={" + ns + "}", "--set", "gateway.replicas=2",
                // events that met system errors while the replicas changed back off: capped lower here, the wait stays short
                "--set", "gateway.async.systemRetryMax=15s",
                "--set", "nats.storage.mode=emptyDir", "--wait", "--timeout", "180s");
    }

    @AfterAll
    static void uninstall(TestCluster cluster) throws Exception {
        helm.run("uninstall", "lambkin", "-n", cluster.namespace(), "--wait");
    }

    static List<Pod> gateways(TestCluster cluster) {
        return cluster.client().pods().inNamespace(cluster.namespace()).withLabel("app.kubernetes.io/name", "lambkin-gateway")
                .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static String leader(TestCluster cluster) {
        var lease = cluster.client().leases().inNamespace(cluster.namespace()).withName("lambkin-gateway").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    void function(TestCluster cluster, String name, String spec) {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: %s}
                spec:
                %s
                """.formatted(name, spec.indent(2)), Function.class)).create();
        TestCluster.await(READY).until(() -> {
            Function fn = cluster.client().resources(Function.class).inNamespace(cluster.namespace()).withName(name).get();
            return fn.getStatus() != null && fn.getStatus().conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
    }

    HttpResponse<String> invoke(Pod gateway, TestCluster cluster, String name, String body) throws Exception {
        if (bearer == null) {
            bearer = Callers.bearer(cluster, "e2e-caller", "lambkin-invoker");
        }
        return http.send(HttpRequest.newBuilder(URI.create("http://" + gateway.getStatus().getPodIP() + ":8080/functions/"
                + cluster.namespace() + "/" + name)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    int replicas(TestCluster cluster, String name) {
        return cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName(name).get().getSpec().getReplicas();
    }

    @Test
    void aReservationHoldsAcrossBothReplicas(TestCluster cluster) throws Exception {
        TestCluster.await(READY).until(() -> gateways(cluster).size() == 2 && gateways(cluster).stream()
                .anyMatch(p -> p.getMetadata().getName().equals(leader(cluster))));
        function(cluster, "counted", """
                image: lambkin.local/netcheck:dev
                args: [serve]
                timeoutSeconds: 10
                concurrency: {reserved: 2, perInstance: 10}
                scaling: {minInstances: 1, maxInstances: 1}""");
        List<Pod> gws = gateways(cluster);
        for (Pod gw : gws) {
            TestCluster.await(READY).until(() -> invoke(gw, cluster, "counted", "{}").statusCode() == 200);
        }
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        List<Pod> via = new ArrayList<>();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                Pod gw = gws.get(i % 2);
                via.add(gw);
                burst.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return invoke(gw, cluster, "counted", "{\"sleepMs\": 500}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, callers));
            }
        }
        long ok = burst.stream().filter(f -> f.join().statusCode() == 200).count();
        long throttled = burst.stream().filter(f -> f.join().statusCode() == 429).count();
        assertEquals(40, ok + throttled, "every call ran or was refused at once");
        for (Pod gw : gws) {
            long okHere = 0;
            for (int i = 0; i < 40; i++) {
                if (via.get(i) == gw && burst.get(i).join().statusCode() == 200) {
                    okHere++;
                }
            }
            assertTrue(okHere > 0, "each replica admits its share: " + gw.getMetadata().getName());
        }
        String ip = cluster.client().pods().inNamespace(cluster.namespace()).withLabel("lambkin.dev/function", "counted").list()
                .getItems().getFirst().getStatus().getPodIP();
        JsonObject stats = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        System.out.printf("two gateways, reserved 2: %d ran, %d throttled, peak %d at once%n", ok, throttled, stats.getInteger("peak"));
        assertTrue(stats.getInteger("peak") <= 2, "never more than the reservation at once across replicas: " + stats);
    }

    @Test
    void eitherReplicaStartsAFunctionFromZeroAndTheLeaderLetsItGoWhenIdle(TestCluster cluster) throws Exception {
        TestCluster.await(READY).until(() -> gateways(cluster).size() == 2 && leader(cluster) != null);
        // the holder keeps renewing its Lease (it would lose it otherwise, and nobody would scale down)
        var renewed = cluster.client().leases().inNamespace(cluster.namespace()).withName("lambkin-gateway").get().getSpec()
                .getRenewTime();
        TestCluster.await(Duration.ofSeconds(15)).until(() -> !renewed.equals(cluster.client().leases()
                .inNamespace(cluster.namespace()).withName("lambkin-gateway").get().getSpec().getRenewTime()));
        function(cluster, "napper", "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {idleSeconds: 5}");
        Pod follower = gateways(cluster).stream().filter(p -> !p.getMetadata().getName().equals(leader(cluster))).findFirst()
                .orElseThrow();
        assertEquals(0, replicas(cluster, "napper"));
        var cold = invoke(follower, cluster, "napper", "{}");
        assertEquals(200, cold.statusCode(), cold.body());
        assertEquals(1, replicas(cluster, "napper"), "the replica that held the request scaled it up");
        TestCluster.await(Duration.ofSeconds(60)).until(() -> replicas(cluster, "napper") == 0);
    }

    /** The ids of the events a netcheck function's pods answered. */
    List<String> seen(TestCluster cluster, String function) throws Exception {
        return seen(cluster, function, new java.util.HashSet<>());
    }

    /** The same, adding the names of the pods asked to podsAsked; a pod on its way out is asked too (it may still answer). */
    List<String> seen(TestCluster cluster, String function, java.util.Set<String> podsAsked) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Pod p : cluster.client().pods().inNamespace(cluster.namespace()).withLabel("lambkin.dev/function", function)
                .list().getItems()) {
            if (p.getStatus().getPodIP() == null) {
                continue;
            }
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create("http://" + p.getStatus().getPodIP() + ":8080/seen"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException gone) {
                if (p.getMetadata().getDeletionTimestamp() != null) {
                    continue; // it stopped between the listing and the question
                }
                throw gone;
            }
            podsAsked.add(p.getMetadata().getName());
            new io.vertx.core.json.JsonArray(r.body()).forEach(o -> ids.add(((JsonObject) o).getString("id")));
        }
        return ids;
    }

    /** The contract of a scheduled event's id: a name-based UUID of the Trigger's uid and the instant's epoch millis. */
    static String scheduledId(String uid, long epochMillis) {
        return java.util.UUID.nameUUIDFromBytes((uid + "/" + epochMillis).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    @Test
    void aHelmUpgradeRollsBothGatewaysWithoutAFailedCallOrALostEvent(TestCluster cluster) throws Exception {
        TestCluster.await(READY).until(() -> gateways(cluster).size() == 2 && leader(cluster) != null);
        function(cluster, "steady", "image: lambkin.local/netcheck:dev\nargs: [serve]\nconcurrency: {perInstance: 20}\n"
                + "scaling: {minInstances: 1, maxInstances: 1, idleSeconds: 600}");
        String ns = cluster.namespace();
        URI service = URI.create("http://" + cluster.client().services().inNamespace(ns).withName("lambkin-gateway").get().getSpec()
                .getClusterIP() + ":8080/functions/" + ns + "/steady");
        if (bearer == null) {
            bearer = Callers.bearer(cluster, "e2e-caller", "lambkin-invoker");
        }
        java.util.function.Function<String, HttpRequest> call = type -> HttpRequest.newBuilder(service).timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer).header("Lambkin-Invocation-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        TestCluster.await(READY).until(() -> http.send(call.apply("RequestResponse"), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        List<String> before = gateways(cluster).stream().map(p -> p.getMetadata().getName()).toList();

        // what the function's pods answered, gathered all along: a pod replaced meanwhile takes its own list with it
        java.util.Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> steadyPods = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (watching.get()) {
                try {
                    delivered.addAll(seen(cluster, "steady", steadyPods));
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception podGoneMeanwhile) {
                    // the next round asks the pods that are there then
                }
            }
        });
        java.util.concurrent.atomic.AtomicBoolean rolling = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 4; c++) {
                String type = c == 0 ? "Event" : "RequestResponse";
                callers.submit(() -> {
                    while (rolling.get()) {
                        try {
                            HttpResponse<String> r;
                            try {
                                r = http.send(call.apply(type), HttpResponse.BodyHandlers.ofString());
                            } catch (java.io.IOException closedUnderIt) {
                                // a kept-alive connection the stopping gateway closed as the request went out (HTTP/1.1's
                                // keep-alive race): tried again once on a new connection, as AWS SDKs and most clients do
                                reconnects.incrementAndGet();
                                r = http.send(call.apply(type), HttpResponse.BodyHandlers.ofString());
                            }
                            if (r.statusCode() == 202) {
                                accepted.add(r.headers().firstValue("Lambkin-Request-Id").orElseThrow());
                            } else if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(type + " " + r.statusCode() + " " + r.body());
                            }
                        } catch (java.io.IOException e) {
                            failures.add(type + " " + e);
                        }
                        Thread.sleep(50); // ~60 calls/s in all
                    }
                    return null;
                });
            }
            // a real helm upgrade that changes the gateway's pod template: both replicas roll
            helm.run("upgrade", "lambkin", TestCluster.projectRoot().resolve("helm/lambkin").toString(), "-n", ns, "--reuse-values",
                    "--set", "gateway.podAnnotations.rolled=r" + System.currentTimeMillis(), "--wait", "--timeout", "180s");
            TestCluster.await(READY).until(() -> gateways(cluster).size() == 2 && gateways(cluster).stream()
                    .noneMatch(p -> before.contains(p.getMetadata().getName())));
            int afterRollout = ok.get(); // and a while longer through the new replicas alone
            TestCluster.await(Duration.ofSeconds(30)).until(() -> ok.get() >= afterRollout + 40 || !failures.isEmpty());
            rolling.set(false);
        }
        // an event caught in a stopping gateway comes back after the ack wait (30 s); one that met a system error
        // while the replicas changed is retried with backoff, up to systemRetryMax (15 s here) apart
        java.util.Set<String> missing = new java.util.HashSet<>(accepted);
        long waited = System.nanoTime();
        try {
            TestCluster.await(Duration.ofMinutes(3)).until(() -> {
                missing.removeAll(delivered);
                return missing.isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException notAll) {
            // reported below, with the figures
        } finally {
            watching.set(false);
            watcher.join();
        }
        missing.removeAll(seen(cluster, "steady", steadyPods));
        System.out.printf("helm upgrade rolling two gateways: %d sync calls succeeded, %d failed %s; %d events accepted, %d not "
                + "delivered (the last delivered %d s after the rollout); %d calls met a connection closed under them and "
                + "succeeded on a new one; the function's pods: %s%n", ok.get(), failures.size(), failures, accepted.size(),
                missing.size(), Duration.ofNanos(System.nanoTime() - waited).toSeconds(), reconnects.get(), steadyPods);
        assertEquals(List.of(), failures, "no call failed while the gateways rolled");
        assertEquals(java.util.Set.of(), missing, "every accepted event was delivered");
        assertTrue(ok.get() > 50 && accepted.size() > 10, "calls flowed the whole time: " + ok.get() + " / " + accepted.size());
    }

    @Test
    void aRouteIsReadyOnceBothReplicasServeIt(TestCluster cluster) throws Exception {
        TestCluster.await(READY).until(() -> gateways(cluster).size() == 2 && leader(cluster) != null);
        function(cluster, "routed", "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {minInstances: 1}");
        String path = "/routed-" + cluster.namespace();
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Trigger
                metadata: {name: routed}
                spec: {function: routed, http: {path: %s}}
                """.formatted(path), dev.lambkin.api.v1alpha1.Trigger.class)).create();
        TestCluster.await(READY).until(() -> {
            var t = cluster.client().resources(dev.lambkin.api.v1alpha1.Trigger.class).inNamespace(cluster.namespace())
                    .withName("routed").get();
            return t.getStatus() != null && t.getStatus().conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
        // Ready: each replica routes it already, not just the leader
        for (Pod gw : gateways(cluster)) {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://" + gw.getStatus().getPodIP() + ":8080" + path + "/x"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), gw.getMetadata().getName() + ": " + r.body());
            assertTrue(r.body().startsWith("netcheck routed-"), r.body());
        }
    }

    @Test
    void aScheduleFiresOncePerInstantAcrossALeaderChangeAndAfterAnOutageOnlyTheLatestMissedInstant(TestCluster cluster)
            throws Exception {
        TestCluster.await(READY).until(() -> gateways(cluster).size() == 2 && leader(cluster) != null);
        function(cluster, "ticker", "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {minInstances: 1}");
        var trigger = cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Trigger
                metadata: {name: every-2s}
                spec: {function: ticker, schedule: {cron: "@every 2s"}}
                """, dev.lambkin.api.v1alpha1.Trigger.class)).create();
        TestCluster.await(READY).until(() -> seen(cluster, "ticker").size() >= 3);

        // the leader goes: the other replica takes the Lease and goes on firing
        String first = leader(cluster);
        cluster.client().pods().inNamespace(cluster.namespace()).withName(first).delete();
        TestCluster.await(READY).until(() -> leader(cluster) != null && !first.equals(leader(cluster)));
        int afterLeaderChange = seen(cluster, "ticker").size();
        TestCluster.await(READY).until(() -> seen(cluster, "ticker").size() >= afterLeaderChange + 3);

        // every gateway down for 8 s (4 instants), then back: the latest missed instant fires once, the others never
        var gatewayDeployment = cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName("lambkin-gateway");
        gatewayDeployment.scale(0);
        TestCluster.await(READY).until(() -> gateways(cluster).isEmpty() && cluster.client().pods().inNamespace(cluster.namespace())
                .withLabel("app.kubernetes.io/name", "lambkin-gateway").list().getItems().isEmpty());
        long down = System.currentTimeMillis();
        int beforeOutage = seen(cluster, "ticker").size();
        TestCluster.await(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(8))
                .until(() -> System.currentTimeMillis() - down >= 8000);
        gatewayDeployment.scale(2);
        TestCluster.await(READY).until(() -> seen(cluster, "ticker").size() >= beforeOutage + 3);

        List<String> ids = seen(cluster, "ticker");
        assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), "no instant fired twice: " + ids);
        String uid = trigger.getMetadata().getUid();
        java.util.Map<String, Long> instants = new java.util.HashMap<>();
        long created = java.time.Instant.parse(trigger.getMetadata().getCreationTimestamp()).toEpochMilli();
        for (long ms = created / 2000 * 2000; ms <= System.currentTimeMillis(); ms += 2000) {
            instants.put(scheduledId(uid, ms), ms);
        }
        List<Long> fired = ids.stream().map(instants::get).sorted().toList();
        assertTrue(fired.stream().allMatch(java.util.Objects::nonNull), "every event is one of the schedule's instants");
        long widestGap = 0;
        for (int i = 1; i < fired.size(); i++) {
            widestGap = Math.max(widestGap, fired.get(i) - fired.get(i - 1));
        }
        assertTrue(widestGap >= 6000, "the outage's missed instants were not all fired afterwards (no storm): " + fired);
    }
}
