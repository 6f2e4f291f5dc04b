package dev.lambkin.operator;

import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Two operator replicas never both write: they compete for a Lease and only the holder reconciles. Quarkus'
 * operator extension activates this in the prod profile. The Lease lives in the operator's namespace (the chart
 * passes it as LAMBKIN_OPERATOR_NAMESPACE); run outside a cluster, in "default".
 *
 * <p>A replica that loses the Lease while running halts, so Kubernetes restarts it as a follower. During a normal
 * shutdown (SIGTERM) losing the Lease is expected and nothing is done: JOSDK's own exit-on-stop-leading calls
 * System.exit from inside the shutdown and hangs the JVM until it is killed (seen here: the pod lingered for its
 * whole grace period and its successor waited for the Lease to expire).
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    public LeaderElection() {
        super("lambkin-operator", Optional.ofNullable(System.getenv("LAMBKIN_OPERATOR_NAMESPACE")).orElse("default"),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), null,
                new LeaderCallbacks(() -> LOG.info("leading: reconciling"), LeaderElection::stoppedLeading,
                        leader -> LOG.infof("leader is %s", leader)),
                false);
    }

    private static void stoppedLeading() {
        if (shuttingDown()) {
            return;
        }
        LOG.error("lost the leader Lease while running: halting so that Kubernetes restarts this replica as a follower");
        Runtime.getRuntime().halt(1);
    }

    /** True once the JVM has begun to shut down (no hook may be added then). */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
