package dev.lambkin.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.limit.ConcurrencyLimiter.Permit;
import dev.lambkin.gateway.limit.ConcurrencyLimiter.Refused;
import dev.lambkin.gateway.limit.ConcurrencyLimiter.Throttle;

class ConcurrencyLimiterTest {
    @Test
    void reservedIsACeiling() {
        var limiter = new ConcurrencyLimiter(10, 2);
        assertTrue(limiter.reserve("a", 2));
        var p1 = (Permit) limiter.tryAcquire("a");
        limiter.tryAcquire("a");
        var third = assertInstanceOf(Refused.class, limiter.tryAcquire("a"));
        assertEquals(Throttle.ReservedFunctionConcurrentInvocationLimitExceeded, third.reason());
        limiter.release(p1);
        assertInstanceOf(Permit.class, limiter.tryAcquire("a"));
    }

    @Test
    void reservedIsAFloorOthersCannotTake() {
        var limiter = new ConcurrencyLimiter(10, 2);
        limiter.reserve("a", 6);
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(Permit.class, limiter.tryAcquire(i % 2 == 0 ? "b" : "c"));
        }
        var refused = assertInstanceOf(Refused.class, limiter.tryAcquire("b"));
        assertEquals(Throttle.ConcurrentInvocationLimitExceeded, refused.reason());
        for (int i = 0; i < 6; i++) {
            assertInstanceOf(Permit.class, limiter.tryAcquire("a"), "a's six are there although the pool is full");
        }
    }

    @Test
    void reservationsMayNotEatTheUnreservedMinimum() {
        var limiter = new ConcurrencyLimiter(1000, 100);
        assertTrue(limiter.reserve("a", 600));
        assertFalse(limiter.reserve("b", 301), "1000 - 100 = 900 reservable");
        assertTrue(limiter.reserve("b", 300));
        assertEquals(100, limiter.unreservedCapacity());
        assertTrue(limiter.reserve("a", null));
        assertEquals(700, limiter.unreservedCapacity());
    }

    @Test
    void zeroReservedStopsAFunction() {
        var limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("off", 0);
        assertInstanceOf(Refused.class, limiter.tryAcquire("off"));
    }

    @Test
    void releasingTwiceIsAnError() {
        var limiter = new ConcurrencyLimiter(10, 0);
        var p = (Permit) limiter.tryAcquire("a");
        limiter.release(p);
        assertThrows(IllegalStateException.class, () -> limiter.release(p));
    }

    @Test
    void theLimitHoldsUnderARaceOfManyThreads() throws Exception {
        var limiter = new ConcurrencyLimiter(50, 10);
        limiter.reserve("hot", 7);
        AtomicInteger running = new AtomicInteger(), peak = new AtomicInteger(), hotRunning = new AtomicInteger(),
                hotPeak = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String fn = i % 3 == 0 ? "hot" : "cold-" + (i % 5);
            tasks.add(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 50; k++) {
                    if (limiter.tryAcquire(fn) instanceof Permit p) {
                        int now = running.incrementAndGet();
                        peak.accumulateAndGet(now, Math::max);
                        if (fn.equals("hot")) {
                            hotPeak.accumulateAndGet(hotRunning.incrementAndGet(), Math::max);
                            hotRunning.decrementAndGet();
                        }
                        Thread.onSpinWait();
                        running.decrementAndGet();
                        limiter.release(p);
                    }
                }
            });
        }
        try (var pool = Executors.newFixedThreadPool(16)) {
            tasks.forEach(pool::submit);
            start.countDown();
        }
        assertTrue(peak.get() <= 50, "pool of 50 held: peak " + peak.get());
        assertTrue(hotPeak.get() <= 7, "reservation of 7 held: peak " + hotPeak.get());
        assertEquals(0, limiter.inFlight("hot"));
    }
}
