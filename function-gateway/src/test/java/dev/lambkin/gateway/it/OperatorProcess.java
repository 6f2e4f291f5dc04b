package dev.lambkin.gateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.lambkin.testing.Clusters;
import dev.lambkin.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The operator (this build's, operator/target/quarkus-app) running beside the gateway under test, so the
 * Functions in these tests get real Deployments. Its log goes to target/operator-it.log.
 */
public class OperatorProcess implements QuarkusTestResourceLifecycleManager {
    private Process process;

    @Override
    public Map<String, String> start() {
        Clusters.Connection c = Clusters.get();
        try {
            new TestCluster(c.client(), c.kubeconfig(), "default").installCrds();
            Path root = TestCluster.projectRoot();
            Path jar = root.resolve("operator/target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException("build the operator first (mvn package -pl operator): " + jar + " is missing");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Dquarkus.http.port=0", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(Path.of("target/operator-it.log").toFile());
            pb.environment().put("KUBECONFIG", c.kubeconfig().toString());
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator", e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }
}
