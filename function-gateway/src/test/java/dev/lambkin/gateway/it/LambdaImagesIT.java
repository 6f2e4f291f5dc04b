package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * Container images written for AWS Lambda, on AWS's own runtime interface clients (Java, Python) and a custom
 * runtime's bootstrap (AWS's Go library), run unchanged
 * with {@code runtimeApi: lambda} and are called with the AWS SDK: from zero, with Lambda's context, errors and
 * crashes as Lambda reports them. Same profile as AwsApiIT (access keys on), so one gateway serves both.
 */
@QuarkusTest
@TestProfile(AwsApiIT.KeysOn.class)
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster(namespaceLabels = "pod-security.kubernetes.io/enforce=restricted")
class LambdaImagesIT extends GatewayInThisJvm {
    /** Lambda's X-Amz-Client-Context: base64 of the client's JSON. */
    static final String CLIENT_CONTEXT = Base64.getEncoder().encodeToString(
            "{\"client\": {}, \"custom\": {\"tenant\": \"t-42\"}, \"env\": {}}".getBytes(StandardCharsets.UTF_8));

    /** An SDK client signing with an access key of a ServiceAccount allowed to invoke. */
    static LambdaClient caller(TestCluster cluster, String serviceAccount) {
        String id = AwsApiIT.accessKey(cluster, serviceAccount);
        AuthIT.grant(cluster, serviceAccount, "functions", "invoke");
        return AwsApiIT.lambda(id, AwsApiIT.SECRET);
    }

