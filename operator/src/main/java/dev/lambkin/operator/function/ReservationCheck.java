package dev.lambkin.operator.function;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;

/**
 * Whether a Function's reserved concurrency fits in the installation's pool. Reservations are granted in the
 * order the Functions were created (then by namespace and name); the one that would take the pool below its
 * unreserved minimum, and any created after it that do not fit either, are refused. Plain Java.
 */
public final class ReservationCheck {
    private ReservationCheck() {
    }

    static Integer reserved(Function fn) {
        return fn.getSpec() != null ? FunctionDefaults.reserved(fn.getSpec()) : null;
    }

    /** Why the function's reservation is refused, or empty when it fits (or it has none). */
    public static Optional<String> problem(Function fn, Collection<Function> all, int total, int unreservedMinimum) {
        Integer mine = reserved(fn);
        if (mine == null) {
            return Optional.empty();
        }
        int reservable = total - unreservedMinimum;
        int granted = 0;
        for (Function other : all.stream().filter(f -> reserved(f) != null)
                .sorted(Comparator.comparing((Function f) -> String.valueOf(f.getMetadata().getCreationTimestamp()))
                        .thenComparing(f -> f.getMetadata().getNamespace()).thenComparing(f -> f.getMetadata().getName()))
                .toList()) {
            boolean isMe = other.getMetadata().getNamespace().equals(fn.getMetadata().getNamespace())
                    && other.getMetadata().getName().equals(fn.getMetadata().getName());
            if (isMe) {
                break;
            }
            if (granted + reserved(other) <= reservable) {
                granted += reserved(other);
            }
        }
        if (granted + mine <= reservable) {
            return Optional.empty();
        }
        return Optional.of("spec.concurrency.reserved " + mine + " does not fit: " + granted + " of the " + reservable
                + " reservable (pool " + total + " minus the unreserved minimum " + unreservedMinimum
                + ") are reserved by Functions created earlier");
    }
}
