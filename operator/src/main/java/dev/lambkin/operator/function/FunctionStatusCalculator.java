package dev.lambkin.operator.function;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.status.StartFailure;
import dev.lambkin.api.v1alpha1.FunctionStatus;
import dev.lambkin.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * What a Function's status should say, from what the cluster shows. Plain Java: no client, no clock of its own.
 *
 * <p>Ready means "can be invoked": its objects exist, its dead-letter queue resolves and its instances are not
 * failing to start. At zero instances it is Ready (the gateway starts one on the first call); with
 * {@code minInstances > 0} it is Ready once one instance is.
 */
public final class FunctionStatusCalculator {
    public static final String DEPLOYMENT_READY = "DeploymentReady";
    public static final String INSTANCES_HEALTHY = "InstancesHealthy";
    public static final String REFERENCES_RESOLVED = "ReferencesResolved";
    public static final String CONCURRENCY_RESERVED = "ConcurrencyReserved";

    private FunctionStatusCalculator() {
    }

    /** Inputs observed for one Function. {@code deadLetterQueueMissing} names a referenced queue that does not exist. */
    public record Observed(Function function, Optional<Deployment> deployment, List<Pod> pods,
            Optional<String> deadLetterQueueMissing, Optional<String> reservationProblem, String url) {
    }

    public static FunctionStatus compute(Observed in, Instant now) {
        Function fn = in.function();
        Long generation = fn.getMetadata().getGeneration();
        FunctionStatus previous = fn.getStatus() != null ? fn.getStatus() : new FunctionStatus();
        FunctionStatus status = new FunctionStatus();
        status.observedGeneration = generation;
        status.url = in.url();
        status.coldStarts = previous.coldStarts;

        int replicas = in.deployment().map(d -> d.getSpec().getReplicas()).map(r -> r == null ? 1 : r).orElse(0);
        int ready = in.deployment().map(d -> d.getStatus()).map(s -> s.getReadyReplicas()).map(r -> r == null ? 0 : r)
                .orElse(0);
        status.replicas = replicas;
        status.readyReplicas = ready;
        status.lastScaleTime = java.util.Objects.equals(previous.replicas, replicas) && previous.lastScaleTime != null
                ? previous.lastScaleTime
                : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

        List<Condition> conditions = new ArrayList<>();
        Condition deployment = deploymentCondition(in.deployment(), replicas, ready, generation);
        conditions.add(deployment);

        Optional<StartFailure> failure = StartFailure.of(in.pods());
        conditions.add(failure
                .map(f -> Conditions.of(INSTANCES_HEALTHY, false, f.reason(), "pod " + f.pod() + ": " + f.message(), generation))
                .orElseGet(() -> Conditions.of(INSTANCES_HEALTHY, true, "NoStartFailures",
                        "no instance is failing to start", generation)));

        conditions.add(in.deadLetterQueueMissing()
                .map(q -> Conditions.of(REFERENCES_RESOLVED, false, "DeadLetterQueueNotFound",
                        "spec.async.deadLetterQueue names DeadLetterQueue " + q + ", which does not exist in namespace "
                                + fn.getMetadata().getNamespace(), generation))
                .orElseGet(() -> Conditions.of(REFERENCES_RESOLVED, true, "Resolved", "all references resolve", generation)));

        conditions.add(in.reservationProblem()
                .map(p -> Conditions.of(CONCURRENCY_RESERVED, false, "ReservedConcurrencyExceedsPool", p, generation))
                .orElseGet(() -> Conditions.of(CONCURRENCY_RESERVED, true, "Granted",
                        fn.getSpec().concurrency != null && fn.getSpec().concurrency.reserved != null
                                ? fn.getSpec().concurrency.reserved + " reserved" : "shares the unreserved pool", generation)));

        conditions.addFirst(ready(fn, in, failure, replicas, ready, generation));
        status.conditions = Conditions.withTransitionTimes(previous.conditions, conditions, now);
        return status;
    }

    private static Condition ready(Function fn, Observed in, Optional<StartFailure> failure, int replicas, int ready,
            Long generation) {
        if (in.reservationProblem().isPresent()) {
            return Conditions.of(Conditions.READY, false, "ReservedConcurrencyExceedsPool", in.reservationProblem().get(),
                    generation);
        }
        if (in.deadLetterQueueMissing().isPresent()) {
            return Conditions.of(Conditions.READY, false, "DeadLetterQueueNotFound",
                    "DeadLetterQueue " + in.deadLetterQueueMissing().get() + " does not exist", generation);
        }
        if (failure.isPresent()) {
            StartFailure f = failure.get();
            return Conditions.of(Conditions.READY, false, f.reason(), "pod " + f.pod() + ": " + f.message(), generation);
        }
        if (in.deployment().isEmpty()) {
            return Conditions.of(Conditions.READY, false, "Reconciling", "creating the function's Deployment", generation);
        }
        int min = FunctionDefaults.minInstances(fn.getSpec());
        if (min > 0 && ready == 0) {
            return Conditions.of(Conditions.READY, false, "InstancesStarting",
                    "waiting for the first of " + min + " warm instances", generation);
        }
        if (replicas == 0) {
            return Conditions.of(Conditions.READY, true, "ScaledToZero",
                    "no instances running; the first invocation starts one", generation);
        }
        return Conditions.of(Conditions.READY, true, "Ready", ready + " of " + replicas + " instances ready", generation);
    }

    private static Condition deploymentCondition(Optional<Deployment> deployment, int replicas, int ready, Long generation) {
        if (deployment.isEmpty()) {
            return Conditions.of(DEPLOYMENT_READY, false, "NotCreated", "the Deployment does not exist yet", generation);
        }
        Deployment d = deployment.get();
        if (d.getStatus() != null && d.getStatus().getConditions() != null) {
            for (var c : d.getStatus().getConditions()) {
                if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return Conditions.of(DEPLOYMENT_READY, false, c.getReason(), c.getMessage(), generation);
                }
            }
        }
        if (replicas == 0) {
            return Conditions.of(DEPLOYMENT_READY, true, "ScaledToZero", "0 instances", generation);
        }
        return ready >= replicas
                ? Conditions.of(DEPLOYMENT_READY, true, "InstancesReady", ready + " of " + replicas + " instances ready", generation)
                : Conditions.of(DEPLOYMENT_READY, false, "InstancesStarting", ready + " of " + replicas + " instances ready",
                        generation);
    }
}
