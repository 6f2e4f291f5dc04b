package dev.lambkin.operator;

import java.util.Optional;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Two operator replicas never both write: they compete for a Lease and only the holder reconciles. Quarkus'
 * operator extension activates this in the prod profile. The Lease lives in the operator's namespace (the chart
 * passes it as LAMBKIN_OPERATOR_NAMESPACE); run outside a cluster, in "default".
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    public LeaderElection() {
        super("lambkin-operator", Optional.ofNullable(System.getenv("LAMBKIN_OPERATOR_NAMESPACE")).orElse("default"));
    }
}
