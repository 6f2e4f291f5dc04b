package dev.lambkin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What a test gets: a client for a real API server, the kubeconfig it came from (for kubectl) and a
 * namespace made for this test class.
 */
public record TestCluster(KubernetesClient client, Path kubeconfig, String namespace) {

    /** The repository's root, for files such as crds/ and examples/. */
    public static Path projectRoot() {
        String root = System.getProperty("lambkin.root");
        Path p = Path.of(root != null ? root : ".").toAbsolutePath().normalize();
        while (p != null && !Files.exists(p.resolve("crds"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (a directory with crds/); set -Dlambkin.root");
        }
        return p;
    }

    /** Applies every CRD in crds/ with server-side apply and waits until each is Established. */
    public List<CustomResourceDefinition> installCrds() throws IOException {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(projectRoot().resolve("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.getKubernetesSerialization()
                            .unmarshal(in, CustomResourceDefinition.class);
                    crds.add(client.resource(crd).fieldManager("lambkin-tests").forceConflicts().serverSideApply());
                }
            }
        }
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                            60, TimeUnit.SECONDS);
        }
        return crds;
    }

    /** Parses YAML (one or more documents) into objects placed in this test's namespace. */
    public List<HasMetadata> load(String yaml) {
        List<HasMetadata> items = client.load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        items.forEach(i -> i.getMetadata().setNamespace(namespace));
        return items;
    }

    /** Parses one YAML document into a typed object (e.g. a custom resource) placed in this test's namespace. */
    public <T extends HasMetadata> T load(String yaml, Class<T> type) {
        T item = client.getKubernetesSerialization().unmarshal(yaml, type);
        item.getMetadata().setNamespace(namespace);
        return item;
    }

    /**
     * Merge-patches a namespaced object's spec as a user's kubectl would: without its resourceVersion, so a
     * controller writing the status at the same moment does not make the change fail with a conflict.
     */
    public <T extends HasMetadata> T patchSpec(Class<T> type, String name, String specJson) {
        return client.resources(type).inNamespace(namespace).withName(name)
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    /** Runs kubectl against this cluster; returns its exit code and combined output. */
    public KubectlResult kubectl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getenv().getOrDefault("LAMBKIN_KUBECTL", "kubectl"));
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish in 60s");
        }
        return new KubectlResult(p.exitValue(), out);
    }

    /** Awaitility with timeouts that fit a real cluster on a small machine. */
    public static org.awaitility.core.ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }

    public record KubectlResult(int exitCode, String output) {
    }
}
