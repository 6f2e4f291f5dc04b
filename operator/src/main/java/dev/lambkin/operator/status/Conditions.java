package dev.lambkin.operator.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** Building and comparing status conditions the Kubernetes way (type, status, reason, message, observedGeneration). */
public final class Conditions {
    public static final String READY = "Ready";

    private Conditions() {
    }

    public static Condition of(String type, boolean status, String reason, String message, Long generation) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
                .withMessage(message).withObservedGeneration(generation).build();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /**
     * The new conditions with lastTransitionTime carried over from the previous ones whose status did not
     * change, and set to now for the others, so a status without news compares equal to the old one.
     */
    public static List<Condition> withTransitionTimes(List<Condition> previous, List<Condition> next, Instant now) {
        List<Condition> result = new ArrayList<>();
        for (Condition c : next) {
            Condition copy = new ConditionBuilder(c).build();
            Optional<Condition> old = find(previous, c.getType());
            copy.setLastTransitionTime(old.filter(o -> Objects.equals(o.getStatus(), c.getStatus()))
                    .map(Condition::getLastTransitionTime)
                    .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString()));
            result.add(copy);
        }
        return result;
    }
}
