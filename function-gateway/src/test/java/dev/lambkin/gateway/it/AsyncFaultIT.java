package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lambkin.testing.Clusters;
import dev.lambkin.testing.NatsServer;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.json.JsonObject;

/**
 * Nothing accepted is lost when processes die: the gateway (its own process here) is killed with SIGKILL while
 * 1,000 events are in flight and started again; then the NATS server is killed and restarted under load. Every
 * event answered 202 must reach the function (it records the request ids it saw); duplicates are allowed and
 * counted. And a gateway stopped the polite way (SIGTERM) drains: calls in flight finish, new ones get 503. This
 * class has its own NATS server, gateway and operator, so stopping them touches no other test.
 */
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class AsyncFaultIT {
    static final int EVENTS = 1000;
    static NatsServer nats;
    static JavaApp operator;
    static JavaApp gateway;
    static Gateway client;

    @BeforeAll
    static void start() throws IOException {
        nats = NatsServer.startPrivate();
        operator = OperatorProcess.start(nats.url());
        int port, managementPort;
        try (ServerSocket s = new ServerSocket(0); ServerSocket m = new ServerSocket(0)) {
            port = s.getLocalPort();
            managementPort = m.getLocalPort();
        }
        gateway = new JavaApp("gateway", "function-gateway", List.of("-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort), Map.of(
                "KUBECONFIG", Clusters.get().kubeconfig().toString(),
                "LAMBKIN_NATS_URL", nats.url(),
                // a killed gateway's events come back after 5 s rather than Lambda-like minutes
                "LAMBKIN_GATEWAY_ASYNC_ACK_WAIT", "5s",
                "LAMBKIN_GATEWAY_ASYNC_SYSTEM_RETRY_INITIAL", "200ms",
                "LAMBKIN_GATEWAY_ASYNC_SYSTEM_RETRY_MAX", "2s",
                // this class is about faults; AuthIT judges permissions
                "LAMBKIN_GATEWAY_AUTH_MODE", "none")).start();
        client = new Gateway(port, managementPort);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        if (operator != null) {
            operator.stop();
        }
        if (nats != null) {
            nats.kill();
        }
    }

    /** What a run saw: ids answered 202, and how often the clients had to try again. */
    record Run(Set<String> accepted, int clientRetries) {
    }

    /**
     * Sends EVENTS events from 16 callers; each caller tries again (as a client would) until it gets 202. When
     * half are accepted, {@code fault} runs on its own thread while the callers keep going.
     */
    Run send(TestCluster cluster, String function, Runnable fault) throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger(), retries = new AtomicInteger();
        AtomicInteger faulted = new AtomicInteger();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 16; c++) {
                callers.submit(() -> {
                    while (next.getAndIncrement() < EVENTS) {
                        for (int tries = 0; ; tries++) {
                            try {
                                HttpResponse<String> r = client.invoke(cluster, function, "{\"sleepMs\": 100}",
                                        "Lambkin-Invocation-Type", "Event");
                                if (r.statusCode() == 202) {
                                    accepted.add(r.headers().firstValue("Lambkin-Request-Id").orElseThrow());
                                    break;
                                }
                                assertEquals(503, r.statusCode(), "only 'cannot store it now' may refuse an event: " + r.body());
                            } catch (IOException connectionLost) {
                                // the gateway is down: try again
                            }
                            retries.incrementAndGet();
                            assertTrue(tries < 600, "no 202 within a minute");
                            Thread.sleep(100); // a client's back-off between tries
                        }
                        if (accepted.size() >= EVENTS / 2 && faulted.compareAndSet(0, 1)) {
                            Thread.ofVirtual().start(fault);
                        }
                    }
                    return null;
                });
            }
        }
        return new Run(accepted, retries.get());
    }

    /** Waits until the function has seen every accepted id; prints the counts. */
    void assertAllDelivered(TestCluster cluster, String function, Run run, String fault) throws Exception {
        TestCluster.await(Duration.ofMinutes(4)).until(() -> {
            Set<String> seen = new HashSet<>();
            client.seen(cluster, function).forEach(o -> seen.add(((JsonObject) o).getString("id")));
            return seen.containsAll(run.accepted());
        });
        var calls = client.seen(cluster, function);
        Set<String> unique = new HashSet<>();
        calls.forEach(o -> unique.add(((JsonObject) o).getString("id")));
        Set<String> missing = new HashSet<>(run.accepted());
        missing.removeAll(unique);
        System.out.printf("%s: %d events accepted (clients retried %d times), %d delivered, %d lost, %d duplicate deliveries%n",
                fault, run.accepted().size(), run.clientRetries(), unique.size(), missing.size(), calls.size() - unique.size());
        assertEquals(EVENTS, run.accepted().size(), "every event was accepted in the end");
        assertEquals(Set.of(), missing, "no accepted event is lost");
    }

    void recorder(TestCluster cluster, String name) {
        Gateway.function(cluster, name, """
                image: lambkin.local/netcheck:dev
                args: [serve]
                timeoutSeconds: 10
                concurrency: {perInstance: 20}
                scaling: {minInstances: 1, maxInstances: 1, idleSeconds: 600}""");
        TestCluster.await(Gateway.START).until(() -> !Gateway.podIps(cluster, name).isEmpty()
                && client.invoke(cluster, name, "{}").statusCode() == 200);
    }

    @Test
    void killingTheGatewayWhileEventsAreInFlightLosesNone(TestCluster cluster) throws Exception {
        recorder(cluster, "recorder");
        Run run = send(cluster, "recorder", () -> {
            gateway.kill();
            gateway.start();
        });
        assertAllDelivered(cluster, "recorder", run, "gateway kill -9");
    }

    @Test
    void killingTheGatewayWhileItReadsAStreamForATriggerLosesNoMessage(TestCluster cluster) throws Exception {
        recorder(cluster, "ledger");
        String stream = "FAULTS_" + cluster.namespace().replace('-', '_').toUpperCase(), subject = "faults." + cluster.namespace() + ".in";
        int messages = 400;
        try (Connection c = Nats.connect(nats.url())) {
            c.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream).subjects(subject)
                    .storageType(StorageType.File).build());
            RouteIT.trigger(cluster, "ledger-in", "{function: ledger, nats: {subject: \"" + subject + "\", stream: " + stream + "}}");
            // armed once this gateway's durable consumer exists (not the Trigger's Ready: a gateway of another test
            // class may still run in this JVM, and it reports the stream missing from its own NATS)
            TestCluster.await(Duration.ofSeconds(60)).until(() -> !c.jetStreamManagement().getConsumerNames(stream).isEmpty());
            for (int i = 0; i < messages / 2; i++) {
                c.jetStream().publish(subject, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            TestCluster.await(Duration.ofSeconds(60)).until(() -> sequences(cluster, "ledger").size() >= messages / 8);
            gateway.kill();
            for (int i = messages / 2; i < messages; i++) {
                c.jetStream().publish(subject, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8)); // stored while no gateway reads
            }
            gateway.start();
        }
        TestCluster.await(Duration.ofMinutes(3)).until(() -> sequences(cluster, "ledger").size() == messages);
        List<Long> delivered = new java.util.ArrayList<>();
        client.seen(cluster, "ledger").forEach(o -> {
            JsonObject e = new JsonObject(((JsonObject) o).getString("event"));
            if (e.containsKey("sequence")) {
                delivered.add(e.getLong("sequence"));
            }
        });
        System.out.printf("stream trigger, gateway kill -9: %d messages, %d delivered, %d duplicate deliveries%n", messages,
                new HashSet<>(delivered).size(), delivered.size() - new HashSet<>(delivered).size());
        Set<Long> all = new HashSet<>();
        for (long n = 1; n <= messages; n++) {
            all.add(n);
        }
        assertEquals(all, new HashSet<>(delivered), "every stored message invoked the function");
    }

    /** The stream sequences of the events a netcheck function got from a nats Trigger. */
    Set<Long> sequences(TestCluster cluster, String function) throws Exception {
        Set<Long> seen = new HashSet<>();
        client.seen(cluster, function).forEach(o -> {
            JsonObject e = new JsonObject(((JsonObject) o).getString("event"));
            if (e.containsKey("sequence")) {
                seen.add(e.getLong("sequence"));
            }
        });
        return seen;
    }

    @Test
    void restartingNatsUnderLoadLosesNone(TestCluster cluster) throws Exception {
        recorder(cluster, "survivor");
        Run run = send(cluster, "survivor", () -> {
            nats.kill();
            nats.start();
        });
        assertAllDelivered(cluster, "survivor", run, "NATS kill -9 and restart");
    }

    @Test
    void aGatewayStoppedWithSigtermFinishesCallsInFlightAndStillServesWhileItDrains(TestCluster cluster) throws Exception {
        recorder(cluster, "drained");
        var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return client.invoke(cluster, "drained", "{\"sleepMs\": 3000}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TestCluster.await(Duration.ofSeconds(10)).until(() -> client.seen(cluster, "drained").size() >= 2); // warm-up + this
        Thread stopping = Thread.ofVirtual().start(gateway::stop);
        // readiness goes down at once, so the Service sends no more traffic ...
        TestCluster.await(Duration.ofSeconds(5)).until(() -> client.manage("/q/health/ready").statusCode() == 503);
        // ... but a call that still arrives (kube-proxy lagging, a kept-alive connection) is served, not refused,
        // and its answer closes the connection so the client's next call goes to another replica
        // (HTTP/1.1, as curl and most clients speak it; an HTTP/2 connection gets a GOAWAY instead of the header)
        var http11 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> late = http11.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(client.base
                + "/functions/" + cluster.namespace() + "/drained")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, late.statusCode(), late.body());
        assertEquals("close", late.headers().firstValue("Connection").orElse(null), late.headers().toString());
        HttpResponse<String> lateH2 = client.invoke(cluster, "drained", "{}"); // the JDK client's default: h2c
        assertEquals(200, lateH2.statusCode(), lateH2.body());
        assertEquals(200, inFlight.get().statusCode(), "the call in flight finished");
        stopping.join();
    }

    @org.junit.jupiter.api.AfterEach
    void aGatewayForTheNextTest() {
        gateway.start(); // a no-op when it runs (a test that stopped or killed it may have failed before starting it)
    }
}
