package dev.lambkin.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lambkin.testing.TestCluster;
import dev.lambkin.testing.TestCluster.KubectlResult;
import dev.lambkin.testing.WithKubernetesCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/** The API as users meet it: kubectl apply of good and bad YAML against a real API server. */
@WithKubernetesCluster
class CrdValidationIT {
    private static final Path INVALID = Path.of("src/test/resources/invalid");

    @BeforeAll
    static void installCrds(TestCluster cluster) throws IOException {
        List<CustomResourceDefinition> crds = cluster.installCrds();
        assertEquals(List.of("deadletterqueues.lambkin.dev", "functions.lambkin.dev", "triggers.lambkin.dev"),
                crds.stream().map(c -> c.getMetadata().getName()).sorted().toList());
    }

    static Stream<Path> examples() throws IOException {
        return yamlFiles(TestCluster.projectRoot().resolve("examples/api"));
    }

    static Stream<Path> invalid() throws IOException {
        return yamlFiles(INVALID);
    }

    @ParameterizedTest(name = "{0} is accepted")
    @MethodSource("examples")
    void examplesAreAccepted(Path example, TestCluster cluster) throws Exception {
        KubectlResult r = cluster.kubectl("apply", "-n", cluster.namespace(), "-f", example.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("created") || r.output().contains("configured") || r.output().contains("unchanged"),
                r.output());
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("invalid")
    void invalidResourcesAreRefusedNamingTheField(Path file, TestCluster cluster) throws Exception {
        String expected = Files.readAllLines(file).getFirst().replaceFirst("^# expect: ", "");
        KubectlResult r = cluster.kubectl("apply", "-n", cluster.namespace(), "-f", file.toString());
        assertNotEquals(0, r.exitCode(), "accepted: " + r.output());
        assertTrue(r.output().contains("is invalid"), "refused by the API server's validation: " + r.output());
        assertTrue(r.output().contains(expected), "message names the field (" + expected + "): " + r.output());
    }

    @Test
    void defaultsAreFilledInByTheApiServer(TestCluster cluster) {
        Function fn = cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: defaults}
                spec: {image: example.com/fn:1}
                """, Function.class);
        FunctionSpec spec = cluster.client().resource(fn).create().getSpec();
        assertEquals(3, spec.timeoutSeconds);
        assertEquals(8080, spec.port);
        assertEquals(1, spec.concurrency.perInstance);
        assertEquals(null, spec.concurrency.reserved, "unreserved unless asked");
        assertEquals(0, spec.scaling.minInstances);
        assertEquals(120, spec.scaling.idleSeconds);
        assertEquals(2, spec.async.maxRetries);
        assertEquals(21600, spec.async.maxEventAgeSeconds);
    }

    @Test
    void kubectlExplainReadsTheFieldDescriptions(TestCluster cluster) throws Exception {
        KubectlResult r = cluster.kubectl("explain", "function.spec.concurrency");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("perInstance"), r.output());
        assertTrue(r.output().contains("Reserved concurrency"), r.output());
        KubectlResult timeout = cluster.kubectl("explain", "fn.spec.timeoutSeconds");
        assertTrue(timeout.output().contains("1-900, default 3"), timeout.output());
        KubectlResult dlq = cluster.kubectl("explain", "deadletterqueue.spec.retention.maxAge");
        assertTrue(dlq.output().contains("duration"), dlq.output());
    }

    @Test
    void shortNamesAndPrinterColumns(TestCluster cluster) throws Exception {
        cluster.kubectl("apply", "-n", cluster.namespace(), "-f", TestCluster.projectRoot().resolve("examples/api").toString());
        KubectlResult fn = cluster.kubectl("get", "fn", "-n", cluster.namespace());
        assertEquals(0, fn.exitCode(), fn.output());
        String header = fn.output().lines().findFirst().orElse("");
        assertTrue(header.matches("NAME\\s+READY\\s+REPLICAS\\s+URL\\s+AGE\\s*"), header);
        KubectlResult wide = cluster.kubectl("get", "fn", "hello", "-o", "wide", "-n", cluster.namespace());
        assertTrue(wide.output().contains("lambkin.local/netcheck:dev"), wide.output());
        KubectlResult trg = cluster.kubectl("get", "trg", "-n", cluster.namespace());
        assertTrue(trg.output().contains("* * * * *") && trg.output().contains("/hello")
                && trg.output().contains("orders.created"), trg.output());
        KubectlResult dlq = cluster.kubectl("get", "dlq", "-n", cluster.namespace());
        assertTrue(dlq.output().lines().findFirst().orElse("").matches("NAME\\s+READY\\s+MESSAGES\\s+OLDEST\\s+AGE\\s*"),
                dlq.output());
    }

    private static Stream<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }
}
