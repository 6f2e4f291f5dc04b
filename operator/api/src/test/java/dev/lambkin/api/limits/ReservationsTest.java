package dev.lambkin.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.limits.Reservations.Decision;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

class ReservationsTest {
    static Function fn(String ns, String name, String created, Integer reserved) {
        Function f = new Function();
        f.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).withCreationTimestamp(created).build());
        f.setSpec(new FunctionSpec());
        if (reserved != null) {
            f.getSpec().concurrency = new dev.lambkin.api.v1alpha1.ConcurrencySpec();
            f.getSpec().concurrency.reserved = reserved;
        }
        return f;
    }

    @Test
    void grantedByCreationOrderWhateverOrderTheyAreListedIn() {
        Function a = fn("ns", "a", "2026-01-01T00:00:00Z", 600), b = fn("ns", "b", "2026-01-02T00:00:00Z", 301),
                c = fn("ns", "c", "2026-01-03T00:00:00Z", 300), free = fn("ns", "free", "2025-01-01T00:00:00Z", null);
        Map<String, Decision> expected = Map.of("ns/a", new Decision.Granted(600),
                "ns/b", new Decision.Refused(301, 600, 900, 1000, 100), "ns/c", new Decision.Granted(300));
        for (List<Function> order : List.of(List.of(a, b, c, free), List.of(c, b, a, free), List.of(free, b, c, a))) {
            Map<String, Decision> decided = Reservations.decide(order, 1000, 100);
            assertEquals(expected, decided, "listed as " + order.stream().map(f -> f.getMetadata().getName()).toList());
            assertEquals(List.of("ns/a", "ns/b", "ns/c"), List.copyOf(decided.keySet()), "in the order granted");
        }
        assertEquals("spec.concurrency.reserved 301 does not fit: 600 of the 900 reservable (pool 1000 minus the "
                + "unreserved minimum 100) are reserved by Functions created earlier",
                ((Decision.Refused) expected.get("ns/b")).reason());
    }

    @Test
    void sameInstantIsSettledByNamespaceThenName() {
        String t = "2026-01-01T00:00:00Z";
        var decided = Reservations.decide(List.of(fn("z", "a", t, 50), fn("a", "z", t, 50)), 100, 40);
        assertEquals(new Decision.Granted(50), decided.get("a/z"));
        assertEquals(new Decision.Refused(50, 50, 60, 100, 40), decided.get("z/a"));
    }
}