    /** The first call, from zero instances, once the caller's RoleBinding is in the gateway's view. */
    static InvokeResponse firstCall(LambdaClient lambda, String function, String event) {
        return TestCluster.await(Duration.ofSeconds(90)).until(() -> {
            try {
                return lambda.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(event))
                        .clientContext(CLIENT_CONTEXT).logType(LogType.TAIL));
            } catch (LambdaException e) {
                if (e.statusCode() == 403) {
                    return null; // refused while the RoleBinding is new to the gateway
                }
                throw e;
            }
        }, r -> r != null);
    }

    /** The first call from zero, printed with how long it took (a figure of the run, not an assertion). */
    static InvokeResponse timedFirstCall(LambdaClient lambda, String function, String kind) {
        long t0 = System.nanoTime();
        InvokeResponse first = firstCall(lambda, function, "{\"name\": \"Ada\"}");
        System.out.printf("%s (%s): first call from zero answered in %d ms%n", function, kind, (System.nanoTime() - t0) / 1_000_000);
        return first;
    }

    /** An event that makes the handler fail: Lambda's Unhandled error with the runtime's type and message. */
    static JsonObject assertUnhandled(LambdaClient lambda, String function, String event, String errorType, String errorMessage) {
        InvokeResponse failed = lambda.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(event)));
        assertEquals(200, failed.statusCode());
        assertEquals("Unhandled", failed.functionError(), "a thrown error, as Lambda reports it");
        JsonObject error = new JsonObject(AwsApiIT.text(failed.payload()));
        assertEquals(errorType, error.getString("errorType"), error.encode());
        assertEquals(errorMessage, error.getString("errorMessage"));
        return error;
    }

    static String tail(InvokeResponse r) {
        return new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
    }

    /** What Lambda's context told the handler, checked against what Lambda would have said. */
    static void assertLambdaContext(TestCluster cluster, String function, int memoryMb, int timeoutSeconds, InvokeResponse r) {
        assertEquals(200, r.statusCode());
        assertNull(r.functionError(), AwsApiIT.text(r.payload()));
        JsonObject seen = new JsonObject(AwsApiIT.text(r.payload()));
        assertEquals("Hello, Ada!", seen.getString("greeting"), seen.encode());
        assertEquals(r.responseMetadata().requestId(), seen.getString("requestId"), "the request id the caller got: " + seen);
        assertEquals(function, seen.getString("functionName"));
        assertEquals("$LATEST", seen.getString("functionVersion"));
        assertEquals("arn:aws:lambda:us-east-1:" + cluster.namespace() + ":function:" + function, seen.getString("invokedFunctionArn"));
        assertEquals(memoryMb, seen.getInteger("memoryLimitInMB"));
        long remaining = seen.getLong("remainingTimeInMillis");
        assertTrue(remaining > 0 && remaining <= timeoutSeconds * 1000L, "remaining time within the timeout: " + remaining);
        assertEquals("/aws/lambda/" + function, seen.getString("logGroupName"));
        assertTrue(seen.getString("logStreamName").startsWith(function + "-"), "the instance's pod: " + seen);
        assertEquals(new JsonObject().put("tenant", "t-42"), seen.getJsonObject("clientContextCustom"), seen.encode());
        assertEquals("us-east-1", seen.getString("region"));
        assertTrue(seen.getString("traceId").startsWith("Root=1-"), "an X-Ray trace header: " + seen);
        String tail = tail(r);
        assertTrue(tail.contains("greeting Ada"), "the handler's own log line: " + tail);
        assertTrue(tail.strip().lines().reduce((a, b) -> b).orElse("").startsWith("REPORT RequestId: " + r.responseMetadata().requestId()),
                "ends with REPORT: " + tail);
    }

    @Test
    void aJavaImageOnAwsRuntimeInterfaceClientRunsUnchanged(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "lambda-java", "image: lambkin.local/hello-lambda-java:dev\nruntimeApi: lambda\n"
                + "handler: example.Hello::handleRequest\ntimeoutSeconds: 10\nresources: {limits: {memory: 512Mi}}\n"
                + "scaling: {idleSeconds: 600}");
        try (LambdaClient lambda = caller(cluster, "java-caller")) {
            assertLambdaContext(cluster, "lambda-java", 512, 10, timedFirstCall(lambda, "lambda-java", "Java runtime interface client"));
            JsonObject error = assertUnhandled(lambda, "lambda-java", "{\"name\": \"Bo\", \"fail\": \"no such order\"}",
                    "java.lang.IllegalStateException", "no such order");
            assertTrue(error.getJsonArray("stackTrace").encode().contains("example.Hello.handleRequest"), error.encode());

            // the environment stays warm after a function error: the next event is no cold start
            InvokeResponse again = lambda.invoke(b -> b.functionName("lambda-java").payload(SdkBytes.fromUtf8String("{\"name\": \"Cy\"}"))
                    .logType(LogType.TAIL));
            assertEquals("Hello, Cy!", new JsonObject(AwsApiIT.text(again.payload())).getString("greeting"));
            assertTrue(tail(again).contains("Cold Start: false"), tail(again));
        }
    }

    @Test
    void aPythonImageOnAwsRuntimeInterfaceClientRunsUnchanged(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "lambda-python", "image: lambkin.local/hello-lambda-python:dev\nruntimeApi: lambda\n"
                + "handler: app.handler\ntimeoutSeconds: 5\nresources: {limits: {memory: 256Mi}}\nscaling: {idleSeconds: 600}");
        try (LambdaClient lambda = caller(cluster, "python-caller")) {
            assertLambdaContext(cluster, "lambda-python", 256, 5, timedFirstCall(lambda, "lambda-python", "Python runtime interface client"));
            assertUnhandled(lambda, "lambda-python", "{\"fail\": \"bad input\"}", "ValueError", "bad input");
        }
        // through Lambkin's own API: the caller's trace reaches the handler as Lambda's trace header
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var traced = gateway.invoke(cluster, "lambda-python", "{\"name\": \"Ada\"}", "Authorization",
                AuthIT.bearer(AuthIT.token(cluster, "python-caller")), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
        assertEquals(200, traced.statusCode(), traced.body());
        assertTrue(new JsonObject(traced.body()).getString("traceId").startsWith("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;"),
                traced.body());
    }

    @Test
    void aCustomRuntimeBootstrapOnAwsLambdaGoRunsUnchanged(TestCluster cluster) throws Exception {
        // FROM scratch, no /lambda-entrypoint.sh: command names the bootstrap, as provided.al2023 would run it
        Gateway.function(cluster, "lambda-go", "image: lambkin.local/hello-lambda-go:dev\nruntimeApi: lambda\n"
                + "command: [/var/runtime/bootstrap]\nhandler: bootstrap\ntimeoutSeconds: 4\nresources: {limits: {memory: 64Mi}}\n"
                + "scaling: {idleSeconds: 600}");
        try (LambdaClient lambda = caller(cluster, "go-caller")) {
            assertLambdaContext(cluster, "lambda-go", 64, 4, timedFirstCall(lambda, "lambda-go", "custom runtime on aws-lambda-go"));
            assertUnhandled(lambda, "lambda-go", "{\"fail\": \"out of stock\"}", "errorString", "out of stock");
        }
    }

    @Test
    void aRuntimeThatDiesMidEventIsAnExitErrorAndOneThatCannotInitIsAStartFailure(TestCluster cluster) throws Exception {
        Gateway.function(cluster, "lambda-crash", "image: lambkin.local/hello-lambda-python:dev\nruntimeApi: lambda\n"
                + "handler: app.handler\ntimeoutSeconds: 10");
        Gateway.function(cluster, "lambda-noinit", "image: lambkin.local/hello-lambda-python:dev\nruntimeApi: lambda\n"
                + "handler: nosuchmodule.handler\ntimeoutSeconds: 600");
        String bearer = AuthIT.bearer(AuthIT.token(cluster, "lambda-caller"));
        AuthIT.grant(cluster, "lambda-caller", "functions", "invoke");
        var warm = TestCluster.await(Duration.ofSeconds(90)).until(() -> gateway.invoke(cluster, "lambda-crash",
                "{\"name\": \"Ada\"}", "Authorization", bearer), r -> r.statusCode() != 403);
        assertEquals(200, warm.statusCode(), warm.body());
        var crashed = gateway.invoke(cluster, "lambda-crash", "{\"exit\": 3}", "Authorization", bearer);
        assertEquals(200, crashed.statusCode(), crashed.body());
        assertEquals("Unhandled", crashed.headers().firstValue("Lambkin-Function-Error").orElse(null));
        JsonObject error = new JsonObject(crashed.body());
        assertEquals("Runtime.ExitError", error.getString("errorType"), crashed.body());
        assertTrue(error.getString("errorMessage").contains("exit status 3"), crashed.body());
        var next = gateway.invoke(cluster, "lambda-crash", "{\"name\": \"Bo\"}", "Authorization", bearer);
        assertEquals(200, next.statusCode(), next.body());
        assertEquals("Hello, Bo!", new JsonObject(next.body()).getString("greeting"));

        // the runtime reports its init error to /init/error: held calls fail fast with its reason, not at 600 s
        long t0 = System.nanoTime();
        var noInit = gateway.invoke(cluster, "lambda-noinit", "{}", "Authorization", bearer);
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(502, noInit.statusCode(), noInit.body());
        assertTrue(noInit.body().contains("Runtime.ImportModuleError"), noInit.body());
        assertTrue(waitedMs < 90_000, "failed on the runtime's reason: " + waitedMs + " ms");
        // and the Function says why, as for any image that cannot start (Ready flips while the container restarts)
        TestCluster.await(Duration.ofSeconds(60)).until(() -> readyCondition(cluster, "lambda-noinit"),
                c -> c != null && "False".equals(c.getStatus()) && c.getMessage().contains("Runtime.ImportModuleError"));
    }

    static io.fabric8.kubernetes.api.model.Condition readyCondition(TestCluster cluster, String function) {
        var fn = cluster.client().resources(dev.lambkin.api.v1alpha1.Function.class).inNamespace(cluster.namespace())
                .withName(function).get();
        return fn.getStatus() == null || fn.getStatus().conditions == null ? null : fn.getStatus().conditions.stream()
                .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }
}
