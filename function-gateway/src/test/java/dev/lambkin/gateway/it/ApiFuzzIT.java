package dev.lambkin.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.testing.NatsServerResource;
import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.WithKubernetesCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The gateway tried by an outside tool: Schemathesis (unmodified, installed by hack/test.sh) reads the OpenAPI
 * document the gateway serves and sends it generated requests, valid and malformed, wrong methods included, as a
 * caller allowed to invoke and manage dead letters in one namespace. Every answer must be a documented status in
 * the documented JSON shape, never a 5xx, never a hang.
 */
@QuarkusTest
@TestProfile(AuthIT.AuthOn.class)
@QuarkusTestResource(OperatorProcess.class)
@QuarkusTestResource(NatsServerResource.class)
@WithKubernetesCluster
class ApiFuzzIT extends GatewayInThisJvm {
    static final Pattern CASES = Pattern.compile("(\\d+) generated");

    @Test
    void everyGeneratedRequestGetsADocumentedAnswerAndNoServerError(TestCluster cluster) throws Exception {
        // a Java SDK function: it answers JSON, as Lambda's Invoke labels every answer (netcheck answers text)
        Gateway.function(cluster, "fuzzed", "image: lambkin.local/hello-java:dev\ntimeoutSeconds: 10");
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: DeadLetterQueue
                metadata: {name: fuzzed}
                spec: {}
                """, DeadLetterQueue.class)).create();
        AuthIT.grant(cluster, "fuzzer", "functions", "invoke");
        AuthIT.grant(cluster, "fuzzer", "deadletterqueues", "get", "purge", "redrive");
        String token = AuthIT.token(cluster, "fuzzer");
        Path reports = Files.createTempDirectory("schemathesis");
        // half the generated names are the real function and queue, so the fuzzer also gets past 403/404 into the
        // invoke and dead-letter logic with its bodies, headers and query strings
        Files.writeString(reports.resolve("schemathesis.toml"), """
                [dictionaries.namespace]
                values = ["%s"]
                [dictionaries.name]
                values = ["fuzzed"]
                [parameters]
                "path.namespace" = { dictionary = "namespace", probability = 0.5 }
                "path.name" = { dictionary = "name", probability = 0.5 }
                "path.FunctionName" = { dictionary = "name", probability = 0.5 }
                """.formatted(cluster.namespace()));
        List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("LAMBKIN_SCHEMATHESIS", "schemathesis"),
                "--config-file", reports.resolve("schemathesis.toml").toString(), "run", gateway.base + "/openapi.yaml", "--url", gateway.base,
                // what the gateway promises: a documented status and shape, the right Allow on a wrong method, no 5xx
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                        + "response_schema_conformance,unsupported_method",
                "--phases", "examples,coverage,fuzzing", "--max-examples", "40", "--seed", "1",
                // one worker: Python 3.11's ast.parse fails under Hypothesis' threads (SystemError: AST recursion depth)
                "--request-timeout", "20", "--workers", "1", "--no-color", "--report-dir", reports.toString(),
                "-H", "Authorization: Bearer " + token));
        // its cache (.schemathesis/) goes with the reports, not into the module
        Process p = new ProcessBuilder(cmd).directory(reports.toFile()).redirectErrorStream(true)
                .redirectOutput(reports.resolve("output.txt").toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "schemathesis did not finish in 8 minutes");
        String out = Files.readString(reports.resolve("output.txt"), StandardCharsets.UTF_8);
        System.out.println(out);
        assertEquals(0, p.exitValue(), "schemathesis found problems:\n" + out);
        Matcher cases = CASES.matcher(out);
        assertTrue(cases.find() && Integer.parseInt(cases.group(1)) > 100, "it generated requests: " + out);
    }
}
