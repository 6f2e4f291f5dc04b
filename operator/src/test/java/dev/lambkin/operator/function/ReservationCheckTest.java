package dev.lambkin.operator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;

class ReservationCheckTest {
    static Function fn(String name, String created, Integer reserved) {
        return Fixtures.parse("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: %s, namespace: ns, creationTimestamp: "%s"}
                spec: {image: x, concurrency: {reserved: %s}}
                """.formatted(name, created, reserved == null ? "null" : reserved), Function.class);
    }

    @Test
    void earlierReservationsWinAndTheOneThatDoesNotFitIsNamed() {
        Function a = fn("a", "2026-01-01T00:00:00Z", 600), b = fn("b", "2026-01-02T00:00:00Z", 301),
                c = fn("c", "2026-01-03T00:00:00Z", 300), free = fn("free", "2026-01-01T00:00:00Z", null);
        List<Function> all = List.of(c, b, a, free);
        assertTrue(ReservationCheck.problem(a, all, 1000, 100).isEmpty());
        String why = ReservationCheck.problem(b, all, 1000, 100).orElseThrow();
        assertEquals("spec.concurrency.reserved 301 does not fit: 600 of the 900 reservable (pool 1000 minus the "
                + "unreserved minimum 100) are reserved by Functions created earlier", why);
        assertTrue(ReservationCheck.problem(c, all, 1000, 100).isEmpty(), "a refused reservation takes nothing");
        assertTrue(ReservationCheck.problem(free, all, 1000, 100).isEmpty());
    }
}
