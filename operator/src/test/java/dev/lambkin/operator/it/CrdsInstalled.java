package dev.lambkin.operator.it;

import java.util.Map;

import dev.lambkin.testing.Clusters;
import dev.lambkin.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Installs Lambkin's CRDs on the test cluster before the operator under test starts its informers. */
public class CrdsInstalled implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Clusters.Connection c = Clusters.get();
        try {
            new TestCluster(c.client(), c.kubeconfig(), "default").installCrds();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot install the CRDs", e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
