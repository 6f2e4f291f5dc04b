package dev.lambkin.gateway.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.ConcurrencySpec;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.limit.Admission;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

public class SharedLimitsTest {
    public static Function fn(String name, String created, int reserved) {
        Function f = new Function();
        f.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).withCreationTimestamp(created).build());
        f.setSpec(new FunctionSpec());
        f.getSpec().concurrency = new ConcurrencySpec();
        f.getSpec().concurrency.reserved = reserved;
        return f;
    }

    /** A pool of 100 with an unreserved minimum of 20, one gateway replica. */
    public static GatewayConfig config() {
        GatewayConfig.Concurrency concurrency = stub(GatewayConfig.Concurrency.class, name -> switch (name) {
            case "total" -> 100;
            case "unreservedMinimum" -> 20;
            default -> null;
        });
        GatewayConfig.Peers peers = stub(GatewayConfig.Peers.class, name -> name.equals("podName") || name.equals("namespace")
                ? Optional.empty() : null);
        return stub(GatewayConfig.class, name -> switch (name) {
            case "concurrency" -> concurrency;
            case "peers" -> peers;
            default -> null;
        });
    }

    @SuppressWarnings("unchecked")
    static <T> T stub(Class<T> type, java.util.function.Function<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> answers.apply(m.getName()));
    }

    @Test
    void theEarlierCreatedFunctionKeepsItsReservationWhicheverArrivesFirst() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(100, 20);
        GatewayConfig config = config();
        SharedLimits limits = new SharedLimits(limiter, new Admission(limiter), new GatewayPeers(null, config), config);
        Function older = fn("older", "2026-01-01T00:00:00Z", 60), newer = fn("newer", "2026-01-02T00:00:00Z", 60);
        // the informer happens to deliver the newer Function first: it gets the reservation for now …
        limits.reservationsOf(List.of(newer));
        assertEquals(40, limiter.unreservedCapacity());
        // … and gives it up to the older one, as the operator's status says (60 + 60 > 100 - 20)
        limits.reservationsOf(List.of(newer, older));
        for (int i = 0; i < 60; i++) {
            assertInstanceOf(ConcurrencyLimiter.Permit.class, limiter.tryAcquire("ns/older"), "older's call " + i);
        }
        assertInstanceOf(ConcurrencyLimiter.Refused.class, limiter.tryAcquire("ns/older"), "older's reservation is its limit");
        assertEquals(40, limiter.unreservedCapacity(), "newer shares the unreserved 40");
        for (int i = 0; i < 40; i++) {
            assertInstanceOf(ConcurrencyLimiter.Permit.class, limiter.tryAcquire("ns/newer"), "newer's call " + i);
        }
        assertInstanceOf(ConcurrencyLimiter.Refused.class, limiter.tryAcquire("ns/newer"));
        // older deleted: newer is granted its reservation
        limits.reservationsOf(List.of(newer));
        assertEquals(40, limiter.unreservedCapacity());
    }
}
