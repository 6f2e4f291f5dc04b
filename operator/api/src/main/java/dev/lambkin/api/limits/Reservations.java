package dev.lambkin.api.limits;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;

/**
 * Which Functions' reserved concurrency the installation's pool grants: one rule for the operator's status and
 * the gateway's limiter, so the status never refuses a reservation the gateway honours (or the reverse).
 * Reservations are granted in the order the Functions were created (then by namespace and name); one that would
 * take the pool below its unreserved minimum is refused and takes nothing, and later ones that fit are still
 * granted. Plain Java.
 */
public final class Reservations {
    private Reservations() {
    }

    /** What the rule decided for one Function with a reservation. */
    public sealed interface Decision {
        /** The function's own share of the pool. */
        record Granted(int concurrency) implements Decision {
        }

        /** Does not fit: the function shares the unreserved pool instead. */
        record Refused(int asked, int grantedBefore, int reservable, int total, int unreservedMinimum) implements Decision {
            public String reason() {
                return "spec.concurrency.reserved " + asked + " does not fit: " + grantedBefore + " of the " + reservable
                        + " reservable (pool " + total + " minus the unreserved minimum " + unreservedMinimum
                        + ") are reserved by Functions created earlier";
            }
        }
    }

    /** "namespace/name", the key of {@link #decide}'s answer. */
    public static String key(Function fn) {
        return fn.getMetadata().getNamespace() + "/" + fn.getMetadata().getName();
    }

    /** Decisions for every Function with a reservation, keyed by {@link #key}, in the order they were granted. */
    public static Map<String, Decision> decide(Collection<Function> all, int total, int unreservedMinimum) {
        int reservable = total - unreservedMinimum;
        int granted = 0;
        Map<String, Decision> decisions = new LinkedHashMap<>();
        for (Function fn : all.stream().filter(f -> reserved(f) != null)
                .sorted(Comparator.comparing((Function f) -> String.valueOf(f.getMetadata().getCreationTimestamp()))
                        .thenComparing(f -> f.getMetadata().getNamespace()).thenComparing(f -> f.getMetadata().getName()))
                .toList()) {
            int asked = reserved(fn);
            if (granted + asked <= reservable) {
                granted += asked;
                decisions.put(key(fn), new Decision.Granted(asked));
            } else {
                decisions.put(key(fn), new Decision.Refused(asked, granted, reservable, total, unreservedMinimum));
            }
        }
        return decisions;
    }

    /** The concurrency a Function reserves, or null when it shares the unreserved pool. */
    public static Integer reserved(Function fn) {
        return fn.getSpec() != null ? FunctionDefaults.reserved(fn.getSpec()) : null;
    }
}
