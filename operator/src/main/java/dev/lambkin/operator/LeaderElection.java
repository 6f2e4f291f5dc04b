package dev.lambkin.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Two operator replicas never both write: they compete for a Lease in the operator's namespace and only the
 * holder reconciles. Quarkus' operator extension activates this in the prod profile (the deployed operator).
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    public LeaderElection() {
        super("lambkin-operator");
    }
}
