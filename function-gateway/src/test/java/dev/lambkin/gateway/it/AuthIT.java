package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * Invocation needs permission: real ServiceAccount tokens, the API server's TokenReview and SubjectAccessReview,
 * RBAC Roles granting the verb "invoke" on functions.lambkin.dev (and get/purge on deadletterqueues).
 */
@QuarkusTest
@TestProfile(AuthIT.AuthOn.class)
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class AuthIT extends GatewayInThisJvm {
    /** The chart's default, with a short cache so a revoked binding shows quickly. */
    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lambkin.gateway.auth.mode", "kubernetes", "lambkin.gateway.auth.cache-ttl", "2s");
        }
    }

    static String token(TestCluster cluster, String serviceAccount) {
        var sa = cluster.client().serviceAccounts().inNamespace(cluster.namespace()).withName(serviceAccount);
        if (sa.get() == null) {
            cluster.client().serviceAccounts().inNamespace(cluster.namespace()).resource(
                    new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName(serviceAccount)
                            .endMetadata().build()).create();
        }
        return sa.tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();
    }

    static void grant(TestCluster cluster, String serviceAccount, String resource, String... verbs) {
        String name = serviceAccount + "-" + resource;
        cluster.client().rbac().roles().inNamespace(cluster.namespace()).resource(new RoleBuilder().withNewMetadata()
                .withName(name).endMetadata().addNewRule().withApiGroups("lambkin.dev").withResources(resource).withVerbs(verbs)
                .endRule().build()).serverSideApply();
        cluster.client().rbac().roleBindings().inNamespace(cluster.namespace()).resource(new RoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role").withName(name).endRoleRef().addNewSubject().withKind("ServiceAccount").withName(serviceAccount)
                .withNamespace(cluster.namespace()).endSubject().build()).serverSideApply();
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static void assertRefused(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(status == 401 ? "UnauthorizedException" : "AccessDeniedException", body.getString("type"), r.body());
        if (status == 401) {
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
        }
    }

    @Test
    void noTokenOrAGarbageTokenIs401(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "guarded", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        assertRefused(401, gateway.invoke(cluster, "guarded", "{}"));
        assertRefused(401, gateway.invoke(cluster, "guarded", "{}", "Authorization", "Basic dXNlcjpwYXNz"));
        assertRefused(401, gateway.invoke(cluster, "guarded", "{}", "Authorization", bearer("not-a-token")));
        assertRefused(401, gateway.send("GET", "/deadletterqueues/" + cluster.namespace() + "/any", null));
    }

    @Test
    void aServiceAccountNeedsTheInvokeVerbInItsNamespaceAndLosesItWhenRevoked(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "secured", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        String stranger = token(cluster, "stranger"), caller = token(cluster, "caller");
        var denied = gateway.invoke(cluster, "secured", "{}", "Authorization", bearer(stranger));
        assertRefused(403, denied);
        assertTrue(new JsonObject(denied.body()).getString("message").contains("cannot invoke functions.lambkin.dev \"secured\""),
                denied.body());
        assertRefused(403, gateway.invoke(cluster, "secured", "{}", "Authorization", bearer(stranger), "Lambkin-Invocation-Type", "Event"));

        grant(cluster, "caller", "functions", "invoke");
        var allowed = TestCluster.await(Duration.ofSeconds(30)).until(
                () -> gateway.invoke(cluster, "secured", "{}", "Authorization", bearer(caller)), r -> r.statusCode() == 200);
        assertTrue(allowed.body().startsWith("netcheck "), allowed.body());
        assertEquals(202, gateway.invoke(cluster, "secured", "{}", "Authorization", bearer(caller),
                "Lambkin-Invocation-Type", "Event").statusCode());
        // another namespace's function: refused before the gateway says whether it exists
        assertRefused(403, gateway.send("POST", "/functions/kube-system/anything", "{}", "Authorization", bearer(caller)));

        cluster.client().rbac().roleBindings().inNamespace(cluster.namespace()).withName("caller-functions").delete();
        TestCluster.await(Duration.ofSeconds(30)).until(
                () -> gateway.invoke(cluster, "secured", "{}", "Authorization", bearer(caller)), r -> r.statusCode() == 403);
    }

    @Test
    void theDeadLetterApiNeedsGetToReadAndPurgeToPurge(TestCluster cluster) throws Exception {
        String reader = token(cluster, "reader");
        String queue = "/deadletterqueues/" + cluster.namespace() + "/nothing-here";
        assertRefused(403, gateway.send("GET", queue, null, "Authorization", bearer(reader)));
        grant(cluster, "reader", "deadletterqueues", "get");
        // allowed to look: the queue does not exist, and now the caller may be told so
        TestCluster.await(Duration.ofSeconds(30)).until(() -> gateway.send("GET", queue, null, "Authorization", bearer(reader)),
                r -> r.statusCode() == 404);
        assertRefused(403, gateway.send("DELETE", queue + "/messages", null, "Authorization", bearer(reader)));
        assertRefused(403, gateway.send("POST", queue + "/redrive", "", "Authorization", bearer(reader)));
    }

    @Test
    void aRouteWithKubernetesAuthNeedsTheInvokeVerbAndKeepsTheTokenFromTheFunction(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "till", RouteIT.PROBE);
        String path = "/till-" + cluster.namespace();
        RouteIT.trigger(cluster, "till-route", "{function: till, http: {path: " + path + ", auth: kubernetes}}");
        RouteIT.awaitReady(cluster, "till-route", "True", "Armed");
        assertRefused(401, gateway.send("GET", path, null));
        String cashier = token(cluster, "cashier");
        assertRefused(403, gateway.send("GET", path, null, "Authorization", bearer(cashier)));
        grant(cluster, "cashier", "functions", "invoke");
        var allowed = TestCluster.await(Duration.ofSeconds(30)).until(
                () -> gateway.send("GET", path, null, "Authorization", bearer(cashier)), r -> r.statusCode() == 200);
        JsonObject headers = new JsonObject(allowed.body()).getJsonObject("headers");
        assertFalse(headers.containsKey("authorization"), "the caller's token is not the function's: " + headers);
    }
}
