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

    /** The NATS server the operator keeps dead-letter streams in: the test JVM's. */
    protected String natsUrl() {
        return dev.lambkin.testing.NatsServer.shared().url();
    }

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
            pb.environment().put("LAMBKIN_NATS_URL", natsUrl());
            process = pb.start();
            // even if the test JVM ends without calling stop()
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
            awaitStarted(Path.of("target/operator-it.log"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator", e);
        }
        return Map.of();
    }

    /** Until the operator has started (controllers and leader election); fails with its log if it exits first. */
    private void awaitStarted(Path log) throws IOException {
        long until = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < until) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("Listening on") && process.isAlive()) { // Quarkus' last start-up line
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + ":\n"
                        + text.substring(Math.max(0, text.length() - 4000)));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the operator did not start within 90 s; see " + log.toAbsolutePath());
    }

    /** The operator must not outlive the tests: it would keep reconciling every namespace of the cluster. */
    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
