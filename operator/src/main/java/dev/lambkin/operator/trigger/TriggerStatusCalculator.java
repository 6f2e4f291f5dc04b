package dev.lambkin.operator.trigger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.api.v1alpha1.TriggerStatus;
import dev.lambkin.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

/** A Trigger's status: Ready when its Function exists and its source is valid. Plain Java. */
public final class TriggerStatusCalculator {
    public static final String FUNCTION_RESOLVED = "FunctionResolved";
    public static final String SOURCE_VALID = "SourceValid";

    private TriggerStatusCalculator() {
    }

    public static TriggerStatus compute(Trigger trigger, boolean functionExists, Instant now) {
        Long generation = trigger.getMetadata().getGeneration();
        TriggerStatus previous = trigger.getStatus() != null ? trigger.getStatus() : new TriggerStatus();
        String fn = trigger.getSpec().function;
        Optional<String> sourceProblem = trigger.getSpec().schedule != null
                ? ScheduleValidator.problem(trigger.getSpec().schedule) : Optional.empty();

        List<Condition> conditions = new ArrayList<>();
        if (!functionExists) {
            conditions.add(Conditions.of(Conditions.READY, false, "FunctionNotFound",
                    "Function " + fn + " does not exist in namespace " + trigger.getMetadata().getNamespace(), generation));
        } else if (sourceProblem.isPresent()) {
            conditions.add(Conditions.of(Conditions.READY, false, "InvalidSchedule", sourceProblem.get(), generation));
        } else {
            conditions.add(Conditions.of(Conditions.READY, true, "Resolved", "invokes Function " + fn, generation));
        }
        conditions.add(functionExists
                ? Conditions.of(FUNCTION_RESOLVED, true, "Found", "Function " + fn + " exists", generation)
                : Conditions.of(FUNCTION_RESOLVED, false, "FunctionNotFound", "Function " + fn + " does not exist", generation));
        conditions.add(sourceProblem
                .map(p -> Conditions.of(SOURCE_VALID, false, "InvalidSchedule", p, generation))
                .orElseGet(() -> Conditions.of(SOURCE_VALID, true, "Valid", "the event source is valid", generation)));

        TriggerStatus status = new TriggerStatus();
        status.observedGeneration = generation;
        status.lastFired = previous.lastFired;
        status.conditions = Conditions.withTransitionTimes(previous.conditions, conditions, now);
        return status;
    }
}
