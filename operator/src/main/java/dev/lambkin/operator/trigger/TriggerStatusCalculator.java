package dev.lambkin.operator.trigger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.lambkin.api.v1alpha1.SourceStatus;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.api.v1alpha1.TriggerStatus;
import dev.lambkin.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The operator's part of a Trigger's status: Ready when its Function exists, its source is valid and the gateway
 * reports the source armed for this generation (status.source, the gateway's part, with lastFired and nextFire;
 * the operator reads those, never writes them). Plain Java.
 */
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
        } else if (armed(previous, generation)) {
            conditions.add(Conditions.of(Conditions.READY, true, "Armed", "invokes Function " + fn + ": "
                    + previous.source.message, generation));
        } else {
            SourceStatus source = previous.source;
            boolean refused = source != null && Boolean.FALSE.equals(source.armed) && generation.equals(source.observedGeneration);
            conditions.add(Conditions.of(Conditions.READY, false, refused ? source.reason : "NotArmed", refused ? source.message
                    : "waiting for the gateway to arm the " + kind(trigger) + " source", generation));
        }
        conditions.add(functionExists
                ? Conditions.of(FUNCTION_RESOLVED, true, "Found", "Function " + fn + " exists", generation)
                : Conditions.of(FUNCTION_RESOLVED, false, "FunctionNotFound", "Function " + fn + " does not exist", generation));
        conditions.add(sourceProblem
                .map(p -> Conditions.of(SOURCE_VALID, false, "InvalidSchedule", p, generation))
                .orElseGet(() -> Conditions.of(SOURCE_VALID, true, "Valid", "the event source is valid", generation)));

        TriggerStatus status = new TriggerStatus();
        status.observedGeneration = generation;
        status.conditions = Conditions.withTransitionTimes(previous.conditions, conditions, now);
        return status;
    }

    /** The operator's fields of a status (what it applies and compares): conditions and observedGeneration. */
    public static TriggerStatus operatorPart(TriggerStatus status) {
        if (status == null) {
            return null;
        }
        TriggerStatus mine = new TriggerStatus();
        mine.conditions = status.conditions;
        mine.observedGeneration = status.observedGeneration;
        return mine;
    }

    private static boolean armed(TriggerStatus status, Long generation) {
        return status.source != null && Boolean.TRUE.equals(status.source.armed) && generation != null
                && generation.equals(status.source.observedGeneration);
    }

    private static String kind(Trigger trigger) {
        return trigger.getSpec().schedule != null ? "schedule" : trigger.getSpec().http != null ? "http" : "nats";
    }
}
