package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * HTTP routes: an http Trigger is Ready once the gateway routes it; a request becomes the function URL event
 * (payload 2.0) of a Java SDK function written for function URLs, and its response object the answer.
 */
@QuarkusTest
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class RouteIT extends GatewayInThisJvm {
    static final String PROBE = "image: lambkin.local/sdk-probe:dev\nresources: {limits: {memory: 256Mi}}\nscaling: {idleSeconds: 600}";

    static void trigger(TestCluster cluster, String name, String spec) {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Trigger
                metadata: {name: %s}
                spec: %s
                """.formatted(name, spec), Trigger.class)).create();
    }

    static Condition ready(TestCluster cluster, String name) {
        Trigger t = cluster.client().resources(Trigger.class).inNamespace(cluster.namespace()).withName(name).get();
        return t == null || t.getStatus() == null ? null
                : t.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }

    static void awaitReady(TestCluster cluster, String name, String status, String reason) {
        TestCluster.await(Gateway.START).until(() -> ready(cluster, name),
                c -> c != null && status.equals(c.getStatus()) && reason.equals(c.getReason()));
    }

    @Test
    void aRouteGivesItsFunctionAFunctionUrlEventAndAnswersWithItsResponse(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "shop", PROBE);
        trigger(cluster, "shop-route", "{function: shop, http: {path: /shop-" + cluster.namespace() + ", methods: [GET, POST]}}");
        awaitReady(cluster, "shop-route", "True", "Armed");
        String path = "/shop-" + cluster.namespace();

        HttpResponse<String> r = gateway.send("POST", path + "/cart/items?status=201&tag=a&tag=b", "{\"sku\": 7}",
                "Content-Type", "application/json", "Cookie", "session=abc; theme=dark", "X-Custom", "yes");
        assertEquals(201, r.statusCode(), "the function's statusCode: " + r.body());
        assertEquals(List.of("probe=seen; Path=/"), r.headers().allValues("Set-Cookie"), "its cookies");
        assertTrue(r.headers().firstValue("x-probe-pod").orElse("").startsWith("shop-"), "its headers: " + r.headers());
        assertTrue(r.headers().firstValue("Lambkin-Request-Id").isPresent());
        JsonObject event = new JsonObject(r.body());
        assertEquals("2.0", event.getString("version"));
        assertEquals(path + "/cart/items", event.getString("rawPath"));
        assertEquals("status=201&tag=a&tag=b", event.getString("rawQueryString"));
        assertEquals(new JsonObject().put("status", "201").put("tag", "a,b"), event.getJsonObject("queryStringParameters"));
        assertEquals(new JsonArray().add("session=abc").add("theme=dark"), event.getJsonArray("cookies"));
        assertEquals("yes", event.getJsonObject("headers").getString("x-custom"));
        assertEquals("{\"sku\": 7}", event.getString("body"));
        assertFalse(event.getBoolean("isBase64Encoded"));
        JsonObject http = event.getJsonObject("requestContext").getJsonObject("http");
        assertEquals("POST", http.getString("method"));
        assertEquals("127.0.0.1", http.getString("sourceIp"));
        assertEquals(r.headers().firstValue("Lambkin-Request-Id").get(), event.getJsonObject("requestContext").getString("requestId"));
        assertEquals(cluster.namespace(), event.getJsonObject("requestContext").getString("accountId"));

        // a result that is not a response object: a 200 JSON body as it is
        HttpResponse<String> plain = gateway.send("GET", path + "?answer=plain", null);
        assertEquals(200, plain.statusCode(), plain.body());
        assertEquals("application/json", plain.headers().firstValue("Content-Type").orElse(null));
        assertEquals(Boolean.TRUE, new JsonObject(plain.body()).getBoolean("plain"));

        HttpResponse<String> wrongMethod = gateway.send("DELETE", path, null);
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertEquals("GET, POST", wrongMethod.headers().firstValue("Allow").orElse(null));
        assertEquals("MethodNotAllowedException", new JsonObject(wrongMethod.body()).getString("type"));
        HttpResponse<String> nowhere = gateway.send("GET", path + "x", null);
        assertEquals(404, nowhere.statusCode(), "a route is whole path segments: " + nowhere.body());
        assertEquals("NotFoundException", new JsonObject(nowhere.body()).getString("type"));

        TestCluster.await(Duration.ofSeconds(30)).until(() -> cluster.client().resources(Trigger.class)
                .inNamespace(cluster.namespace()).withName("shop-route").get().getStatus().lastFired != null);
    }

    @Test
    void corsPreflightsAreAnsweredByTheGatewayAndAnswersCarryTheOrigin(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "widget", PROBE);
        String path = "/widget-" + cluster.namespace();
        trigger(cluster, "widget-route", "{function: widget, http: {path: " + path + ", methods: [POST], cors: "
                + "{allowOrigins: [\"https://app.example.com\"], allowHeaders: [content-type], exposeHeaders: [x-probe-pod], maxAge: 600}}}");
        awaitReady(cluster, "widget-route", "True", "Armed");
        HttpResponse<String> preflight = gateway.send("OPTIONS", path, null, "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals("https://app.example.com", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("POST", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
        assertEquals("content-type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        assertEquals("600", preflight.headers().firstValue("Access-Control-Max-Age").orElse(null));
        HttpResponse<String> foreign = gateway.send("OPTIONS", path, null, "Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "POST");
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS for an origin not allowed");

        HttpResponse<String> call = gateway.send("POST", path, "{}", "Origin", "https://app.example.com", "Content-Type", "application/json");
        assertEquals(200, call.statusCode(), call.body());
        assertEquals("https://app.example.com", call.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("x-probe-pod", call.headers().firstValue("Access-Control-Expose-Headers").orElse(null));
    }

    @Test
    void theOlderTriggerKeepsAPathAndTheNewerOneSaysWhy(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "first", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        String path = "/taken-" + cluster.namespace();
        trigger(cluster, "owner", "{function: first, http: {path: " + path + "}}");
        awaitReady(cluster, "owner", "True", "Armed");
        // creation times are whole seconds: the other is created a second later, and its name sorts first, so only
        // its age can make it lose
        Instant created = Instant.parse(cluster.client().resources(Trigger.class).inNamespace(cluster.namespace())
                .withName("owner").get().getMetadata().getCreationTimestamp());
        TestCluster.await(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(created.plusSeconds(1)));
        trigger(cluster, "a-latecomer", "{function: first, http: {path: " + path + ", methods: [GET]}}");
        awaitReady(cluster, "a-latecomer", "False", "RouteConflict");
        assertTrue(ready(cluster, "a-latecomer").getMessage().contains(cluster.namespace() + "/owner"), ready(cluster, "a-latecomer").getMessage());
        // the owner gone, the other takes the path
        cluster.client().resources(Trigger.class).inNamespace(cluster.namespace()).withName("owner").delete();
        awaitReady(cluster, "a-latecomer", "True", "Armed");
        HttpResponse<String> r = gateway.send("GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("netcheck first-"), "netcheck's answer as a 200 body: " + r.body());
    }

    @Test
    void anAsyncRouteQueuesTheEventAndAnswers202(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "inbox", "image: lambkin.local/netcheck:dev\nargs: [serve]\nscaling: {idleSeconds: 600}");
        String path = "/inbox-" + cluster.namespace();
        trigger(cluster, "inbox-route", "{function: inbox, invocationType: async, http: {path: " + path + ", methods: [POST]}}");
        awaitReady(cluster, "inbox-route", "True", "Armed");
        HttpResponse<String> r = gateway.send("POST", path, "hello", "Content-Type", "text/plain");
        assertEquals(202, r.statusCode(), r.body());
        String id = r.headers().firstValue("Lambkin-Request-Id").orElseThrow();
        TestCluster.await(Gateway.START).until(() -> gateway.seen(cluster, "inbox").stream()
                .anyMatch(s -> id.equals(((JsonObject) s).getString("id"))));
    }

    @Test
    void theGatewaysOwnPathsCannotBeClaimed(TestCluster cluster) {
        var refused = assertThrows(KubernetesClientException.class,
                () -> trigger(cluster, "hijack", "{function: any, http: {path: /functions/" + cluster.namespace() + "}}"));
        assertEquals(422, refused.getCode());
        assertNotNull(refused.getMessage());
        assertTrue(refused.getMessage().contains("gateway's own prefixes"), refused.getMessage());
    }
}
