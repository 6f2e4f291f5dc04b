package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Lambda's API judged by the AWS SDK for Java v2, unmodified but for the endpoint: requests signed with an access
 * key Secret are that ServiceAccount, and its RBAC decides.
 */
@QuarkusTest
@TestProfile(AwsApiIT.KeysOn.class)
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class AwsApiIT extends GatewayInThisJvm {
    /** Permission on, and SigV4 access keys on (they are off by default: the gateway then reads Secrets). */
    public static class KeysOn implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("lambkin.gateway.auth.mode", "kubernetes", "lambkin.gateway.auth.cache-ttl", "2s",
                    "lambkin.gateway.aws.access-keys", "true");
        }
    }

    static final String SECRET = "lambkin-test-secret-key-0123456789abcdef";

    /** An access key standing for the ServiceAccount, as a user would write it. */
    static String accessKey(TestCluster cluster, String serviceAccount) {
        AuthIT.token(cluster, serviceAccount); // creates the ServiceAccount
        String id = "AKIA" + cluster.namespace().replace("-", "").toUpperCase() + serviceAccount.toUpperCase().replace("-", "");
        cluster.client().secrets().inNamespace(cluster.namespace()).resource(new SecretBuilder().withNewMetadata()
                .withName(serviceAccount + "-key").addToLabels("lambkin.dev/access-key", "true")
                .addToAnnotations("lambkin.dev/service-account", serviceAccount).endMetadata()
                .addToStringData("accessKeyId", id).addToStringData("secretAccessKey", SECRET).build()).create();
        return id;
    }

    static LambdaClient lambda(String id, String secret) {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return LambdaClient.builder().endpointOverride(URI.create("http://localhost:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                // no retries: a 429 or 403 is the answer under test, not something to wait out
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)).apiCallTimeout(Duration.ofSeconds(90)))
                .build();
    }

    static String text(SdkBytes b) {
        return b.asString(StandardCharsets.UTF_8);
    }

    @Test
    void theSdkInvokesEveryWayWithAnAccessKey(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "hello", "image: lambkin.local/hello-java:dev\ntimeoutSeconds: 10\n"
                + "resources: {limits: {memory: 256Mi}}\nscaling: {idleSeconds: 600}");
        String id = accessKey(cluster, "deployer");
        AuthIT.grant(cluster, "deployer", "functions", "invoke", "get", "list");
        try (LambdaClient lambda = lambda(id, SECRET)) {
            InvokeResponse r = TestCluster.await(Duration.ofSeconds(60)).until(() -> {
                try {
                    return lambda.invoke(b -> b.functionName("hello").payload(SdkBytes.fromUtf8String("{\"name\": \"Ada\"}"))
                            .logType(LogType.TAIL));
                } catch (LambdaException refusedWhileTheRoleBindingIsNew) {
                    return null;
                }
            }, x -> x != null);
            assertEquals(200, r.statusCode());
            assertNull(r.functionError());
            assertEquals("$LATEST", r.executedVersion());
            assertEquals("Hello, Ada!", new JsonObject(text(r.payload())).getString("message"));
            String tail = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
            assertTrue(tail.contains("greeting Ada"), "the function's log: " + tail);
            assertTrue(tail.strip().lines().reduce((a, b) -> b).orElse("").startsWith("REPORT RequestId: "), "ends with REPORT: " + tail);
            assertTrue(r.responseMetadata().requestId() != null && !r.responseMetadata().requestId().isEmpty());

            // the ARN names the namespace in the account field
            String arn = "arn:aws:lambda:us-east-1:" + cluster.namespace() + ":function:hello";
            assertEquals(200, lambda.invoke(b -> b.functionName(arn).payload(SdkBytes.fromUtf8String("{\"name\": \"Bo\"}"))).statusCode());
            assertEquals(202, lambda.invoke(b -> b.functionName("hello").invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"name\": \"Cy\"}"))).statusCode());
            assertEquals(204, lambda.invoke(b -> b.functionName("hello").invocationType(InvocationType.DRY_RUN)).statusCode());

            InvokeResponse failed = lambda.invoke(b -> b.functionName("hello").payload(SdkBytes.fromUtf8String("{}")));
            assertEquals(200, failed.statusCode());
            assertEquals("Handled", failed.functionError());
            assertEquals("MissingName", new JsonObject(text(failed.payload())).getString("errorType"), text(failed.payload()));

            var missing = assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(b -> b.functionName("nope")));
            assertEquals(404, missing.statusCode());

            var fn = lambda.getFunction(b -> b.functionName("hello"));
            assertEquals("hello", fn.configuration().functionName());
            assertEquals(arn, fn.configuration().functionArn());
            assertEquals("Image", fn.configuration().packageTypeAsString());
            assertEquals(256, fn.configuration().memorySize());
            assertEquals(10, fn.configuration().timeout());
            assertEquals("Active", fn.configuration().stateAsString());
            assertEquals("lambkin.local/hello-java:dev", fn.code().imageUri());
            assertEquals(arn, lambda.getFunctionConfiguration(b -> b.functionName("hello")).functionArn());
        }
    }

    @Test
    void listingIsPagedAndThrottlingIsTooManyRequests(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "alpha", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        Gateway.function(cluster, "beta", "image: lambkin.local/netcheck:dev\nargs: [serve]\nconcurrency: {reserved: 0}");
        String id = accessKey(cluster, "lister");
        AuthIT.grant(cluster, "lister", "functions", "invoke", "list");
        try (LambdaClient lambda = lambda(id, SECRET)) {
            var first = TestCluster.await(Duration.ofSeconds(30)).until(() -> {
                try {
                    return lambda.listFunctions(b -> b.maxItems(1));
                } catch (LambdaException refusedWhileTheRoleBindingIsNew) {
                    return null;
                }
            }, x -> x != null);
            // one per page, in name order, to the last page, which has no marker (other tests' functions share the namespace)
            List<String> names = new java.util.ArrayList<>();
            var page = first;
            while (true) {
                assertEquals(1, page.functions().size(), page.toString());
                names.add(page.functions().getFirst().functionName());
                if (page.nextMarker() == null) {
                    break;
                }
                String marker = page.nextMarker();
                page = lambda.listFunctions(b -> b.maxItems(1).marker(marker));
            }
            assertTrue(names.containsAll(List.of("alpha", "beta")), names.toString());
            assertEquals(names.stream().sorted().toList(), names, "in name order, none twice");
            assertEquals(names.stream().distinct().count(), names.size());
            var throttled = assertThrows(TooManyRequestsException.class, () -> lambda.invoke(b -> b.functionName("beta")));
            assertEquals(429, throttled.statusCode());
            assertEquals("ReservedFunctionConcurrentInvocationLimitExceeded", throttled.reasonAsString());
        }
    }

    @Test
    void aWrongSecretAnUnknownKeyAndNoPermissionAreRefused(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "guarded", "image: lambkin.local/netcheck:dev\nargs: [serve]");
        String id = accessKey(cluster, "intruder");
        TestCluster.await(Duration.ofSeconds(30)).until(() -> {
            try (LambdaClient lambda = lambda(id, SECRET)) {
                lambda.invoke(b -> b.functionName("guarded"));
                return null;
            } catch (LambdaException e) {
                return e.awsErrorDetails().errorCode();
            }
        }, code -> "AccessDeniedException".equals(code)); // known key, no RoleBinding
        try (LambdaClient wrong = lambda(id, "not-the-secret")) {
            var e = assertThrows(LambdaException.class, () -> wrong.invoke(b -> b.functionName("guarded")));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        try (LambdaClient unknown = lambda("AKIANOSUCHKEY", SECRET)) {
            var e = assertThrows(LambdaException.class, () -> unknown.invoke(b -> b.functionName("guarded")));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
        // a bearer token works on this API too, and no credentials at all is Lambda's answer for that
        var bearer = gateway.send("POST", "/2015-03-31/functions/" + cluster.namespace() + ":function:guarded/invocations", "{}",
                "Authorization", "Bearer not-a-token");
        assertEquals(403, bearer.statusCode(), bearer.body());
        assertEquals("UnrecognizedClientException", bearer.headers().firstValue("x-amzn-ErrorType").orElse(null));
        var none = gateway.send("POST", "/2015-03-31/functions/guarded/invocations", "{}");
        assertEquals("MissingAuthenticationTokenException", none.headers().firstValue("x-amzn-ErrorType").orElse(null));
        assertEquals("User", new JsonObject(none.body()).getString("Type"));
    }
}
