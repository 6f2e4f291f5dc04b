package dev.lambkin.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/** A lease gives its slot back exactly once, and to a waiting event when one waits. */
class AdmissionTest {
    @Test
    void aLeaseIsReleasedExactlyOnceHoweverOftenItIsReleased() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("f", 1);
        Admission admission = new Admission(limiter);
        Lease lease = (Lease) admission.tryAcquire("f");
        assertInstanceOf(Admission.Refused.class, admission.tryAcquire("f"));
        assertTrue(lease.release());
        assertFalse(lease.release(), "a second release is a no-op");
        assertEquals(0, limiter.inFlight("f"));
        Lease again = (Lease) admission.tryAcquire("f");
        assertInstanceOf(Admission.Refused.class, admission.tryAcquire("f"), "the double release gave no extra slot");
        again.release();
    }

    @Test
    void aReleasedLeaseGoesToTheEventWaitingForIt() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("f", 1);
        Admission admission = new Admission(limiter);
        Lease running = (Lease) admission.tryAcquire("f");
        CompletableFuture<Lease> waiting = admission.acquireInTurn("f");
        assertFalse(waiting.isDone());
        running.release();
        assertTrue(waiting.isDone());
        assertEquals(1, limiter.inFlight("f"));
        waiting.join().release();
        assertEquals(0, limiter.inFlight("f"));
    }

    @Test
    void anEventThatGivesUpWaitingHoldsNoSlot() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10, 0);
        limiter.reserve("f", 1);
        Admission admission = new Admission(limiter);
        Lease running = (Lease) admission.tryAcquire("f");
        CompletableFuture<Lease> waiting = admission.acquireInTurn("f");
        waiting.completeExceptionally(new TimeoutException());
        running.release();
        assertEquals(0, limiter.inFlight("f"), "the slot was not handed to the event that gave up");
        assertInstanceOf(Lease.class, admission.tryAcquire("f"));
    }
}
