package dev.lambkin.operator.function;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;

import dev.lambkin.api.limits.Reservations;
import dev.lambkin.api.v1alpha1.Function;

/** Whether a Function's reserved concurrency fits in the installation's pool, by the gateway's own rule. */
public final class ReservationCheck {
    private ReservationCheck() {
    }

    /** Why the function's reservation is refused, or empty when it fits (or it has none). */
    public static Optional<String> problem(Function fn, Collection<Function> all, int total, int unreservedMinimum) {
        if (Reservations.reserved(fn) == null) {
            // nothing to grant: no need to look at every other Function (this runs on every reconcile)
            return Optional.empty();
        }
        String me = Reservations.key(fn);
        // the Function being reconciled, not the cache's copy of it, which may lag
        var current = Stream.concat(all.stream().filter(f -> !Reservations.key(f).equals(me)), Stream.of(fn)).toList();
        return Reservations.decide(current, total, unreservedMinimum).get(me) instanceof Reservations.Decision.Refused r
                ? Optional.of(r.reason()) : Optional.empty();
    }
}
