package dev.lambkin.gateway.it;

import java.util.List;
import java.util.Map;

import dev.lambkin.testing.Clusters;
import dev.lambkin.testing.NatsServer;
import dev.lambkin.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The operator (this build's, operator/target/quarkus-app) running beside the gateway under test, so the
 * Functions in these tests get real Deployments and DeadLetterQueues real streams. Its log goes to
 * target/operator-it.log.
 */
public class OperatorProcess implements QuarkusTestResourceLifecycleManager {
    private JavaApp app;

    /** Starts an operator that keeps its dead-letter streams in the given NATS server. */
    static JavaApp start(String natsUrl) {
        Clusters.Connection c = Clusters.get();
        try {
            new TestCluster(c.client(), c.kubeconfig(), "default").installCrds();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot install the CRDs", e);
        }
        return new JavaApp("operator", "operator", List.of("-Dquarkus.http.port=0"),
                Map.of("KUBECONFIG", c.kubeconfig().toString(), "LAMBKIN_NATS_URL", natsUrl)).start();
    }

    @Override
    public Map<String, String> start() {
        app = start(NatsServer.shared().url());
        return Map.of();
    }

    /** The operator must not outlive the tests: it would keep reconciling every namespace of the cluster. */
    @Override
    public void stop() {
        if (app != null) {
            app.stop();
        }
    }
}
