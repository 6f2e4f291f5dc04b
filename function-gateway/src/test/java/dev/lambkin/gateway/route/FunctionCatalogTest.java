package dev.lambkin.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.limit.Admission;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.peers.GatewayPeers;
import dev.lambkin.gateway.peers.SharedLimits;
import dev.lambkin.gateway.peers.SharedLimitsTest;

/** The catalog keeps the limiter's reservations in step with the Functions the informer delivers. */
class FunctionCatalogTest {
    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(100, 20);
    private final FunctionCatalog catalog;

    FunctionCatalogTest() {
        GatewayConfig config = SharedLimitsTest.config();
        catalog = new FunctionCatalog(null, new SharedLimits(limiter, new Admission(limiter), new GatewayPeers(null, config), config));
    }

    @Test
    void aReservationFollowsItsFunctionThroughUpdatesAndDeletion() {
        Function reserving = SharedLimitsTest.fn("reserving", "2026-01-01T00:00:00Z", 30);
        catalog.put(reserving);
        assertEquals(70, limiter.unreservedCapacity());
        // Functions without a reservation come and go: the grant stays
        for (int i = 0; i < 5; i++) {
            Function plain = SharedLimitsTest.fn("plain-" + i, "2026-01-02T00:00:00Z", 0);
            plain.getSpec().concurrency = null;
            catalog.put(plain);
            catalog.remove(plain);
        }
        assertEquals(70, limiter.unreservedCapacity());
        // its reservation raised, then dropped from its spec: the pool gets it back
        catalog.put(SharedLimitsTest.fn("reserving", "2026-01-01T00:00:00Z", 50));
        assertEquals(50, limiter.unreservedCapacity());
        Function dropped = SharedLimitsTest.fn("reserving", "2026-01-01T00:00:00Z", 0);
        dropped.setSpec(new FunctionSpec());
        catalog.put(dropped);
        assertEquals(100, limiter.unreservedCapacity(), "a reservation taken out of the spec is released");
        // reserved again, then deleted
        catalog.put(reserving);
        assertEquals(70, limiter.unreservedCapacity());
        catalog.remove(reserving);
        assertEquals(100, limiter.unreservedCapacity(), "a deleted Function's reservation is released");
    }
}
