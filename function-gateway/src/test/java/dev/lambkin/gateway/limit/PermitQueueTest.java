package dev.lambkin.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;


class PermitQueueTest {
    @Test
    void eventsWaitForASlotInTurnInsteadOfBeingRefused() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("a", 1);
        PermitQueue q = new PermitQueue(limiter);
        CompletableFuture<ConcurrencyLimiter.Permit> first = q.acquire("a");
        CompletableFuture<ConcurrencyLimiter.Permit> second = q.acquire("a");
        CompletableFuture<ConcurrencyLimiter.Permit> third = q.acquire("a");
        assertTrue(first.isDone());
        assertFalse(second.isDone());
        assertEquals(2, q.waiting("a"));
        limiter.release(first.join());
        q.released();
        assertTrue(second.isDone(), "the longest waiting goes first");
        assertFalse(third.isDone());
        assertEquals(1, limiter.inFlight("a"));
    }

    @Test
    void anEventThatGaveUpDoesNotKeepASlot() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("a", 1);
        PermitQueue q = new PermitQueue(limiter);
        var held = q.acquire("a").join();
        CompletableFuture<ConcurrencyLimiter.Permit> gaveUp = q.acquire("a");
        CompletableFuture<ConcurrencyLimiter.Permit> next = q.acquire("a");
        gaveUp.completeExceptionally(new java.util.concurrent.TimeoutException());
        limiter.release(held);
        q.released();
        assertTrue(next.isDone());
        assertEquals(1, limiter.inFlight("a"), "only the one still waiting got the slot");
        assertEquals(0, q.waiting("a"));
    }

    @Test
    void anEventThatGaveUpWhileNothingWasReleasedDoesNotHoldUpTheNextOne() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("a", 0);
        PermitQueue q = new PermitQueue(limiter);
        CompletableFuture<ConcurrencyLimiter.Permit> gaveUp = q.acquire("a");
        gaveUp.completeExceptionally(new java.util.concurrent.TimeoutException());
        limiter.reserve("a", null); // the function is given concurrency again; nothing was released
        assertTrue(q.acquire("a").isDone(), "a slot at once: nobody is waiting ahead");
        assertEquals(0, q.waiting("a"));
    }

    @Test
    void raisingALimitHandsSlotsToWaitingEvents() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("a", 0);
        PermitQueue q = new PermitQueue(limiter);
        CompletableFuture<ConcurrencyLimiter.Permit> waiting = q.acquire("a");
        assertFalse(waiting.isDone());
        limiter.reserve("a", 2);
        q.released();
        assertTrue(waiting.isDone());
    }

    @Test
    void underRacingReleasesTheLimitHoldsAndEveryWaiterRunsOnce() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(100, 0);
        limiter.reserve("a", 3);
        PermitQueue q = new PermitQueue(limiter);
        int events = 500;
        AtomicInteger running = new AtomicInteger(), peak = new AtomicInteger(), done = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(events);
        List<CompletableFuture<ConcurrencyLimiter.Permit>> waiting = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < events; i++) {
                CompletableFuture<ConcurrencyLimiter.Permit> f = q.acquire("a");
                waiting.add(f);
                f.thenAcceptAsync(p -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    running.decrementAndGet();
                    limiter.release(p);
                    done.incrementAndGet();
                    q.released();
                    all.countDown();
                }, pool);
            }
            assertTrue(all.await(30, TimeUnit.SECONDS), done.get() + " of " + events + " ran");
        }
        assertTrue(peak.get() <= 3, "never more than the reservation at once: " + peak.get());
        assertEquals(events, done.get());
        assertEquals(0, limiter.inFlight("a"));
    }
}
