package dev.lambkin.gateway.limit;

import java.util.concurrent.CompletableFuture;

/**
 * The door to the concurrency limits: a synchronous call gets a {@link Lease} or is refused at once; an async
 * event waits for one in turn ({@link PermitQueue}). Every lease's release hands its slot to the events waiting
 * for one, so nothing outside needs to be told that a slot was freed.
 */
public final class Admission {
    /** A lease, or the throttle that refused it. */
    public sealed interface Result permits Lease, Refused {
    }

    public record Refused(ConcurrencyLimiter.Throttle reason) implements Result {
    }

    private final ConcurrencyLimiter limiter;
    private final PermitQueue waiting;

    public Admission(ConcurrencyLimiter limiter) {
        this.limiter = limiter;
        this.waiting = new PermitQueue(limiter);
    }

    public Result tryAcquire(String function) {
        return switch (limiter.tryAcquire(function)) {
            case ConcurrencyLimiter.Permit p -> new Lease(p, this);
            case ConcurrencyLimiter.Refused r -> new Refused(r.reason());
        };
    }

    /** A lease now or later, never a refusal; completing the future exceptionally gives up the place in line. */
    public CompletableFuture<Lease> acquireInTurn(String function) {
        CompletableFuture<ConcurrencyLimiter.Permit> permit = waiting.acquire(function);
        CompletableFuture<Lease> lease = permit.thenApply(p -> new Lease(p, this));
        // giving up the lease's future gives up the place in line, and a permit granted meanwhile goes back
        lease.whenComplete((l, err) -> {
            if (err != null) {
                permit.cancel(false);
                if (permit.isDone() && !permit.isCompletedExceptionally()) {
                    release(permit.join());
                }
            }
        });
        return lease;
    }

    /** A limit was raised (a reservation changed, or the pool was re-split): waiting events may fit now. */
    public void limitsChanged() {
        waiting.released();
    }

    void release(ConcurrencyLimiter.Permit permit) {
        limiter.release(permit);
        waiting.released();
    }
}
